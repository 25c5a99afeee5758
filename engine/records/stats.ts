import type { Queryable } from '../storage/sqlite.js';
import { pathUpperBound } from '../auth/permissions.js';
import type { AppRuntime } from '../runtime/runtime.js';

export interface SubtreeStats {
  collection: string;
  total: number;
  complete: number;
  /** Share of complete records, 0–1; null when there are none. */
  completeness: number | null;
  byState: Record<string, number>;
}

/** Counts per state and completeness of each completeness-tracked collection in a subtree. */
export async function subtreeStats(db: Queryable, rt: AppRuntime, path: string): Promise<SubtreeStats[]> {
  const out: SubtreeStats[] = [];
  for (const c of rt.config.collections.values()) {
    if (!c.completeness) continue;
    const rows = await db.all<{ state: string | null; n: number; done: number }>(
      'SELECT state, count(*) AS n, sum(complete) AS done FROM records WHERE collection = ? AND path >= ? AND path < ? GROUP BY state',
      [c.name, path, pathUpperBound(path)],
    );
    const total = rows.reduce((a, r) => a + r.n, 0);
    const complete = rows.reduce((a, r) => a + (r.done ?? 0), 0);
    const byState = Object.fromEntries(rows.filter((r) => r.state !== null).map((r) => [r.state!, r.n]));
    out.push({ collection: c.name, total, complete, completeness: total ? complete / total : null, byState });
  }
  return out;
}
