import type { Storage } from '../ports.js';
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

/**
 * Counts per state and completeness of each completeness-tracked collection in a subtree, from
 * the per-node counters (the port's SubtreeStats), so the cost does not grow with the records.
 */
export async function subtreeStats(storage: Pick<Storage, 'db' | 'subtreeStats'>, rt: AppRuntime, path: string): Promise<SubtreeStats[]> {
  const tracked = [...rt.config.collections.values()].filter((c) => c.completeness).map((c) => c.name);
  const rows = await storage.subtreeStats.ofNode(storage.db, path, tracked);
  return tracked.map((collection) => {
    const mine = rows.filter((r) => r.collection === collection);
    const total = mine.reduce((a, r) => a + r.total, 0);
    const complete = mine.reduce((a, r) => a + r.complete, 0);
    const byState = Object.fromEntries(mine.filter((r) => r.state !== '').map((r) => [r.state, r.total]));
    return { collection, total, complete, completeness: total ? complete / total : null, byState };
  });
}
