import type { PgQueryable } from './connection.js';
import type { ReadScope, RecordFilter, StoredRecord, ValuePlace } from '../../ports.js';
import { RECORD_COLUMNS, fromRow } from './records.js';
import { pathUpperBound } from '../../tree-paths.js';
import { domainBadRequest } from '../../errors.js';
import { Params, asciiLower, asciiLowerText, compareText, jsonField, sqliteValue, textIn, textOf } from './json-values.js';
import { regionDepth, regionOfSubtree, regionsOfSubtrees } from './region.js';

/**
 * Reading records by what they hold on PostgreSQL: engine/storage/sqlite/record-query.ts statement for
 * statement (the port's RecordStore reads). SQLite's rowid is the identity column `seq`: the
 * insertion order pages and ids follow.
 */

/**
 * The scope as a condition over the records table: a range of the byte-ordered path per granted
 * subtree (the (collection, path) index), or the self record; nothing without either.
 */
export function scopeCondition(scope: ReadScope, p: Params, alias = ''): string {
  const parts = scope.paths.map((path) => subtreeCondition(path, p, alias));
  if (scope.selfRecord) parts.push(`${alias}id = ${p.add(scope.selfRecord)}`);
  return parts.length ? `(${parts.join(' OR ')})` : 'false';
}

/** The subtree of `path` (the node itself and everything below it) as a path range. */
export const subtreeCondition = (path: string, p: Params, alias = '') =>
  `(${alias}path COLLATE "C" >= ${p.add(path)} AND ${alias}path COLLATE "C" < ${p.add(pathUpperBound(path))})`;

/**
 * The regions a read scope's rows lie in: its granted subtrees', or null when one spans several
 * regions or the scope holds the user's own record (an id: its region is unknown here).
 */
export const scopeRegions = (scope: ReadScope, depth: number): string[] | null =>
  scope.selfRecord ? null : regionsOfSubtrees(scope.paths, depth);

/**
 * `region = …` over the regions a query's rows lie in (the distribution column, region.ts), or
 * null when they are not known to lie in a few: the query is then cross-shard (cross-shard.ts).
 * On plain PostgreSQL the condition only repeats what the path range says.
 */
export function regionCondition(regions: string[] | null, p: Params, alias = ''): string | null {
  if (!regions?.length) return null;
  return regions.length === 1 ? `${alias}region = ${p.add(regions[0])}` : `${alias}region = ANY(${p.add(regions)}::text[])`;
}

/** `region = …` for the rows of the subtree of `path` when it lies in one region (else null). */
export function subtreeRegionCondition(path: string, depth: number, p: Params, alias = ''): string | null {
  const region = regionOfSubtree(path, depth);
  return region === null ? null : regionCondition([region], p, alias);
}

/** The regions of a filter's rows: its subtree's, else its scope's (region.ts). */
function filterRegions(f: RecordFilter, depth: number): string[] | null {
  const subtree = f.subtree === undefined ? null : regionOfSubtree(f.subtree, depth);
  if (subtree !== null) return [subtree];
  return f.scope ? scopeRegions(f.scope, depth) : null;
}

const escapeLike = (s: string) => s.replace(/[\\%_]/g, (ch) => '\\' + ch);

/**
 * The rows of a child table of the record's data, as `r(v)`: its array's objects (SQLite's
 * json_type = 'array' and json_each's type = 'object'); anything else there is no row.
 */
const rowsOf = (table: string, p: Params) => {
  const t = jsonField('data', table, p);
  return `jsonb_array_elements(CASE WHEN jsonb_typeof(${t}) = 'array' THEN ${t} END) AS r(v)`;
};

function whereOf(f: RecordFilter, p: Params, depth: number): string {
  const where = [`collection = ${p.add(f.collection)}`];
  const region = regionCondition(filterRegions(f, depth), p);
  if (region) where.push(region);
  if (f.scope) where.push(scopeCondition(f.scope, p));
  if (f.subtree) where.push(subtreeCondition(f.subtree, p));
  if (f.node) where.push(`node_id = ${p.add(f.node)}`);
  if (f.state) where.push(`state = ${p.add(f.state)}`);
  if (f.equals?.table !== undefined) {
    where.push(`EXISTS (SELECT 1 FROM ${rowsOf(f.equals.table, p)} WHERE ${compareText(jsonField('r.v', f.equals.field, p), '=', f.equals.value, p)})`);
  } else if (f.equals) where.push(compareText(jsonField('data', f.equals.field, p), '=', f.equals.value, p));
  if (f.search) {
    // SQLite's LIKE: the value as text, ASCII letters in either case.
    const pattern = p.add(asciiLowerText(`%${escapeLike(f.search.text)}%`));
    where.push(`(${f.search.fields.map((field) => `${asciiLower(textOf(jsonField('data', field, p)))} LIKE ${pattern} ESCAPE '\\'`).join(' OR ')})`);
  }
  return where.join(' AND ');
}

/** The cursor of a page is opaque to everybody but this module: the seq of the page's last record. */
function afterOf(cursor: string | undefined): number | undefined {
  if (cursor === undefined) return undefined;
  const after = Number(cursor);
  if (!/^\d+$/.test(cursor) || !Number.isSafeInteger(after)) throw domainBadRequest('cursor 无效');
  return after;
}

