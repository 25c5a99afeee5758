/**
 * The database goes away under a running server (PostgreSQL stopped — a failover, a restart, a
 * network cut — then started again): while it is away every request that needs it, the session
 * check and the health route included, answers 503 with a Chinese message; a save caught by the
 * outage is either there whole (record, version and its audit entry) or not at all; and once the
 * database is back the same server process answers normally, without a restart. Its log says the
 * database is away once, in a line, not a stack trace at every look for a newly published config
 * version (every 2 s), and says when it is back. The cluster is
 * this file's own (startPgCluster): stopping the run's shared one would fail every other file.
 */
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { startPgCluster, type PgCluster } from '../helpers/pg-cluster.js';
import { startServer, type RunningServer } from '../../engine/server.js';
import { openStorage } from '../../engine/storage/open-storage.js';
import { Client } from '../helpers/client.js';
import { repoRoot } from '../helpers/paths.js';

const UNAVAILABLE = '数据库暂时无法连接，请稍后重试';

let cluster: PgCluster;
let url: string;
let server: RunningServer;
let admin: Client;

const login = (username: string) => Client.login(server.url, username);

type Member = { id: string; version: number; data: Record<string, unknown> };

beforeAll(async () => {
  cluster = await startPgCluster();
  url = await cluster.createDatabase();
  server = await startServer({ appRoot: repoRoot, database: url, port: 0, demo: true });
  admin = await login('bj_admin');
}, 120_000);
afterAll(async () => {
  await server?.close();
  await cluster?.stop();
});

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('a lost database under a running server (PostgreSQL)', { timeout: 120_000 }, () => {
  it('answers 503 in Chinese while it is away — session check and health included — and normally once it is back', async () => {
    const first = (await admin.get('/api/records/member?limit=1')).body.items[0] as Member;
    const anonymous = new Client(server.url);
    const log = vi.spyOn(console, 'error').mockImplementation(() => undefined);
    await cluster.pause();
    try {
      const answers = {
        health: await anonymous.get('/api/health'),
        me: await admin.get('/api/me'),
        list: await admin.get('/api/records/member?limit=1'),
        save: await admin.put(`/api/records/member/${first.id}`, { ...first.data, address: '停库时的保存' }, first.version),
        login: await anonymous.post('/api/login', { username: 'pdl_admin', password: 'caiji-demo' }),
      };
      for (const [what, res] of Object.entries(answers)) {
        expect([what, res.status, res.body?.error?.message]).toEqual([what, 503, UNAVAILABLE]);
      }
      // Long enough for the server to look for a newly published config version twice.
      await sleep(4500);
    } finally {
      await cluster.resume();
    }
    await sleep(2500);
    const calls = [...log.mock.calls];
    log.mockRestore();
    const lines = calls.map((args) => args.map((a) => (a instanceof Error ? `${a.name}: ${a.message}` : String(a))).join(' '));
    expect(lines.filter((l, i) => calls[i].some((a) => a instanceof Error))).toEqual([]);
    expect(lines.filter((l) => l.includes(UNAVAILABLE))).toHaveLength(1);
    expect(lines.filter((l) => l.includes('数据库已恢复连接'))).toHaveLength(1);
    // The same process, no restart: the first requests after the database is back are answered.
    expect((await anonymous.get('/api/health')).status).toBe(200);
    expect((await admin.get('/api/me')).status).toBe(200);
    const now = (await admin.get(`/api/records/member/${first.id}`)).body as Member;
    expect(now.version).toBe(first.version); // the refused save wrote nothing
    const saved = await admin.put(`/api/records/member/${first.id}`, { ...now.data, address: '恢复后的保存' }, now.version);
    expect(saved.status, JSON.stringify(saved.body)).toBe(200);
    expect((await login('pdl_admin')).csrf).not.toBe('');
  });

  it('saves running while the database goes and comes back are each whole or absent', async () => {
    const members = ((await admin.get('/api/records/member?limit=4')).body.items as Member[]);
    expect(members.length).toBe(4);
    const store = await openStorage(url);
    const base = new Map<string, { version: number; audit: number }>();
    try {
      for (const m of members) base.set(m.id, { version: (await store.records.get(store.db, m.id))!.version, audit: await store.audit.countForRecord(store.db, m.id) });
    } finally {
      await store.close();
    }

    let stop = false;
    const statuses: number[] = [];
    const wrongMessages: string[] = [];
    /** Per record: the address of its last save answered 200, and every address tried after it. */
    const after = new Map<string, { confirmed: string | null; tried: string[] }>();
    const loops = members.map(async (m, w) => {
      const mine = { confirmed: null as string | null, tried: [] as string[] };
      after.set(m.id, mine);
      for (let i = 0; !stop; i++) {
        const read = await admin.get(`/api/records/member/${m.id}`);
        if (read.status !== 200) {
          statuses.push(read.status);
          await sleep(30);
          continue;
        }
        const address = `停复库${w}-${i}`;
        mine.tried.push(address);
        const res = await admin.put(`/api/records/member/${m.id}`, { ...read.body.data, address }, read.body.version);
        statuses.push(res.status);
        if (res.status === 200) mine.confirmed = address, mine.tried = [address];
        else if (res.status !== 503 || res.body.error?.message !== UNAVAILABLE) wrongMessages.push(`${res.status} ${JSON.stringify(res.body)}`);
      }
    });
    await sleep(400);
    await cluster.pause();
    await sleep(800);
    await cluster.resume();
    // Saves go on after the database is back, on the same server.
    const resumedAt = statuses.length;
    for (let i = 0; i < 200 && statuses.slice(resumedAt).filter((s) => s === 200).length < 8; i++) await sleep(50);
    stop = true;
    await Promise.all(loops);

    expect(wrongMessages).toEqual([]);
    expect(new Set(statuses)).toEqual(new Set([200, 503]));
    expect(statuses.slice(resumedAt).filter((s) => s === 200).length).toBeGreaterThanOrEqual(8);

    const check = await openStorage(url);
    try {
      for (const m of members) {
        const stored = (await check.records.get(check.db, m.id))!;
        const was = base.get(m.id)!;
        // One audit entry per version written: nothing saved without its entry, nor an entry without its save.
        expect(await check.audit.countForRecord(check.db, m.id) - was.audit).toBe(stored.version - was.version);
        // The last save answered 200 is there, or one tried after it whose answer the outage took.
        expect(after.get(m.id)!.tried).toContain(stored.data.address);
      }
    } finally {
      await check.close();
    }
  });
});
