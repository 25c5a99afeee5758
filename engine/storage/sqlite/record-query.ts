import type { Param, Queryable } from './sqlite.js';
import type { StoredRecord, ReadScope, RecordFilter, ValuePlace } from '../../ports.js';
import { RECORD_COLUMNS, fromRow } from './records.js';
import { pathUpperBound } from '../../tree-paths.js';
import { domainBadRequest } from '../../errors.js';

const escapeLike = (s: string) => s.replace(/[\\%_]/g, (ch) => '\\' + ch);

/** A child table's rows are its array's objects; anything else there (not validated yet) is no row. */
const ROWS_OF = (data: string) => `json_type(${data}, ?) = 'array'`;

/** The scope as a SQL condition over the records table (uses the (collection, path) index). */
export function scopeCondition(scope: ReadScope): { sql: string; params: Param[] } {
  const parts: string[] = [];
  const params: Param[] = [];
  for (const p of scope.paths) {
    parts.push('(path >= ? AND path < ?)');
    params.push(p, pathUpperBound(p));
  }
  if (scope.selfRecord) {
    parts.push('id = ?');
    params.push(scope.selfRecord);
  }
  return { sql: parts.length ? `(${parts.join(' OR ')})` : '0', params };
}

function whereOf(f: RecordFilter): { sql: string; params: Param[] } {
  const where = ['collection = ?'];
  const params: Param[] = [f.collection];
  if (f.scope) {
    const s = scopeCondition(f.scope);
    where.push(s.sql);
    params.push(...s.params);
  }
  if (f.subtree) {
    where.push('path >= ? AND path < ?');
    params.push(f.subtree, pathUpperBound(f.subtree));
  }
  if (f.node) {
    where.push('node_id = ?');
    params.push(f.node);
  }
  if (f.state) {
    where.push('state = ?');
    params.push(f.state);
  }
  if (f.equals?.table !== undefined) {
    where.push(`${ROWS_OF('data')} AND EXISTS (SELECT 1 FROM json_each(data, ?) AS r WHERE r.type = 'object' AND json_extract(r.value, ?) = ?)`);
    params.push(`$.${f.equals.table}`, `$.${f.equals.table}`, `$.${f.equals.field}`, f.equals.value);
  } else if (f.equals) {
    where.push('json_extract(data, ?) = ?');
    params.push(`$.${f.equals.field}`, f.equals.value);
  }
  if (f.search) {
    where.push(`(${f.search.fields.map(() => "json_extract(data, ?) LIKE ? ESCAPE '\\'").join(' OR ')})`);
    for (const field of f.search.fields) params.push(`$.${field}`, `%${escapeLike(f.search.text)}%`);
  }
  return { sql: where.join(' AND '), params };
}

/**
 * The cursor of a page is opaque to everybody but this module: today the position of the last
 * record in insertion order.
 */
function afterOf(cursor: string | undefined): number | undefined {
  if (cursor === undefined) return undefined;
  const after = Number(cursor);
  if (!/^\d+$/.test(cursor) || !Number.isSafeInteger(after)) throw domainBadRequest('cursor 无效');
  return after;
}

/** countByValue in one top-level field: a record holds one value there, so a plain count per value. */
async function countInField(db: Queryable, collection: string, field: string, values: string[], subtree?: string): Promise<Map<string, number>> {
  const w = whereOf({ collection, subtree });
  const rows = await db.all<{ value: string; n: number }>(
    `SELECT json_extract(data, ?) AS value, count(*) AS n FROM records WHERE ${w.sql} AND json_extract(data, ?) IN (${values.map(() => '?').join(',')}) GROUP BY value`,
    [`$.${field}`, ...w.params, `$.${field}`, ...values],
  );
  return new Map(rows.map((r) => [r.value, r.n]));
}

