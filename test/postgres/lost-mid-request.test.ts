/**
 * The database lost in the middle of a request's transaction, after its first statements went
 * through: the answer is the outage's (503 「数据库暂时无法连接，请稍后重试」), never a verdict on
 * the request's data, and nothing of it is written. The outage is placed exactly: a spy on the
 * step the test is about stops the cluster (pg_ctl stop -m fast, the server's connections cut)
 * and then lets the real step run on the dead connection — everything else is the real path
 * (HTTP, the engine, the PostgreSQL adapter). The cluster is this file's own (startPgCluster).
 */
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { startPgCluster, type PgCluster } from '../helpers/pg-cluster.js';
import { startServer, type RunningServer } from '../../engine/server.js';
import { Client } from '../helpers/client.js';
import { memberData, nodeId } from '../helpers/demo.js';
import { repoRoot } from '../helpers/paths.js';

const UNAVAILABLE = '数据库暂时无法连接，请稍后重试';

let cluster: PgCluster;
let server: RunningServer;

const login = (username: string) => Client.login(server.url, username);

/** Stops the cluster before the real call runs; starts it again (once) when the test is done with it. */
let paused = false;
let outages = 0;
async function pauseCluster() {
  await cluster.pause();
  paused = true;
  outages++;
}
async function resumeCluster(client: Client) {
  if (paused) await cluster.resume();
  paused = false;
  // The server itself needs no restart: the first answered health check says it is back.
  for (let i = 0; i < 100 && (await client.get('/api/health')).status !== 200; i++) await new Promise((r) => setTimeout(r, 100));
}

beforeAll(async () => {
  cluster = await startPgCluster();
  server = await startServer({ appRoot: repoRoot, database: await cluster.createDatabase(), port: 0, demo: true });
}, 120_000);
afterEach(() => {
  vi.restoreAllMocks();
  outages = 0;
});
afterAll(async () => {
  await server?.close();
  await cluster?.stop();
});

describe('the database lost in the middle of a request (PostgreSQL)', { timeout: 120_000 }, () => {
  it("a workflow action's lookup of its target answers 503, not 「未关联」, and the event writes nothing", async () => {
    const tnl = await login('tnl_admin');
    const org = await nodeId(tnl, '太南里社区非公联合党支部');
    const before = (await tnl.get(`/api/records/organization/${org}`)).body;
    const units = (await tnl.get(`/api/records/unit?node=${org}`)).body.items as { id: string }[];
    expect(units.length).toBeGreaterThan(0);
    const target = units[0].id;
    // The event's transaction has read the organization; the database goes as the action reads the unit.
    const read = server.engine.records.read.bind(server.engine.records);
    vi.spyOn(server.engine.records, 'read').mockImplementation(async (actor, collection, id, db) => {
      if (id === target) await pauseCluster();
      return read(actor, collection, id, db);
    });
    vi.spyOn(console, 'error').mockImplementation(() => undefined);
    let res;
    try {
      res = await tnl.post(`/api/records/organization/${org}/events`, { type: 'UNLINK_UNIT', unitId: target });
    } finally {
      vi.mocked(server.engine.records.read).mockRestore();
      await resumeCluster(tnl);
    }
    expect(outages).toBe(1);
    expect([res.status, res.body?.error?.message]).toEqual([503, UNAVAILABLE]);
    // Nothing written: the organization as it was, the unit still linked.
    const after = (await tnl.get(`/api/records/organization/${org}`)).body;
    expect([after.version, after.state]).toEqual([before.version, before.state]);
    expect((await tnl.get(`/api/records/unit/${target}`)).status).toBe(200);
    // Once the database is back the same event goes through.
    const again = await tnl.post(`/api/records/organization/${org}/events`, { type: 'UNLINK_UNIT', unitId: target });
    expect(again.status, JSON.stringify(again.body)).toBe(200);
    expect((await tnl.get(`/api/records/unit/${target}`)).status).toBe(404);
  });

  it('an import commit cut off answers 503 and leaves its preview committable: the retry imports each row once', async () => {
    const ft = await login('ft_admin');
    const huimin = await nodeId(ft, '惠民党支部');
    const people = [memberData(huimin), memberData(huimin), memberData(huimin)];
    const header = ['所在支部', '姓名', '身份证号码', '性别', '出生日期'];
    const branch = (await ft.get(`/api/records/organization/${huimin}`)).body.data.fullName as string;
    const csv = [header, ...people.map((d) => [branch, d.name, d.idNumber, d.gender, d.birthDate])].map((r) => r.join(',')).join('\r\n');
    const preview = await ft.post('/api/import/member/preview?filename=outage.csv', csv, { 'content-type': 'text/csv' });
    expect([preview.status, preview.body.counts?.new]).toEqual([200, 3]);
    const holders = async () => {
      const found = [];
      for (const d of people) found.push((await ft.get(`/api/records/member?q=${d.idNumber}`)).body.total);
      return found;
    };
    // Every row is written in the commit's transaction; the database goes before it is committed.
    const finish = server.engine.storage.importLog.finish;
    vi.spyOn(server.engine.storage.importLog, 'finish').mockImplementation(async (tx, id, status, message) => {
      if (status === 'committed') await pauseCluster();
      return finish(tx, id, status, message);
    });
    vi.spyOn(console, 'error').mockImplementation(() => undefined);
    let res;
    try {
      res = await ft.post('/api/import/member/commit', { previewId: preview.body.id });
    } finally {
      vi.mocked(server.engine.storage.importLog.finish).mockRestore();
      await resumeCluster(ft);
    }
    expect(outages).toBe(1);
    expect([res.status, res.body?.error?.message]).toEqual([503, UNAVAILABLE]);
    expect(await holders()).toEqual([0, 0, 0]);
    // The same preview, at once: not 「该文件正在导入」 for an hour.
    const again = await ft.post('/api/import/member/commit', { previewId: preview.body.id });
    expect(again.status, JSON.stringify(again.body)).toBe(200);
    expect(again.body).toMatchObject({ created: 3, status: 'committed' });
    expect(await holders()).toEqual([1, 1, 1]);
    const third = await ft.post('/api/import/member/commit', { previewId: preview.body.id });
    expect([third.status, third.body.error?.message]).toEqual([409, '该文件已经导入']);
    expect(await holders()).toEqual([1, 1, 1]);
  });
});
