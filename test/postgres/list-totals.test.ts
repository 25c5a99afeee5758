/**
 * An admin's list before they choose a node — everything of their one granted subtree — takes its
 * total from the subtree counters, as a node's list does, instead of counting every record of a
 * district or a province: the same total as a count of the records in scope, with no COUNT over
 * the records table sent (on PostgreSQL such a count, with the region it names, cannot be an
 * index-only scan). A real server over a throwaway cluster.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { demoServerOn, useTestCluster } from '../helpers/pg-test-cluster.js';
import { pgStatements } from '../helpers/pg-statements.js';
import type { RunningServer } from '../../engine/server.js';
import type { Client } from '../helpers/client.js';
import { memberData, nodeId } from '../helpers/demo.js';
import type { PgDatabase } from '../../engine/storage/postgres/connection.js';
import { pathUpperBound } from '../../engine/tree-paths.js';

const cluster = useTestCluster();
let server: RunningServer;
let db: PgDatabase;
let login: (username: string) => Promise<Client>;
beforeAll(async () => {
  ({ server, login } = await demoServerOn(cluster()));
  db = server.engine.storage.db as PgDatabase;
}, 120_000);
afterAll(async () => {
  await server?.close();
});

describe('the total of a list without a node', () => {
  it('comes from the counters of the one granted subtree, equal to a count of the records in it', async () => {
    const ft = await login('ft_admin');
    const fengtai = await nodeId(ft, '丰台区委');
    const huimin = await nodeId(ft, '惠民党支部');
    for (let i = 0; i < 3; i++) expect((await ft.post('/api/records/member', memberData(huimin))).status).toBe(201);
    const path = (await db.query<{ path: string }>('SELECT path FROM records WHERE id = $1', [fengtai])).rows[0].path;
    const scanned = async (collection: string, state?: string) => Number((await db.query<{ n: number }>(
      'SELECT count(*) AS n FROM records WHERE collection = $1 AND path >= $2 AND path < $3 AND ($4::text IS NULL OR state = $4)',
      [collection, path, pathUpperBound(path), state ?? null])).rows[0].n);
    const state = (await db.query<{ state: string }>("SELECT state FROM records WHERE collection = 'member' AND state IS NOT NULL AND path >= $1 LIMIT 1", [path])).rows[0].state;

    for (const [url, expected] of [
      ['/api/records/member?limit=20', await scanned('member')],
      [`/api/records/member?limit=20&state=${state}`, await scanned('member', state)],
      ['/api/records/organization?limit=20', await scanned('organization')],
    ] as const) {
      const [sent, res] = await pgStatements(() => ft.get(url));
      expect(res.status).toBe(200);
      expect(res.body.total, url).toBe(expected);
      expect(sent.filter((s) => /count\(\*\)[\s\S]*FROM records/i.test(s)), url).toEqual([]);
    }
    // A search still counts what it finds.
    const found = await ft.get(`/api/records/member?limit=20&q=${encodeURIComponent('王')}`);
    expect(found.status).toBe(200);
    expect(found.body.total).toBe(Number((await db.query<{ n: number }>(
      "SELECT count(*) AS n FROM records WHERE collection = 'member' AND path >= $1 AND path < $2 AND data->>'name' LIKE '%王%'", [path, pathUpperBound(path)])).rows[0].n));
  });
});
