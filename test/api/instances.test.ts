/**
 * Several server instances on one database act as one server: the second instance is a real
 * child process (`engine/main.ts`, as `npm start` runs it) with CAIJI_DB naming the first one's
 * database — its SQLite file, or (the `postgres` project) its PostgreSQL URL — so nothing can pass
 * through a module shared in memory. A batch PDF job started on A is polled and downloaded on B;
 * an import previewed on A is committed on B; a job whose instance died (its heartbeat old) is
 * reported failed; the per-owner job limit counts every instance's jobs; a code table saved on A
 * is applied on B, which reports the same X-Config-Generation within seconds; failed logins count
 * across both; a grant revoked or a session ended on A stops access on B — at B's next request on
 * PostgreSQL (the shared auth epoch), within the principal cache's two seconds on SQLite (its
 * epoch is the process's). The test's own look at the database goes through the storage port.
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
import { STALE_MS } from '../../engine/jobs/jobs.js';
import { PrincipalCache } from '../../engine/auth/principal-cache.js';
import { openStorage } from '../../engine/storage/open-storage.js';
import type { Storage } from '../../engine/ports.js';

/** The second instance: engine/main.ts in its own process over `dbFile` (a file or a URL); resolves with its address. */
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

const login = (url: string, username: string) => Client.login(url, username);

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
  /** The database as the test itself sees it: its own handle, through the port. */
  let store: Storage;
  /** Whether the adapter shares its auth epoch through the database (PostgreSQL). */
  let shared: boolean;

  beforeAll(async () => {
    requireTools();
    a = await startTestServer();
    shared = a.dbFile.startsWith('postgres');
    b = await startInstance(a.dbFile);
    store = await openStorage(a.dbFile);
    onA = await a.login('ft_admin');
    onB = await login(b.url, 'ft_admin');
    userId = (await store.accounts.byName(store.db, 'ft_admin'))!.id;
    huimin = await nodeId(onA, '惠民党支部');
  }, 120_000);
  afterAll(async () => {
    b?.child.kill('SIGTERM');
    await store?.close();
    await closeBrowser();
    await a?.stop();
  });

  /** Runs a job-store write as an instance would, in a transaction of the test's own handle. */
  const inTx = <T>(fn: (tx: Storage['db']) => Promise<T>) => store.unitOfWork.transaction(store.db, fn);

  /**
   * A change made on A reaches B: at B's very next request on PostgreSQL; on SQLite within the
   * principal cache's lifetime (and a little for the request itself). `refused` asks B once.
   */
  async function seenOnB(refused: () => Promise<boolean>): Promise<void> {
    if (shared) {
      expect(await refused(), 'B served its next request with the principal from before the change').toBe(true);
      return;
    }
    const at = Date.now();
    let seen = false;
    while (!seen && Date.now() - at < 10_000) {
      seen = await refused();
      if (!seen) await new Promise((r) => setTimeout(r, 50));
    }
    expect(seen).toBe(true);
    expect(Date.now() - at).toBeLessThan(PrincipalCache.TTL_MS + 1000);
  }

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
    expect(await inTx((tx) => store.jobs.start(tx, { id: 'dead-job', owner: userId, kind: 'preview', total: 10, instance: 'gone', now: now - STALE_MS - 60_000 }, 1, 0, lost))).toBeNull();
    const res = await onB.get('/api/jobs/dead-job');
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ status: 'failed', error: { code: 'job_lost', message: '任务所在的服务进程已停止，任务未能完成，请重新发起' } });
  });

  it("the owner's limit counts the jobs running on every instance", async () => {
    // Another live instance runs an import commit for this user (its heartbeat is fresh).
    const lost = { code: 'x', message: 'x' };
    // Its last heartbeat is fresh for three more seconds; then nothing more is heard of it.
    const fresh = 3000;
    const heard = Date.now() - STALE_MS + fresh;
    expect(await inTx((tx) => store.jobs.start(tx, { id: 'elsewhere', owner: userId, kind: 'commit', total: 10, instance: 'other', now: heard }, 1, 0, lost))).toBeNull();
    const start = () => onB.post('/api/import/member/commit?async=1', { previewId: 'any' });
    const refused = await start();
    expect(refused.status).toBe(429);
    expect(refused.body.error.message).toBe('您已有 1 个同类任务正在进行，请等其完成后再试');
    // Once that instance is gone (its last heartbeat too old), its job no longer holds the place.
    expect(Date.now() - heard, 'the refusal came too late to count').toBeLessThan(STALE_MS);
    await new Promise((r) => setTimeout(r, heard + STALE_MS + 200 - Date.now()));
    const accepted = await start();
    expect(accepted.status).toBe(202);
    expect((await store.jobs.get(store.db, 'elsewhere'))?.status).toBe('failed');
  });

  it('a grant revoked on A stops access on B (next request on PostgreSQL, within the cache’s two seconds on SQLite)', async () => {
    const meiyu = await login(b.url, 'meiyu_admin');
    const bj = await a.login('bj_admin');
    const org = await nodeId(bj, '美域家园社区第二支部');
    const list = `/api/records/member?node=${org}`;
    expect((await meiyu.get(list)).status).toBe(200); // B now holds meiyu_admin's principal in its cache
    expect((await meiyu.get(list)).status).toBe(200);
    const revoked = await bj.request('DELETE', `/api/grants?node=${org}&role=admin&username=meiyu_admin`);
    expect(revoked.status, JSON.stringify(revoked.body)).toBe(200);
    await seenOnB(async () => (await meiyu.get(list)).status !== 200);
  });

  it('a session ended on A (logout) is refused on B', async () => {
    const onBoth = await a.login('tnl_admin');
    const onBToo = new Client(b.url);
    onBToo.cookie = onBoth.cookie;
    onBToo.csrf = onBoth.csrf;
    expect((await onBToo.get('/api/me')).status).toBe(200); // cached on B
    expect((await onBToo.get('/api/me')).status).toBe(200);
    expect((await onBoth.post('/api/logout')).status).toBe(200);
    await seenOnB(async () => (await onBToo.get('/api/me')).status === 401);
  });

  it('a code table saved on A is applied on B, and both report the same X-Config-Generation within seconds', async () => {
    const cfg = await a.login('config_admin');
    const generation = (res: { headers: Headers }) => Number(res.headers.get('x-config-generation'));
    const table = (await cfg.get('/api/codes/job-position')).body;
    const before = generation(await onB.get('/api/me'));
    expect(generation(await onA.get('/api/me'))).toBe(before);
    const saved = await cfg.put('/api/codes/job-position', { ...table, codes: [...table.codes, { code: '0198', label: '多实例新增岗位' }] }, table.version);
    expect(saved.status, JSON.stringify(saved.body)).toBe(200);
    const now = generation(saved);
    expect(now).toBeGreaterThan(before);
    const at = Date.now();
    let onBNow = before;
    while (onBNow !== now && Date.now() - at < 10_000) {
      onBNow = generation(await onB.get('/api/me'));
      if (onBNow !== now) await new Promise((r) => setTimeout(r, 100));
    }
    expect(onBNow).toBe(now);
    expect(Date.now() - at).toBeLessThan(5000);
    const form = await onB.get('/api/forms/member');
    expect(form.body.schema.properties.jobPosition.enum).toContain('0198');
  });

  it('failed logins count across instances', async () => {
    // An account has five free failures; the sixth makes the next attempt wait. Three on each.
    for (const url of [a.url, b.url, a.url, b.url, a.url, b.url]) {
      const res = await new Client(url).post('/api/login', { username: 'pdl_admin', password: 'guess' });
      expect(res.status).toBe(401);
    }
    const next = await new Client(a.url).post('/api/login', { username: 'pdl_admin', password: 'caiji-demo' });
    expect(next.status).toBe(429);
    expect(next.body.error.message).toMatch(/^登录失败次数过多，请\d+秒后再试$/);
  });
});
