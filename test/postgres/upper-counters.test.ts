/**
 * PostgreSQL's counters from the region down (migration 6, schema/upper-counts.ts): a write that
 * changes a count touches only counter rows of its own region — two regions' saves never queue on
 * a shared row such as the root's — and the nodes above the region depth, whose rows hold their own
 * level only, read as the sum of their subtree's rows: the same figures as a scan of the records,
 * at every node, through creates, state and completeness changes, a move across regions and a
 * delete. A real server over a throwaway cluster, the demo tree at region depth 2 and 3.
 */
import { describe, expect, it } from 'vitest';
import pg from 'pg';
import { demoServerOn, useTestCluster } from '../helpers/pg-test-cluster.js';
import { memberData, nodeId } from '../helpers/demo.js';
import { PgDatabase } from '../../engine/storage/postgres/connection.js';
import { migrate } from '../../engine/storage/postgres/migrations.js';
import { pgRecordWrites } from '../../engine/storage/postgres/record-writes.js';
import { pgSubtreeCounts } from '../../engine/storage/postgres/subtree-counts.js';
import type { StoredRecord } from '../../engine/ports.js';
import { pathUpperBound } from '../../engine/tree-paths.js';
import { REGION_DEPTH_ENV } from '../../engine/storage/postgres/region.js';

const cluster = useTestCluster();

/** The demo server on a new database made at region depth `depth`. */
async function serverAt(depth: number): ReturnType<typeof demoServerOn> {
  process.env[REGION_DEPTH_ENV] = String(depth);
  try {
    return await demoServerOn(cluster());
  } finally {
    delete process.env[REGION_DEPTH_ENV];
  }
}