/** countByValue in one top-level field: a record holds one value there, so a plain count per value. */
async function countInField(db: PgQueryable, collection: string, field: string, values: string[], subtree?: string): Promise<Map<string, number>> {
  const p = new Params();
  const w = whereOf({ collection, subtree }, p, await regionDepth(db));
  const x = jsonField('data', field, p);
  const { rows } = await db.query<{ value: string; n: number }>(
    `SELECT ${x} #>> '{}' AS value, count(*) AS n FROM records WHERE ${w} AND ${textIn(x, values, p)} GROUP BY 1`, p.values);
  return new Map(rows.map((r) => [r.value, Number(r.n)]));
}

/**
 * countByValue over places: each place's (record, value) pairs — a child table's through its rows,
 * the subtree's region and path range kept on every part — grouped by value counting each record once.
 */
async function countInPlaces(db: PgQueryable, collection: string, places: ValuePlace[], values: string[], subtree?: string): Promise<Map<string, number>> {
  const p = new Params();
  const depth = await regionDepth(db);
  const parts = places.map((place) => {
    const w = whereOf({ collection, subtree }, p, depth);
    if (place.table === undefined) {
      const x = jsonField('data', place.field, p);
      return `SELECT id, ${x} #>> '{}' AS value FROM records WHERE ${w} AND ${textIn(x, values, p)}`;
    }
    const x = jsonField('r.v', place.field, p);
    return `SELECT id, ${x} #>> '{}' AS value FROM records, ${rowsOf(place.table, p)} WHERE ${w} AND ${textIn(x, values, p)}`;
  });
  const { rows } = await db.query<{ value: string; n: number }>(`SELECT value, count(DISTINCT id) AS n FROM (${parts.join(' UNION ALL ')}) AS u GROUP BY value`, p.values);
  return new Map(rows.map((r) => [r.value, Number(r.n)]));
}

export const pgRecordQuery = {
  /** A page of the records a filter selects, in insertion order, after an opaque cursor. */
  async page(db: PgQueryable, f: RecordFilter, limit: number, cursor?: string): Promise<{ items: StoredRecord[]; nextCursor: string | null }> {
    const after = afterOf(cursor);
    const p = new Params();
    const w = whereOf(f, p, await regionDepth(db));
    const { rows } = await db.query<Parameters<typeof fromRow>[0] & { seq: number }>(
      `SELECT ${RECORD_COLUMNS} FROM records WHERE ${w}${after ? ` AND seq > ${p.add(after)}` : ''} ORDER BY seq LIMIT ${p.add(limit + 1)}`,
      p.values,
    );
    const more = rows.length > limit;
    const items = rows.slice(0, limit);
    return { items: items.map(fromRow), nextCursor: more ? String(items.at(-1)!.seq) : null };
  },

  async count(db: PgQueryable, f: RecordFilter): Promise<number> {
    const p = new Params();
    const w = whereOf(f, p, await regionDepth(db));
    return Number((await db.query<{ n: number }>(`SELECT count(*) AS n FROM records WHERE ${w}`, p.values)).rows[0]?.n ?? 0);
  },

  /** Ids of every record a filter selects, in insertion order. */
  async ids(db: PgQueryable, f: RecordFilter): Promise<string[]> {
    const p = new Params();
    const w = whereOf(f, p, await regionDepth(db));
    return (await db.query<{ id: string }>(`SELECT id FROM records WHERE ${w} ORDER BY seq`, p.values)).rows.map((r) => r.id);
  },

  /**
   * How many records of a collection hold each of `values` (text) in any of `places`, optionally in
   * a subtree — a (record, value) pair counted once however many places or rows hold it. One
   * top-level field alone is counted plainly (no union, no DISTINCT).
   */
  async countByValue(db: PgQueryable, collection: string, places: ValuePlace[], values: string[], subtree?: string): Promise<Map<string, number>> {
    if (!values.length || !places.length) return new Map();
    if (places.length === 1 && places[0].table === undefined) return countInField(db, collection, places[0].field, values, subtree);
    return countInPlaces(db, collection, places, values, subtree);
  },

  /** Chosen fields of every record a filter selects, in path order (then insertion order). */
  async fields(db: PgQueryable, f: RecordFilter, fields: string[]): Promise<{ id: string; path: string; values: Record<string, unknown> }[]> {
    const p = new Params();
    const cols = fields.map((field, i) => `, ${jsonField('data', field, p)} AS f${i}`).join('');
    const w = whereOf(f, p, await regionDepth(db));
    const { rows } = await db.query<Record<string, unknown> & { id: string; path: string }>(
      `SELECT id, path${cols} FROM records WHERE ${w} ORDER BY path COLLATE "C", seq`, p.values);
    return rows.map((r) => ({ id: r.id, path: r.path, values: Object.fromEntries(fields.map((field, i) => [field, sqliteValue(r[`f${i}`])])) }));
  },

  /** One field's value of each of these records, by id. */
  async fieldOf(db: PgQueryable, ids: string[], field: string): Promise<Map<string, unknown>> {
    if (!ids.length) return new Map();
    const p = new Params();
    const { rows } = await db.query<{ id: string; value: unknown }>(
      `SELECT id, ${jsonField('data', field, p)} AS value FROM records WHERE id = ANY(${p.add(ids)}::text[])`, p.values);
    return new Map(rows.map((r) => [r.id, sqliteValue(r.value)]));
  },
};
