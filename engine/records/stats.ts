import type { Queryable } from '../storage/sqlite.js';
import type { AppRuntime } from '../runtime/runtime.js';

export interface SubtreeStats {
  collection: string;
  total: number;
  complete: number;
  /** Share of complete records, 0–1; null when there are none. */
  completeness: number | null;
  byState: Record<string, number>;
}

/** '/a/b/c/' → 'c': the node a tree path belongs to. */
const nodeOfPath = (path: string) => path.split('/').at(-2) ?? '';

/**
 * Counts per state and completeness of each completeness-tracked collection in a subtree. Reads
 * the per-node counters that triggers on the records table keep current in every writing
 * transaction (migration 3), so the cost does not grow with the number of records.
 */
export async function subtreeStats(db: Queryable, rt: AppRuntime, path: string): Promise<SubtreeStats[]> {
  const tracked = [...rt.config.collections.values()].filter((c) => c.completeness).map((c) => c.name);
  if (!tracked.length) return [];
  const rows = await db.all<{ collection: string; state: string; n: number; done: number }>(
    `SELECT collection, state, total AS n, complete AS done FROM subtree_counts
     WHERE node_id = ? AND collection IN (${tracked.map(() => '?').join(',')}) AND total > 0`,
    [nodeOfPath(path), ...tracked],
  );
  return tracked.map((collection) => {
    const mine = rows.filter((r) => r.collection === collection);
    const total = mine.reduce((a, r) => a + r.n, 0);
    const complete = mine.reduce((a, r) => a + r.done, 0);
    const byState = Object.fromEntries(mine.filter((r) => r.state !== '').map((r) => [r.state, r.n]));
    return { collection, total, complete, completeness: total ? complete / total : null, byState };
  });
}

/**
 * Records of `collection` (in `state`, when given) in a node's subtree, or with `deep` false on
 * the node itself: its subtree's counter less its child nodes' counters. Read from the counters,
 * so it costs the same for a branch of ten members and one of ten thousand. (Not for counting the
 * tree collection's direct children: a node's counter includes the node itself.)
 */
export async function countUnder(db: Queryable, tree: string, nodeId: string, collection: string, state: string | null, deep: boolean): Promise<number> {
  const row = await db.get<{ n: number }>(
    `SELECT coalesce((SELECT sum(total) FROM subtree_counts WHERE node_id = ?1 AND collection = ?2 AND (?3 IS NULL OR state = ?3)), 0)
       - CASE WHEN ?4 THEN 0 ELSE coalesce((SELECT sum(s.total) FROM records r JOIN subtree_counts s ON s.node_id = r.id
           WHERE r.collection = ?5 AND r.node_id = ?1 AND s.collection = ?2 AND (?3 IS NULL OR s.state = ?3)), 0) END AS n`,
    [nodeId, collection, state, deep ? 1 : 0, tree],
  );
  return row?.n ?? 0;
}
