import type { PgQueryable } from './connection.js';
import type { ReadScope } from '../../ports.js';
import { scopeCondition } from './record-query.js';
import { Params, member, sqliteValue, typedOf } from './json-values.js';

/**
 * Grouped counts of a collection's code fields on PostgreSQL, with the same results as
 * engine/storage/fact-index.ts: one row per combination of the fields' values (and per child of a
 * node) that occurs in scope.
 *
 * SQLite reads them from an expression index alone. PostgreSQL cannot: its planner does an
 * index-only scan only when every column the query names is in the index, and an expression over
 * `data` names `data` (the documented limit of index-only scans on expression indexes). So here it
 * is a GROUP BY over the scope's path range on the (collection, path) index, reading the rows;
 * `ensure` has nothing to make.
 */
export const pgFactIndex = {
  async ensure(_db: PgQueryable, _collection: string, _fields: string[]): Promise<void> {},

  /** Any field names serve (they are parameters); jsonb_build_array takes at most 100 arguments. */
  indexable(_collection: string, fields: string[]): boolean {
    return fields.length > 0 && fields.length <= 100;
  },

  /**
   * Counts of the records in scope per combination of these code fields' values (and, with
   * `childOf`, per child of that path: '' for the node itself).
   */
  async groupCount(db: PgQueryable, collection: string, fields: string[], scope: ReadScope, childOf?: string): Promise<{ values: (string | null)[]; child?: string; n: number }[]> {
    const p = new Params();
    // As SQLite's json_extract: with one path its typed value (true is 1), with several a JSON
    // array of the values as the JSON holds them (absent: null).
    const values = fields.map((f) => member('data', f, p));
    const fp = fields.length === 1 ? typedOf(values[0]) : `jsonb_build_array(${values.join(', ')})`;
    const child = childOf === undefined ? '' : `, split_part(substr(path, ${p.add(childOf.length + 1)}::int), '/', 1)`;
    const { rows } = await db.query<{ fp: unknown; child?: string; n: number }>(
      `SELECT ${fp} AS fp${child ? `${child} AS child` : ''}, count(*) AS n FROM records
       WHERE collection = ${p.add(collection)} AND ${scopeCondition(scope, p)} GROUP BY ${child ? '1, 2' : '1'}`,
      p.values,
    );
    return rows.map((r) => ({
      values: (fields.length === 1 ? [sqliteValue(r.fp)] : r.fp) as (string | null)[],
      ...(child ? { child: r.child ?? '' } : {}),
      n: Number(r.n),
    }));
  },
};
