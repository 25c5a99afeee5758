import { DomainError } from '../../errors.js';
import { PgDatabase, PgTransaction, type PgQueryable } from './connection.js';

/**
 * The distribution column `region` (migration 5, schema/region.ts): the segment of a record's
 * path at the database's region depth — with the default depth 2 the root's child a record lies
 * under ('/root/province/…/' → 'province'). A path above that depth (the root's own records, a
 * node shallower than the depth) takes its own last segment: the root's records are region 'root'.
 * The SQL function path_region computes the same for rows; these compute it for the queries'
 * conditions, so the two can never disagree on a path (test/postgres/distribution.test.ts).
 *
 * The depth is chosen once, when the migration that creates the column runs (CAIJI_REGION_DEPTH,
 * default 2) and inlined as the constant of the SQL function region_depth(), which path_region and
 * the counter triggers call: it never changes under a database, since every stored region (and, on
 * Citus, every row's shard) follows it. A later start asking for another depth is refused (migrations.ts).
 */

export const DEFAULT_REGION_DEPTH = 2;
export const REGION_DEPTH_ENV = 'CAIJI_REGION_DEPTH';

/** The path's segments: '/a/b/c/' → ['a', 'b', 'c']. */
const segments = (path: string) => path.split('/').filter(Boolean);

/** The region a row with this path is stored under (records.path, audit.path, a counter's node path). */
export function regionOfPath(path: string, depth: number): string {
  const s = segments(path);
  return s[Math.min(depth, s.length) - 1] ?? '';
}

/**
 * The one region every row of the subtree of `path` is in, or null when the subtree spans several
 * (its node is above the region depth): only then may a query of that subtree go without `region = …`.
 */
export function regionOfSubtree(path: string, depth: number): string | null {
  const s = segments(path);
  return s.length >= depth ? s[depth - 1] : null;
}

/**
 * The regions a set of subtrees (a read scope's granted paths) lie in, or null when one of them
 * spans several regions (the query is then cross-shard).
 */
export function regionsOfSubtrees(paths: string[], depth: number): string[] | null {
  const regions = new Set<string>();
  for (const path of paths) {
    const r = regionOfSubtree(path, depth);
    if (r === null) return null;
    regions.add(r);
  }
  return [...regions];
}

/** The depth CAIJI_REGION_DEPTH asks for (undefined: not set); anything but an integer from 2 to 32 is refused in words. */
export function regionDepthFromEnv(env: NodeJS.ProcessEnv = process.env): number | undefined {
  const raw = env[REGION_DEPTH_ENV]?.trim();
  if (!raw) return undefined;
  const n = Number(raw);
  if (!/^\d+$/.test(raw) || n < 2 || n > 32) {
    throw new DomainError('invalid', 'invalid_region_depth',
      `${REGION_DEPTH_ENV}=${raw} 无效：分布列所在的层级应为 2 到 32 之间的整数（2 为根节点的下一级，即省级节点）`);
  }
  return n;
}

/** The depth of each database, read once per pool (it never changes under a database). */
const depths = new WeakMap<PgDatabase, number>();

/** Notes the depth of a database's pool (migrations.ts, after it read or set it). */
export function rememberRegionDepth(db: PgQueryable, depth: number): void {
  const pool = poolOf(db);
  if (pool) depths.set(pool, depth);
}

const poolOf = (db: PgQueryable): PgDatabase | undefined =>
  db instanceof PgDatabase ? db : db instanceof PgTransaction ? db.database : undefined;

/** The database's region depth: known after its migration; read from the database otherwise. */
export async function regionDepth(db: PgQueryable): Promise<number> {
  const pool = poolOf(db);
  const known = pool && depths.get(pool);
  if (known) return known;
  const depth = (await db.query<{ d: number }>('SELECT region_depth() AS d')).rows[0]?.d;
  if (!depth) throw new Error('the database has no region depth: migrate it first (migration 5)');
  if (pool) depths.set(pool, depth);
  return depth;
}
