/**
 * Two `npm start` processes with demo data (the default) started at once on one empty PostgreSQL
 * database: both find it empty, and the demo must still go in once — one process seeds it and
 * prints the demo logins, the other starts on that data and says so — and both serve. The race
 * is not left to luck: the test holds the records table (LOCK … ACCESS EXCLUSIVE, in a
 * transaction of its own) until both processes wait on it for their look at whether the database
 * is empty, then lets them go together.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import pg from 'pg';
import { startPgCluster, type PgCluster } from '../helpers/pg-cluster.js';
import { openStorage } from '../../engine/storage/open-storage.js';
import { Client } from '../helpers/client.js';
import { repoRoot } from '../helpers/paths.js';

interface Instance { child: ChildProcess; out: () => string; started: Promise<string> }

/** engine/main.ts as `npm start` runs it, demo data on, over `url`; `started` resolves with its address once it prints it. */
function startInstance(url: string): Instance {
  const child = spawn(process.execPath, ['--import', 'tsx', join(repoRoot, 'engine/main.ts')], {
    cwd: repoRoot, env: { ...process.env, CAIJI_DB: url, CAIJI_DEMO: '1', PORT: '0', HOST: '127.0.0.1' },
  });
  let out = '';
  const started = new Promise<string>((resolve, reject) => {
    child.stdout!.on('data', (chunk) => {
      out += chunk;
      // The address line comes first, the demo logins (or why there are none) right after it.
      const m = /访问:\s+(http:\/\/\S+)\n[\s\S]*演示账号/.exec(out);
      if (m) resolve(m[1].replace('localhost', '127.0.0.1'));
    });
    child.stderr!.on('data', (chunk) => { out += chunk; });
    child.on('exit', (code) => reject(new Error(`instance ended (${code}): ${out}`)));
  });
  started.catch(() => undefined); // reported where it is awaited; a kill after a failed test is not another failure
  return { child, out: () => out, started };
}

/** How many records of `collection` and demo users the demo files hold: what one seeding writes. */
function demoSize(collection: string): { nodes: number; users: number } {
  const manifest = JSON.parse(readFileSync(join(repoRoot, 'forms/app.json'), 'utf8')) as { demo: string[] };
  const files = manifest.demo.map((f) => JSON.parse(readFileSync(join(repoRoot, 'forms', f), 'utf8')) as { collection?: string; records?: unknown[]; users?: unknown[] });
  return {
    nodes: files.filter((f) => f.collection === collection).reduce((n, f) => n + (f.records?.length ?? 0), 0),
    users: files.reduce((n, f) => n + (f.users?.length ?? 0), 0),
  };
}

let cluster: PgCluster;
beforeAll(async () => {
  cluster = await startPgCluster();
}, 120_000);
afterAll(async () => {
  await cluster?.stop();
});

describe('two instances with demo data starting at once on an empty PostgreSQL database', () => {
  it('seed it once: one prints the demo logins, the other starts on its data, both serve', { timeout: 180_000 }, async () => {
    const url = await cluster.createDatabase();
    const store = await openStorage(url);
    // The schema first, as a previous start would leave it (the migration has its own lock): the race is over the demo.
    await store.maintenance.migrate(store.db);
    const gate = new pg.Client({ connectionString: url });
    await gate.connect();
    const instances: Instance[] = [];
    try {
      await gate.query('BEGIN');
      await gate.query('LOCK TABLE records IN ACCESS EXCLUSIVE MODE');
      instances.push(startInstance(url), startInstance(url));
      const failed = Promise.race(instances.map((i) => i.started.then(() => new Promise<never>(() => undefined))));
      const waiting = async () => Number((await gate.query<{ n: string }>(
        "SELECT count(*) AS n FROM pg_locks WHERE relation = 'records'::regclass AND NOT granted")).rows[0].n);
      failed.catch(() => undefined);
      for (let i = 0; i < 600 && (await Promise.race([waiting(), failed])) < 2; i++) await new Promise((r) => setTimeout(r, 100));
      expect(await waiting()).toBe(2);
      await gate.query('COMMIT');

      const urls = await Promise.all(instances.map((i) => i.started));
      const outputs = instances.map((i) => i.out());
      // The process that seeded prints the logins; the other one says the database was not empty.
      expect(outputs.map((o) => o.includes('演示账号（首次启动时载入）')).sort()).toEqual([false, true]);
      expect(outputs.filter((o) => o.includes('数据库非空，未重新载入演示数据'))).toHaveLength(1);
      // Seeded once: the demo's tree nodes and users, not twice as many.
      const tree = JSON.parse(readFileSync(join(repoRoot, 'forms/app.json'), 'utf8')).tree.collection as string;
      const once = demoSize(tree);
      expect(await store.records.count(store.db, { collection: tree })).toBe(once.nodes);
      expect((await store.maintenance.counts(store.db)).users).toBe(once.users);
      // Both serve the one seeded database.
      for (const at of urls) {
        const c = new Client(at);
        expect((await c.post('/api/login', { username: 'bj_admin', password: 'caiji-demo' })).status).toBe(200);
        expect((await c.get(`/api/records/${tree}?limit=100`)).body.total).toBe(once.nodes);
      }
    } finally {
      await gate.end().catch(() => undefined);
      for (const i of instances) i.child.kill('SIGTERM');
      await Promise.all(instances.map((i) => (i.child.exitCode === null ? new Promise((r) => i.child.once('exit', r)) : null)));
      await store.close();
    }
  });
});