/** countByValue over places: each place's (record, value) pairs, grouped by value counting each record once. */
async function countInPlaces(db: Queryable, collection: string, places: ValuePlace[], values: string[], subtree?: string): Promise<Map<string, number>> {
  const params: Param[] = [];
  const list = values.map(() => '?').join(',');
  const parts = places.map((place) => {
    const w = whereOf({ collection, subtree });
    if (place.table === undefined) {
      params.push(`$.${place.field}`, ...w.params, `$.${place.field}`, ...values);
      return `SELECT id, json_extract(data, ?) AS value FROM records WHERE ${w.sql} AND json_extract(data, ?) IN (${list})`;
    }
    // The records first: json_each has columns of its own named id and path.
    params.push(`$.${place.field}`, ...w.params, `$.${place.table}`, `$.${place.table}`, `$.${place.field}`, ...values);
    return `SELECT m.id, json_extract(r.value, ?) AS value FROM (SELECT id, data FROM records WHERE ${w.sql}) AS m, json_each(m.data, ?) AS r`
      + ` WHERE ${ROWS_OF('m.data')} AND r.type = 'object' AND json_extract(r.value, ?) IN (${list})`;
  });
  const rows = await db.all<{ value: string; n: number }>(`SELECT value, count(DISTINCT id) AS n FROM (${parts.join(' UNION ALL ')}) GROUP BY value`, params);
  return new Map(rows.map((r) => [r.value, r.n]));
}

/** Reading records by what they hold: pages, counts, ids and values, for lists, reports and bulk changes. */
export const recordQuery = {
  /** A page of the records a filter selects, in insertion order, after an opaque cursor. */
  async page(db: Queryable, f: RecordFilter, limit: number, cursor?: string): Promise<{ items: StoredRecord[]; nextCursor: string | null }> {
    const after = afterOf(cursor);
    const w = whereOf(f);
    const rows = await db.all<Parameters<typeof fromRow>[0] & { seq: number }>(
      `SELECT ${RECORD_COLUMNS} FROM records WHERE ${w.sql}${after ? ' AND rowid > ?' : ''} ORDER BY rowid LIMIT ?`,
      [...w.params, ...(after ? [after] : []), limit + 1],
    );
    const more = rows.length > limit;
    const items = rows.slice(0, limit);
    return { items: items.map(fromRow), nextCursor: more ? String(items.at(-1)!.seq) : null };
  },

  async count(db: Queryable, f: RecordFilter): Promise<number> {
    const w = whereOf(f);
    return (await db.get<{ n: number }>(`SELECT count(*) AS n FROM records WHERE ${w.sql}`, w.params))?.n ?? 0;
  },

  /** Ids of every record a filter selects, in insertion order (for changes applied one by one). */
  async ids(db: Queryable, f: RecordFilter): Promise<string[]> {
    const w = whereOf(f);
    return (await db.all<{ id: string }>(`SELECT id FROM records WHERE ${w.sql} ORDER BY rowid`, w.params)).map((r) => r.id);
  },

  /**
   * How many records of a collection hold each of `values` in any of `places` (optionally in a
   * subtree) — a (record, value) pair counted once however many places or rows hold it. One
   * top-level field alone is counted plainly (no union, no DISTINCT).
   */
  async countByValue(db: Queryable, collection: string, places: ValuePlace[], values: string[], subtree?: string): Promise<Map<string, number>> {
    if (!values.length || !places.length) return new Map();
    if (places.length === 1 && places[0].table === undefined) return countInField(db, collection, places[0].field, values, subtree);
    return countInPlaces(db, collection, places, values, subtree);
  },

  /** Chosen fields of every record a filter selects, in path order (e.g. the tree nodes an upload may name). */
  async fields(db: Queryable, f: RecordFilter, fields: string[]): Promise<{ id: string; path: string; values: Record<string, unknown> }[]> {
    const w = whereOf(f);
    const rows = await db.all<Record<string, unknown> & { id: string; path: string }>(
      `SELECT id, path${fields.map((_, i) => `, json_extract(data, ?) AS f${i}`).join('')} FROM records WHERE ${w.sql} ORDER BY path`,
      [...fields.map((field) => `$.${field}`), ...w.params],
    );
    return rows.map((r) => ({ id: r.id, path: r.path, values: Object.fromEntries(fields.map((field, i) => [field, r[`f${i}`]])) }));
  },

  /** One field's value of each of these records, by id (e.g. the labels of a path's nodes). */
  async fieldOf(db: Queryable, ids: string[], field: string): Promise<Map<string, unknown>> {
    if (!ids.length) return new Map();
    const rows = await db.all<{ id: string; value: unknown }>(
      `SELECT id, json_extract(data, ?) AS value FROM records WHERE id IN (${ids.map(() => '?').join(',')})`, [`$.${field}`, ...ids]);
    return new Map(rows.map((r) => [r.id, r.value]));
  },
};
