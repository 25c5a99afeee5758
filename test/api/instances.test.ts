/**
 * Several server instances on one database act as one server: the second instance is a real
 * child process (`engine/main.ts`, as `npm start` runs it) on the first one's SQLite file, so
 * nothing can pass through a module shared in memory. A batch PDF job started on A is polled
 * and downloaded on B; an import previewed on A is committed on B; a job whose instance died
 * (its heartbeat old) is reported failed; the per-owner job limit counts every instance's jobs;
 * a grant revoked on A stops access on B within the principal cache's two seconds.
 */
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { startTestServer, type TestServer } from '../helpers/server.js';
import { Client } from '../helpers/client.js';
import { nodeId, memberData } from '../helpers/demo.js';
import { repoRoot } from '../helpers/paths.js';
import { closeBrowser } from '../../engine/documents/pdf.js';
import { requireTools, pdfInfo } from '../documents/tools.js';
import { jobStore } from '../../engine/storage/jobs.js';
import { STALE_MS } from '../../engine/jobs/jobs.js';
import { PrincipalCache } from '../../engine/auth/principal-cache.js';
import { sqliteOf } from '../helpers/sqlite-of.js';

/** The second instance: engine/main.ts in its own process over `dbFile`; resolves with its address. */
function startInstance(dbFile: string): Promise<{ url: string; child: ChildProcess }> {
  const child = spawn(process.execPath, ['--import', 'tsx', join(repoRoot, 'engine/main.ts')], {
    cwd: repoRoot, env: { ...process.env, CAIJI_DB: dbFile, CAIJI_DEMO: '0', PORT: '0', HOST: '127.0.0.1' },
  });
  return new Promise((resolve, reject) => {
    let out = '';
    child.stdout!.on('data', (chunk) => {
      out += chunk;
      const m = /访问:\s+(http:\/\/\S+)/.exec(out);
      if (m) resolve({ url: m[1].replace('localhost', '127.0.0.1'), child });
    });
    child.stderr!.on('data', (chunk) => { out += chunk; });
    child.on('exit', (code) => reject(new Error(`second instance ended (${code}): ${out}`)));
  });
}

async function login(url: string, username: string): Promise<Client> {
  const c = new Client(url);
  const res = await c.post('/api/login', { username, password: 'caiji-demo' });
  if (res.status !== 200) throw new Error(`login ${username}: ${res.status}`);
  return c;
}

async function poll(c: Client, path: string) {
  for (let i = 0; i < 600; i++) {
    const res = await c.get(path);
    if (res.status !== 200 || res.body.status !== 'running') return res;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`${path} still running`);
}

