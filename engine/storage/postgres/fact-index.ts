import type { PgQueryable } from './connection.js';
import type { ReadScope } from '../../ports.js';
import { regionCondition, scopeCondition, scopeRegions } from './record-query.js';
import { regionDepth, regionOfSubtree } from './region.js';
import { nodeOfPath, pathUpperBound } from '../../tree-paths.js';
import { upperRowsSql } from './subtree-counts.js';
import { Params, jsonField, sqliteValue, typedOf } from './json-values.js';

/**
 * Grouped counts of a collection's code fields on PostgreSQL, with the same results as
 * engine/storage/sqlite/fact-index.ts: one row per combination of the fields' values (and per child of a
 * node) that occurs in scope.
 *
 * SQLite reads them from an expression index alone. PostgreSQL cannot: its planner does an
 * index-only scan only when every column the query names is in the index, and an expression over
 * `data` names `data` (the documented limit of index-only scans on expression indexes). So here it
 * is a GROUP BY over the scope's path range, reading the rows; `ensure` has nothing to make. What
 * such a scan costs is the values it extracts and hashes per row, so it groups by the raw jsonb
 * values of the fields the caller reads (`read`; the others answer null) and types them per group
 * afterwards, not per row: at 1 000 000 records one field instead of all eight code fields and
 * their array was about three times faster (test/bench/postgres-bench.ts). A count per child of a
 * node that reads no field, over exactly that node's subtree, is the child nodes' subtree counters
 * (schema/records.ts) and needs no scan at all: the same for ten records as for a province.
 */
/**
 * Records of `collection` in the subtree of the node at `path`, per child node ('' for the node
 * itself), from the counters: each child's subtree counter, and the node's own less theirs. The
 * children are the node's records in its own (the tree's) collection, by the (collection, node_id)
 * index; a child's counter counts it too when the collection is the tree's, as the scan would.
 */
async function perChildFromCounters(db: PgQueryable, collection: string, path: string): Promise<{ child: string; n: number }[]> {
  const node = nodeOfPath(path);
  // A node at or below the region depth: it, its children and their counters are all in its region
  // (region.ts). Above it the counters hold only their own level (schema/upper-counts.ts): the rows
  // of the nodes down to the region depth in its subtree are summed per child — every region.
  const region = regionOfSubtree(path, await regionDepth(db));
  if (region === null) {
    const { rows } = await db.query<{ child: string; n: number }>(
      `SELECT CASE WHEN u.node = $1 THEN '' ELSE split_part(substr(u.path, length($3) + 1), '/', 1) END AS child, sum(u.total) AS n
       FROM (${upperRowsSql(3)}) u WHERE u.collection = $2
       GROUP BY 1 HAVING sum(u.total) > 0`,
      [node, collection, path, pathUpperBound(path)]);
    return rows.map((r) => ({ child: r.child, n: Number(r.n) }));
  }
  const { rows } = await db.query<{ child: string; n: number }>(
    `WITH kids AS (
       SELECT c.id FROM records t JOIN records c ON c.collection = t.collection AND c.node_id = t.id AND c.path = $3 || c.id || '/' AND c.region = $4
       WHERE t.id = $1 AND t.region = $4
     ), per_child AS (
       SELECT s.node_id AS child, sum(s.total) AS n FROM subtree_counts s JOIN kids k ON k.id = s.node_id WHERE s.collection = $2 AND s.region = $4 GROUP BY 1
     )
     SELECT child, n FROM per_child WHERE n > 0
     UNION ALL
     SELECT '', n FROM (SELECT coalesce((SELECT sum(total) FROM subtree_counts s WHERE s.node_id = $1 AND s.collection = $2 AND s.region = $4), 0)
                             - coalesce((SELECT sum(n) FROM per_child), 0) AS n) own WHERE n > 0`,
    [node, collection, path, region]);
  return rows.map((r) => ({ child: r.child, n: Number(r.n) }));
}

export const pgFactIndex = {
  async ensure(_db: PgQueryable, _collection: string, _fields: string[]): Promise<void> {},

  /** Any field names serve (they are parameters). */
  indexable(_collection: string, fields: string[]): boolean {
    return fields.length > 0 && fields.length <= 100;
  },

  /**
   * Counts of the records in scope per combination of these code fields' values (and, with
   * `childOf`, per child of that path: '' for the node itself); with `read`, per combination of
   * those fields only, the others null.
   */
  async groupCount(db: PgQueryable, collection: string, fields: string[], scope: ReadScope, childOf?: string, read?: string[]): Promise<{ values: (string | null)[]; child?: string; n: number }[]> {
    if (read && !read.length && childOf !== undefined && !scope.selfRecord && scope.paths.length === 1 && scope.paths[0] === childOf) {
      return (await perChildFromCounters(db, collection, childOf)).map((r) => ({ values: fields.map(() => null), ...r }));
    }
    const p = new Params();
    const grouped = read ? fields.filter((f) => read.includes(f)) : fields;
    // Per row, the raw values (jsonb hashes as it is stored); per group, as SQLite's json_extract:
    // with one path its typed value (true is 1, JSON null is NULL), with several a JSON array of the
    // values as the JSON holds them (absent: null) — raw groups that read alike merge there.
    const raw = grouped.map((f, i) => `${jsonField('data', f, p)} AS v${i}`);
    const child = childOf === undefined ? '' : `split_part(substr(path, ${p.add(childOf.length + 1)}::int), '/', 1)`;
    const keys = [...raw, ...(child ? [`${child} AS child`] : [])];
    const fp = !grouped.length ? '' : fields.length === 1 ? typedOf('v0') : `jsonb_build_array(${grouped.map((_, i) => `v${i}`).join(', ')})`;
    const outer = [...(fp ? [`${fp} AS fp`] : []), ...(child ? ['child'] : [])];
    const region = regionCondition(scopeRegions(scope, await regionDepth(db)), p);
    const where = `collection = ${p.add(collection)}${region ? ` AND ${region}` : ''} AND ${scopeCondition(scope, p)}`;
    const sql = outer.length
      ? `SELECT ${outer.join(', ')}, sum(n) AS n
         FROM (SELECT ${keys.join(', ')}, count(*) AS n FROM records WHERE ${where} GROUP BY ${keys.map((_, i) => i + 1).join(', ')}) g
         GROUP BY ${outer.map((_, i) => i + 1).join(', ')}`
      : `SELECT count(*) AS n FROM records WHERE ${where} HAVING count(*) > 0`;
    const { rows } = await db.query<{ fp?: unknown; child?: string; n: number }>(sql, p.values);
    return rows.map((r) => ({
      values: fields.map((f) => {
        const i = grouped.indexOf(f);
        if (i < 0) return null;
        return (fields.length === 1 ? sqliteValue(r.fp) : (r.fp as unknown[])[i]) as string | null;
      }),
      ...(child ? { child: r.child ?? '' } : {}),
      n: Number(r.n),
    }));
  },
};
