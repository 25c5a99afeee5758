/**
 * `npm run admin -- migrate-to-postgres`: a SQLite database that served the demo (records in every
 * workflow state, accounts, grants, audit, config versions, counters) is copied whole into an empty
 * PostgreSQL database and verified there through the PostgreSQL adapter; a second copy into the
 * now filled database is refused and writes nothing.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rmSync } from 'node:fs';
import { dirname } from 'node:path';
import { startTestServer } from '../helpers/server.js';
import { startPgCluster, type PgCluster } from '../helpers/pg-cluster.js';
import { migrateSqliteFile } from '../../engine/storage/postgres/copy-from-sqlite.js';
import { openStorage } from '../../engine/storage/open-storage.js';
import type { Storage } from '../../engine/ports.js';
import { startServer } from '../../engine/server.js';
import { Client } from '../helpers/client.js';
import { repoRoot } from '../helpers/paths.js';
import { runAdmin } from '../helpers/run-script.js';
import { join } from 'node:path';


let cluster: PgCluster;
let sqliteFile: string;
let editedId: string;
let stopSqlite: () => Promise<void>;
beforeAll(async () => {
  cluster = await startPgCluster();
  const server = await startTestServer();
  // A change of our own on top of the demo, so the copy carries an audit trail made through the API.
  const admin = await server.login('bj_admin');
  const members = await admin.get('/api/records/member?limit=1');
  expect(members.status).toBe(200);
  const first = (members.body as { items: { id: string; version: number; data: Record<string, unknown> }[] }).items[0];
  const patched = await admin.put(`/api/records/member/${first.id}`, { ...first.data, address: '迁移前改的地址' }, first.version);
  expect(patched.status, JSON.stringify(patched.body)).toBe(200);
  editedId = first.id;
  sqliteFile = server.dbFile;
  // The server is closed before the copy (the operator stops it), the file kept until the end.
  await server.close();
  stopSqlite = async () => rmSync(dirname(sqliteFile), { recursive: true, force: true });
});
afterAll(async () => {
  await stopSqlite?.();
  await cluster?.stop();
});

async function counts(s: Storage) {
  const root = (await s.directory.treeRootPaths(s.db, 'organization'))[0];
  return { root, ...(await s.maintenance.counts(s.db)) };
}

describe('migrate-to-postgres', () => {
  it('copies every table, verifies it, and the PostgreSQL adapter reads the same data', async () => {
    const url = await cluster.createDatabase();
    const report = await migrateSqliteFile(sqliteFile, url);
    expect(report.tables.length).toBeGreaterThan(10);
    expect(report.tables.every((t) => t.verified)).toBe(true);
    expect(report.skipped).toEqual(expect.arrayContaining(['sessions', 'jobs', 'login_failures']));

    const source = await openStorage(sqliteFile);
    const target = await openStorage(url);
    try {
      expect(await counts(target)).toEqual(await counts(source));
      const who = await target.accounts.principalByName(target.db, 'ft_admin');
      expect(who?.grants).toEqual((await source.accounts.principalByName(source.db, 'ft_admin'))?.grants);
      // Counters came with the records: the root's subtree figures are the same on both sides.
      const rootOf = async (s: Storage) => {
        const rows = await s.records.page(s.db, { collection: 'organization' }, 1);
        return (await s.subtreeStats.ofNode(s.db, rows.items[0].path, ['member', 'organization'])).map((c) => JSON.stringify(c)).sort();
      };
      expect(await rootOf(target)).toEqual(await rootOf(source));
      // The history of the record changed above, entry for entry.
      const changed = (await source.records.page(source.db, { collection: 'member' }, 1)).items[0];
      const history = async (s: Storage) => (await s.audit.forRecord(s.db, changed.id)).entries.map((e) => [e.id, e.action, e.actor, e.diff]);
      expect(await history(target)).toEqual(await history(source));
      expect((await target.records.get(target.db, changed.id))?.data).toEqual(changed.data);
      expect(await target.configVersions.head(target.db)).toEqual(await source.configVersions.head(source.db));
      // New rows in the target go on after the copied ones (identity sequences moved past them).
      await target.audit.append(target.db, { actor: 'test', collection: 'member', recordId: changed.id, action: 'note', fromState: null, toState: null, diff: null, note: 'after copy' });
      const after = (await target.audit.forRecord(target.db, changed.id)).entries;
      expect(Math.max(...after.map((e) => e.id))).toBeGreaterThan(Math.max(...(await history(source)).map((h) => h[0] as number)));
    } finally {
      await source.close();
      await target.close();
    }

    // Into a database that already holds data: refused, nothing written.
    await expect(migrateSqliteFile(sqliteFile, url)).rejects.toThrow(/只能迁移到空的数据库/);
  });

  it('npm run admin -- migrate-to-postgres: the copy serves as the old server did, on PostgreSQL', async () => {
    const url = await cluster.createDatabase();
    const run = await runAdmin(undefined, ['migrate-to-postgres', '--from', sqliteFile, '--to', url]);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toMatch(/records\s+\d+ 行  已核对/);
    expect(run.stdout).toContain('未复制：');
    const server = await startServer({ appRoot: repoRoot, database: url, port: 0, demo: true });
    try {
      // Not a new demo: the database was not empty. Logins and data are the old server's.
      expect(server.demoLogins).toEqual([]);
      const client = new Client(server.url);
      expect((await client.post('/api/login', { username: 'bj_admin', password: 'caiji-demo' })).status).toBe(200);
      const edited = await client.get(`/api/records/member/${editedId}`);
      expect([edited.status, (edited.body as { data: Record<string, unknown> }).data.address]).toEqual([200, '迁移前改的地址']);
      const history = await client.get(`/api/records/member/${editedId}/history`);
      expect((history.body as { items: { action: string }[] }).items.map((e) => e.action)).toContain('update');
    } finally {
      await server.close();
    }
    // Refused without a target URL of the right kind, before anything is opened.
    const bad = await runAdmin(undefined, ['migrate-to-postgres', '--from', sqliteFile, '--to', 'mysql://x/y']);
    expect([bad.code, bad.stderr]).toEqual([1, expect.stringContaining('「--to」须是 postgres://')]);
  });

  it('refuses a missing source file and a URL that is not PostgreSQL', async () => {
    await expect(migrateSqliteFile('/nonexistent/caiji.db', await cluster.createDatabase())).rejects.toThrow(/找不到 SQLite 数据库文件/);
    await expect(openStorage('mysql://somewhere/db')).rejects.toThrow(/CAIJI_DB 不支持「mysql:」/);
  });
});