describe('several instances on one database', { timeout: 120_000 }, () => {
  let a: TestServer;
  let b: { url: string; child: ChildProcess };
  let onA: Client;
  let onB: Client;
  let userId: string;
  let huimin: string;

  beforeAll(async () => {
    requireTools();
    a = await startTestServer();
    b = await startInstance(a.dbFile);
    onA = await a.login('ft_admin');
    onB = await login(b.url, 'ft_admin');
    userId = (await sqliteOf(a.engine).get<{ id: string }>("SELECT id FROM users WHERE username = 'ft_admin'"))!.id;
    huimin = await nodeId(onA, '惠民党支部');
  }, 120_000);
  afterAll(async () => {
    b?.child.kill('SIGTERM');
    await closeBrowser();
    await a?.stop();
  });

  it('a batch PDF started on A is polled and downloaded on B', async () => {
    const ids: string[] = [];
    for (let i = 0; i < 3; i++) ids.push((await onA.post('/api/records/member', memberData(huimin, { name: `多实例${i + 1}号` }))).body.id);
    const start = await onA.post('/api/records/member/documents/member-sheet?async=1', { ids });
    expect(start.status).toBe(202);
    const done = await poll(onB, `/api/jobs/${start.body.jobId}`);
    expect(done.status).toBe(200);
    expect(done.body).toMatchObject({ status: 'done', done: 3, total: 3, result: `/api/jobs/${start.body.jobId}/result` });
    const file = await fetch(b.url + done.body.result, { headers: { cookie: onB.cookie! } });
    expect(file.status).toBe(200);
    expect(file.headers.get('content-type')).toBe('application/pdf');
    expect(pdfInfo(Buffer.from(await file.arrayBuffer())).pages).toBe(3);
    // Only its owner sees it, on any instance.
    expect((await (await login(b.url, 'bj_admin')).get(`/api/jobs/${start.body.jobId}`)).status).toBe(404);
  });

  it('an import previewed on A is committed on B, once', async () => {
    const d = memberData(huimin, { name: '跨实例导入' }) as Record<string, string>;
    const header = ['所在支部', '姓名', '身份证号码', '家庭住址', '性别', '出生日期'];
    const line = ['中共北京市丰台区太平桥街道太南里社区惠民支部委员会', d.name, d.idNumber, '北京市丰台区一号', d.gender, d.birthDate];
    const csv = `\ufeff${header.join(',')}\r\n${line.map((v) => `"${v}"`).join(',')}`;
    const res = await fetch(`${a.url}/api/import/member/preview?filename=x.csv`, {
      method: 'POST', body: csv, headers: { cookie: onA.cookie!, 'x-csrf-token': onA.csrf!, 'content-type': 'text/csv; charset=utf-8' },
    });
    const preview = (await res.json()) as any;
    expect(res.status, JSON.stringify(preview)).toBe(200);
    expect(preview.counts).toMatchObject({ new: 1, invalid: 0 });
    const committed = await onB.post('/api/import/member/commit', { previewId: preview.id });
    expect(committed.status, JSON.stringify(committed.body)).toBe(200);
    expect(committed.body).toMatchObject({ created: 1, status: 'committed' });
    expect((await onA.get(`/api/records/member?q=${d.idNumber}`)).body.total).toBe(1);
    // Committing it again, on either instance, is refused.
    const again = await onA.post('/api/import/member/commit', { previewId: preview.id });
    expect(again.status).toBe(409);
    expect(again.body.error.message).toBe('该文件已经导入');
  });

  it('a job of an instance that died is reported failed, in Chinese, and no longer counts', async () => {
    const now = Date.now();
    const lost = { code: 'x', message: 'x' };
    // An instance that is gone left its job running: its heartbeat stopped long ago.
    expect(await sqliteOf(a.engine).transaction((tx) => jobStore.start(tx, { id: 'dead-job', owner: userId, kind: 'preview', total: 10, instance: 'gone', now: now - STALE_MS - 60_000 }, 1, 0, lost))).toBeNull();
    const res = await onB.get('/api/jobs/dead-job');
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ status: 'failed', error: { code: 'job_lost', message: '任务所在的服务进程已停止，任务未能完成，请重新发起' } });
  });

  it("the owner's limit counts the jobs running on every instance", async () => {
    // Another live instance runs an import commit for this user (its heartbeat is fresh).
    const lost = { code: 'x', message: 'x' };
    expect(await sqliteOf(a.engine).transaction((tx) => jobStore.start(tx, { id: 'elsewhere', owner: userId, kind: 'commit', total: 10, instance: 'other', now: Date.now() }, 1, 0, lost))).toBeNull();
    const start = () => onB.post('/api/import/member/commit?async=1', { previewId: 'any' });
    const refused = await start();
    expect(refused.status).toBe(429);
    expect(refused.body.error.message).toBe('您已有 1 个同类任务正在进行，请等其完成后再试');
    // Once that instance is gone (no heartbeat for long), its job no longer holds the place.
    await sqliteOf(a.engine).run('UPDATE jobs SET heartbeat = ? WHERE id = ?', [Date.now() - STALE_MS - 1000, 'elsewhere']);
    const accepted = await start();
    expect(accepted.status).toBe(202);
    expect((await jobStore.get(sqliteOf(a.engine), 'elsewhere'))?.status).toBe('failed');
  });

  it('a grant revoked on A stops access on B within the principal cache’s two seconds', async () => {
    const meiyu = await login(b.url, 'meiyu_admin');
    const bj = await a.login('bj_admin');
    const org = await nodeId(bj, '美域家园社区第二支部');
    const list = `/api/records/member?node=${org}`;
    expect((await meiyu.get(list)).status).toBe(200); // B now holds meiyu_admin's principal in its cache
    const revoked = await bj.request('DELETE', `/api/grants?node=${org}&role=admin&username=meiyu_admin`);
    expect(revoked.status, JSON.stringify(revoked.body)).toBe(200);
    const at = Date.now();
    let status = 200;
    while (status === 200 && Date.now() - at < 10_000) {
      status = (await meiyu.get(list)).status;
      if (status === 200) await new Promise((r) => setTimeout(r, 50));
    }
    expect(status).not.toBe(200);
    // The bound: the cache's lifetime (and a little for the request itself).
    expect(Date.now() - at).toBeLessThan(PrincipalCache.TTL_MS + 1000);
  });
});
