import type { PgQueryable } from './connection.js';
import type { CounterRow } from '../../ports.js';

/**
 * The per-node counters that the records table's triggers keep current in every writing
 * transaction (schema/records.ts): reading them costs the same for a branch of ten records and one
 * of ten thousand. engine/storage/sqlite/subtree-counts.ts is the SQLite twin.
 */
export const pgSubtreeCounts = {
  /** The counters of a node's subtree for these collections (rows with records only). */
  async ofNode(db: PgQueryable, nodeId: string, collections: string[]): Promise<CounterRow[]> {
    if (!collections.length) return [];
    return (await db.query<CounterRow>(
      'SELECT collection, state, total, complete FROM subtree_counts WHERE node_id = $1 AND collection = ANY($2::text[]) AND total > 0',
      [nodeId, collections])).rows;
  },

  /**
   * Records of `collection` (in `state`, when given) in a node's subtree, or with `deep` false on
   * the node itself: its subtree's counter less its child nodes' (of the tree collection `tree`)
   * counters. Not for counting the tree collection's direct children: a node's counter includes
   * the node itself.
   */
  async countUnder(db: PgQueryable, tree: string, nodeId: string, collection: string, state: string | null, deep: boolean): Promise<number> {
    const { rows } = await db.query<{ n: number }>(
      `SELECT coalesce((SELECT sum(total) FROM subtree_counts WHERE node_id = $1 AND collection = $2 AND ($3::text IS NULL OR state = $3)), 0)
         - CASE WHEN $4::boolean THEN 0 ELSE coalesce((SELECT sum(s.total) FROM records r JOIN subtree_counts s ON s.node_id = r.id
             WHERE r.collection = $5 AND r.node_id = $1 AND s.collection = $2 AND ($3::text IS NULL OR s.state = $3)), 0) END AS n`,
      [nodeId, collection, state, deep, tree]);
    return rows[0]?.n ?? 0;
  },
};
