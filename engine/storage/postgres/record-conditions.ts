import type { PgQueryable } from './connection.js';
import type { Condition, ConditionQuery, GroupKey, SortBy, StoredRecord } from '../../ports.js';
import { RECORD_COLUMNS, fromRow } from './records.js';
import { regionCondition, scopeCondition, scopeRegions } from './record-query.js';
import { regionDepth } from './region.js';
import {
  Params, arrayLength, compareNumber, compareText, eachOf, isEmpty, jsonField, sortTerms, sqliteValue, textIn, textOf, typedOf,
} from './json-values.js';

/**
 * Records by a condition tree within a read scope (查询统计) on PostgreSQL: the same semantics as
 * engine/storage/sqlite/record-conditions.ts, each operator compiled over jsonb with SQLite's typed
 * comparisons (json-values.ts) so both adapters select the same records.
 */

/**
 * Compiles a condition over the JSON document `source` (the record's data, or inside "any row
 * where" one row of a child table).
 */
function compile(c: Condition, p: Params, source = 'data'): string {
  const valueOf = (field: string) => jsonField(source, field, p);
  switch (c.op) {
    case 'and': case 'or':
      if (!c.items.length) return c.op === 'and' ? 'true' : 'false';
      return `(${c.items.map((i) => compile(i, p, source)).join(c.op === 'and' ? ' AND ' : ' OR ')})`;
    case 'anyRow': {
      // An alias of its own (numbered by the parameters so far), so an inner one never shadows an outer.
      const row = `row${p.values.length}`;
      return `EXISTS (SELECT 1 FROM jsonb_array_elements(${eachOf(valueOf(c.field))}) AS ${row}(value) WHERE ${compile(c.where, p, `${row}.value`)})`;
    }
    case 'noRows': case 'hasRows':
      return `${arrayLength(valueOf(c.field))} ${c.op === 'noRows' ? '=' : '>'} 0`;
    case 'in':
      return textIn(valueOf(c.field), c.values, p);
    case 'range': {
      const parts: string[] = [];
      for (const [cmp, bound] of [['>=', c.from], ['>', c.above], ['<=', c.to]] as const) {
        if (bound !== undefined) parts.push(compareText(valueOf(c.field), cmp, bound, p));
      }
      return parts.length ? `(${parts.join(' AND ')})` : `${typedOf(valueOf(c.field))} IS NOT NULL`;
    }
    case 'numRange': {
      const parts: string[] = [];
      for (const [cmp, bound] of [['>=', c.min], ['<=', c.max]] as const) {
        if (bound !== undefined) parts.push(compareNumber(valueOf(c.field), cmp, bound, p));
      }
      return parts.length ? `(${parts.join(' AND ')})` : `${typedOf(valueOf(c.field))} IS NOT NULL`;
    }
    case 'contains':
      return `strpos(${textOf(valueOf(c.field))}, ${p.add(c.text)}::text) > 0`;
    case 'equals':
      // SQLite binds a boolean as 1/0: it equals JSON true/false (and the numbers 1/0) alike.
      return typeof c.value === 'string'
        ? compareText(valueOf(c.field), '=', c.value, p)
        : compareNumber(valueOf(c.field), '=', typeof c.value === 'boolean' ? (c.value ? 1 : 0) : c.value, p);
    case 'empty': return isEmpty(valueOf(c.field));
    case 'notEmpty': return `NOT ${isEmpty(valueOf(c.field))}`;
  }
}

function whereOf(q: ConditionQuery, p: Params, depth: number): string {
  const region = regionCondition(scopeRegions(q.scope, depth), p);
  let sql = `collection = ${p.add(q.collection)}${region ? ` AND ${region}` : ''} AND ${scopeCondition(q.scope, p)}`;
  if (q.where) sql += ` AND ${compile(q.where, p)}`;
  return sql;
}

/** A group key as SQL over a record; its value reads back as SQLite's (text, number or NULL). */
function keyOf(k: GroupKey, p: Params): string {
  switch (k.by) {
    case 'value': return typedOf(jsonField('data', k.field, p));
    case 'year': return `to_jsonb(substr(${textOf(jsonField('data', k.field, p))}, 1, 4))`;
    case 'child': {
      // The path segment after the node's own path: the child whose subtree the record is in, ''
      // on the node itself (as the port says; SQLite's substr gives '/' there, see the report).
      const start = p.add(k.path.length + 1);
      return `to_jsonb(split_part(substr(path, ${start}::int), '/', 1))`;
    }
    case 'bands': {
      const x = jsonField('data', k.field, p);
      const arms = k.above.map((a, i) => `WHEN ${compareText(x, '>', a, p)} THEN to_jsonb(${i})`);
      return `(CASE WHEN ${isEmpty(x)} THEN to_jsonb(''::text) ${arms.join(' ')} ELSE to_jsonb(${k.above.length}) END)`;
    }
  }
}

export const pgRecordConditions = {
  /**
   * A page of the matching records (offset paging), `limit + 1` read to know whether another
   * follows. Without a sort: by place in the tree, then insertion (the (collection, path) index's
   * order); a sort by a field orders its values as SQLite does (NULL, numbers, text).
   */
  async page(db: PgQueryable, q: ConditionQuery, opts: { limit: number; offset: number; sort?: SortBy }): Promise<{ items: StoredRecord[]; more: boolean }> {
    const p = new Params();
    const w = whereOf(q, p, await regionDepth(db));
    const order = opts.sort ? sortTerms(jsonField('data', opts.sort.field, p), !!opts.sort.desc) : [];
    order.push('path COLLATE "C"', 'seq');
    const { rows } = await db.query<Parameters<typeof fromRow>[0]>(
      `SELECT ${RECORD_COLUMNS} FROM records WHERE ${w} ORDER BY ${order.join(', ')} LIMIT ${p.add(opts.limit + 1)} OFFSET ${p.add(opts.offset)}`,
      p.values,
    );
    return { items: rows.slice(0, opts.limit).map(fromRow), more: rows.length > opts.limit };
  },

  async count(db: PgQueryable, q: ConditionQuery): Promise<number> {
    const p = new Params();
    const w = whereOf(q, p, await regionDepth(db));
    return Number((await db.query<{ n: number }>(`SELECT count(*) AS n FROM records WHERE ${w}`, p.values)).rows[0]?.n ?? 0);
  },

  /** How many matching records fall in each combination of the keys (null: no value). */
  async groupCount(db: PgQueryable, q: ConditionQuery, keys: GroupKey[]): Promise<{ keys: (string | number | null)[]; n: number }[]> {
    const p = new Params();
    const cols = keys.map((k, i) => `${keyOf(k, p)} AS k${i}`).join(', ');
    const w = whereOf(q, p, await regionDepth(db));
    const { rows } = await db.query<Record<string, string | number | null>>(
      `SELECT ${cols}, count(*) AS n FROM records WHERE ${w} GROUP BY ${keys.map((_, i) => i + 1).join(', ')}`, p.values);
    return rows.map((r) => ({ keys: keys.map((_, i) => sqliteValue(r[`k${i}`]) as string | number | null), n: Number(r.n) }));
  },
};
