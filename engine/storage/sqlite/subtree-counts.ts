import type { Queryable } from './sqlite.js';
import type { CounterRow } from '../../ports.js';
import { nodeOfPath } from '../../tree-paths.js';

/**
 * The per-node counters that triggers on the records table keep current in every writing
 * transaction (migration 3): reading them costs the same for a branch of ten records and one of
 * ten thousand.
 */
export const subtreeCounts = {
  /** The counters of a node's subtree for these collections (rows with records only). */
  ofNode(db: Queryable, nodePath: string, collections: string[]): Promise<CounterRow[]> {
    if (!collections.length) return Promise.resolve([]);
    const nodeId = nodeOfPath(nodePath);
    return db.all<CounterRow>(
      `SELECT collection, state, total, complete FROM subtree_counts
       WHERE node_id = ? AND collection IN (${collections.map(() => '?').join(',')}) AND total > 0`,
      [nodeId, ...collections],
    );
  },

  /**
   * Records of `collection` (in `state`, when given) in a node's subtree, or with `deep` false on
   * the node itself: its subtree's counter less its child nodes' (of the tree collection `tree`)
   * counters. Not for counting the tree collection's direct children: a node's counter includes
   * the node itself.
   */
  async countUnder(db: Queryable, tree: string, nodePath: string, collection: string, state: string | null, deep: boolean): Promise<number> {
    const nodeId = nodeOfPath(nodePath);
    const row = await db.get<{ n: number }>(
      `SELECT coalesce((SELECT sum(total) FROM subtree_counts WHERE node_id = ?1 AND collection = ?2 AND (?3 IS NULL OR state = ?3)), 0)
         - CASE WHEN ?4 THEN 0 ELSE coalesce((SELECT sum(s.total) FROM records r JOIN subtree_counts s ON s.node_id = r.id
             WHERE r.collection = ?5 AND r.node_id = ?1 AND s.collection = ?2 AND (?3 IS NULL OR s.state = ?3)), 0) END AS n`,
      [nodeId, collection, state, deep ? 1 : 0, tree],
    );
    return row?.n ?? 0;
  },
};
