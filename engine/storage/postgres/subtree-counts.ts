import type { PgQueryable } from './connection.js';
import type { CounterRow } from '../../ports.js';
import { nodeOfPath, pathUpperBound } from '../../tree-paths.js';
import { regionDepth, regionOfSubtree } from './region.js';

/**
 * The per-node counters that the records table's triggers keep current in every writing
 * transaction: reading them costs the same for a branch of ten records and one of ten thousand.
 * engine/storage/sqlite/subtree-counts.ts is the SQLite twin.
 *
 * Since migration 6 (schema/upper-counts.ts) a node at or below the region depth has its whole
 * subtree in its row, read by (region, node): one region. A node above it (the root, with the
 * default depth) has only its own level there; its subtree is the sum of the rows whose node is its
 * own region — the nodes down to the region depth — that lie in its subtree, found by their
 * partial index and joined to their nodes on (region, id): every region, a few hundred rows.
 */

/**
 * The counter rows above the region depth in the subtree whose path is `$first` (its upper bound
 * `$first+1`): the rows of the nodes down to the region depth, each with its node's id and path,
 * found by their partial index and joined to their nodes on (region, id).
 */
export const upperRowsSql = (first: number) =>
  `SELECT s.collection, s.state, s.total, s.complete, m.id AS node, m.path FROM subtree_counts s JOIN records m ON m.region = s.region AND m.id = s.node_id
   WHERE s.node_id = s.region AND m.path >= $${first} AND m.path < $${first + 1}`;

/**
 * The counter rows (collection, state, total, complete) of the subtree at `path` for these
 * collections as a SQL source with parameters from `$first` on, and its parameters.
 */
async function subtreeRows(db: PgQueryable, path: string, first: number): Promise<{ sql: string; params: string[] }> {
  const region = regionOfSubtree(path, await regionDepth(db));
  if (region !== null) {
    return { sql: `SELECT collection, state, total, complete FROM subtree_counts WHERE region = $${first} AND node_id = $${first + 1}`, params: [region, nodeOfPath(path)] };
  }
  return { sql: upperRowsSql(first), params: [path, pathUpperBound(path)] };
}

export const pgSubtreeCounts = {
  /** The counters of a node's subtree for these collections (rows with records only). */
  async ofNode(db: PgQueryable, nodePath: string, collections: string[]): Promise<CounterRow[]> {
    if (!collections.length) return [];
    const rows = await subtreeRows(db, nodePath, 2);
    return (await db.query<CounterRow>(
      `SELECT collection, state, sum(total) AS total, sum(complete) AS complete FROM (${rows.sql}) c
       WHERE collection = ANY($1::text[]) GROUP BY 1, 2 HAVING sum(total) > 0 ORDER BY 1, 2`,
      [collections, ...rows.params])).rows;
  },

  /**
   * Records of `collection` (in `state`, when given) in a node's subtree, or with `deep` false on
   * the node itself: its subtree's counter less its child nodes' (of the tree collection `tree`)
   * counters — above the region depth, the node's own row, which holds its own level only. Not
   * for counting the tree collection's direct children: a node's counter includes the node itself.
   */
  async countUnder(db: PgQueryable, tree: string, nodePath: string, collection: string, state: string | null, deep: boolean): Promise<number> {
    const node = nodeOfPath(nodePath);
    const region = regionOfSubtree(nodePath, await regionDepth(db));
    if (region === null && !deep) {
      const { rows } = await db.query<{ n: number }>(
        'SELECT coalesce(sum(total), 0) AS n FROM subtree_counts WHERE region = $1 AND node_id = $1 AND collection = $2 AND ($3::text IS NULL OR state = $3)',
        [node, collection, state]);
      return rows[0]?.n ?? 0;
    }
    const rows = await subtreeRows(db, nodePath, 6);
    const { rows: out } = await db.query<{ n: number }>(
      `SELECT coalesce((SELECT sum(total) FROM (${rows.sql}) c WHERE collection = $2 AND ($3::text IS NULL OR state = $3)), 0)
         - CASE WHEN $4::boolean THEN 0 ELSE coalesce((SELECT sum(s.total) FROM records r JOIN subtree_counts s ON s.region = r.region AND s.node_id = r.id
             WHERE r.region = $6 AND r.collection = $5 AND r.node_id = $1 AND s.collection = $2 AND ($3::text IS NULL OR s.state = $3)), 0) END AS n`,
      [node, collection, state, deep, tree, ...rows.params]);
    return out[0]?.n ?? 0;
  },
};