describe('counters kept from the region down', () => {
  it('count-changing writes in two regions do not wait on each other (no shared counter row, the root\'s included)', { timeout: 60_000 }, async () => {
    const { server, url } = await serverAt(2);
    const a = new pg.Client({ connectionString: url });
    const b = new pg.Client({ connectionString: url });
    await a.connect();
    await b.connect();
    try {
      // One member in each of two regions (the root's children).
      const { rows } = await a.query<{ id: string; region: string }>(
        `SELECT DISTINCT ON (region) id, region FROM records WHERE collection = 'member' ORDER BY region, id`);
      expect(rows.length).toBeGreaterThanOrEqual(2);
      await a.query('BEGIN');
      await a.query('UPDATE records SET complete = NOT complete WHERE id = $1', [rows[0].id]);
      // Held uncommitted: the other region's count-changing write goes through at once. Before
      // migration 6 both updated the root's counter row, and this one waited for the lock.
      await b.query("SET lock_timeout = '3s'");
      await b.query('BEGIN');
      await b.query('UPDATE records SET complete = NOT complete WHERE id = $1', [rows[1].id]);
      await b.query('ROLLBACK');
      await a.query('ROLLBACK');
    } finally {
      await a.end();
      await b.end();
      await server.close();
    }
  });

  it('a database of version 5 keeps its figures: the rows of the nodes above the region are rebuilt to their own level', async () => {
    const db = await PgDatabase.open(await cluster().createDatabase());
    try {
      await migrate(db, 5, {});
      const at = '2026-01-01T00:00:00.000Z';
      const rec = (id: string, collection: string, nodeId: string | null, path: string, complete = false): StoredRecord => ({
        id, collection, nodeId, path, data: {}, state: null, workflow: null, workflowContext: null, complete, codeVersions: null,
        version: 1, createdAt: at, createdBy: 'test', updatedAt: at, updatedBy: 'test',
      });
      const audit = { action: 'create', fromState: null, diff: null, note: null };
      for (const r of [rec('root', 'org', null, '/root/'), rec('p1', 'org', 'root', '/root/p1/'), rec('p2', 'org', 'root', '/root/p2/'),
        rec('d1', 'org', 'p1', '/root/p1/d1/'), rec('m1', 'member', 'd1', '/root/p1/d1/', true), rec('m2', 'member', 'p2', '/root/p2/'),
        rec('m0', 'member', 'root', '/root/')]) {
        await pgRecordWrites.create(db, r, [], audit);
      }
      const figures = async () => Object.fromEntries(await Promise.all(['/root/', '/root/p1/', '/root/p2/', '/root/p1/d1/'].map(async (path) =>
        [path, (await pgSubtreeCounts.ofNode(db, path, ['org', 'member'])).map((c) => `${c.collection} ${c.total} ${c.complete}`).sort()])));
      const root = async () => (await db.query("SELECT collection, total FROM subtree_counts WHERE node_id = 'root' ORDER BY 1")).rows;
      expect(await root()).toEqual([{ collection: 'member', total: 3 }, { collection: 'org', total: 4 }]);
      await migrate(db, Infinity, {});
      expect(await root()).toEqual([{ collection: 'member', total: 1 }, { collection: 'org', total: 1 }]);
      expect(await figures()).toEqual({
        '/root/': ['member 3 1', 'org 4 0'], '/root/p1/': ['member 1 1', 'org 2 0'], '/root/p2/': ['member 1 0', 'org 1 0'], '/root/p1/d1/': ['member 1 1', 'org 1 0'],
      });
    } finally {
      await db.close();
    }
  });

  for (const depth of [2, 3]) {
    it(`at region depth ${depth}: every node's figures equal a scan of its records, through creates, state changes, a move across regions and a delete`, { timeout: 120_000 }, async () => {
      const { server, login } = await serverAt(depth);
      const db = server.engine.storage.db as PgDatabase;
      const { subtreeStats, factIndex } = server.engine.storage;
      try {
        const bj = await login('bj_admin');
        const nodes = async () => (await db.query<{ id: string; path: string }>("SELECT id, path FROM records WHERE collection = 'organization' ORDER BY path")).rows;
        const scan = async (path: string) => (await db.query<{ collection: string; state: string; total: number; complete: number }>(
          `SELECT collection, coalesce(state, '') AS state, count(*) AS total, count(*) FILTER (WHERE complete) AS complete
           FROM records WHERE collection IN ('member', 'organization') AND path >= $1 AND path < $2 GROUP BY 1, 2 ORDER BY 1, 2`, [path, pathUpperBound(path)])).rows;
        const ownMembers = async (id: string) => Number((await db.query<{ n: number }>("SELECT count(*) AS n FROM records WHERE collection = 'member' AND node_id = $1", [id])).rows[0].n);
        const perChild = async (path: string) => Object.fromEntries((await db.query<{ child: string; n: number }>(
          `SELECT CASE WHEN path = $1 THEN '' ELSE split_part(substr(path, length($1) + 1), '/', 1) END AS child, count(*) AS n
           FROM records WHERE collection = 'member' AND path >= $1 AND path < $2 GROUP BY 1`, [path, pathUpperBound(path)])).rows.map((r) => [r.child, Number(r.n)]));
        const check = async (step: string) => {
          for (const n of await nodes()) {
            const counted = (await subtreeStats.ofNode(db, n.path, ['member', 'organization'])).sort((x, y) => `${x.collection}${x.state}`.localeCompare(`${y.collection}${y.state}`));
            const scanned = (await scan(n.path)).sort((x, y) => `${x.collection}${x.state}`.localeCompare(`${y.collection}${y.state}`));
            expect(counted, `${step}: ${n.path}`).toEqual(scanned);
            const members = scanned.filter((r) => r.collection === 'member').reduce((s, r) => s + r.total, 0);
            expect(await subtreeStats.countUnder(db, 'organization', n.path, 'member', null, true), `${step}: deep ${n.path}`).toBe(members);
            expect(await subtreeStats.countUnder(db, 'organization', n.path, 'member', null, false), `${step}: own ${n.path}`).toBe(await ownMembers(n.id));
            const grouped = await factIndex.groupCount(db, 'member', ['gender'], { paths: [n.path] }, n.path, []);
            expect(Object.fromEntries(grouped.map((g) => [g.child, g.n])), `${step}: per child ${n.path}`).toEqual(await perChild(n.path));
          }
        };
        await check('demo data');

        const fengtai = await nodeId(bj, '丰台区委');
        const chaoyang = await nodeId(bj, '朝阳区党委');
        const huimin = await nodeId(bj, '惠民党支部');
        const created = await Promise.all([1, 2, 3].map(() => bj.post('/api/records/member', memberData(huimin))));
        expect(created.map((c) => c.status)).toEqual([201, 201, 201]);
        await bj.post('/api/records/member', memberData(fengtai)); // on the district itself (above the region at depth 3)
        await db.query('UPDATE records SET complete = NOT complete WHERE id = $1', [created[0].body.id]);
        await db.query("UPDATE records SET state = 'submitted' WHERE id = $1", [created[1].body.id]);
        await check('after creates and changes');

        const branch = await bj.get(`/api/records/organization/${huimin}`);
        const moved = await bj.put(`/api/records/organization/${huimin}`, { ...branch.body.data, parentId: chaoyang }, branch.body.version);
        expect(moved.status, JSON.stringify(moved.body)).toBe(200);
        await check('after the move');

        const gone = await bj.delete(`/api/records/member/${created[2].body.id}`);
        expect(gone.status).toBeLessThan(300);
        await check('after a delete');

        // The root's own row counts its own level only; its figures are the sum of the regions'.
        const root = (await nodes())[0];
        const own = (await db.query<{ n: number }>('SELECT coalesce(sum(total), 0) AS n FROM subtree_counts WHERE node_id = $1', [root.id])).rows[0].n;
        expect(Number(own)).toBe(Number((await db.query<{ n: number }>('SELECT count(*) AS n FROM records WHERE path = $1', [root.path])).rows[0].n));
      } finally {
        await server.close();
      }
    });
  }
});
