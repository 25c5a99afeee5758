import type { PgQueryable } from './connection.js';
import type { CodeMatch, FlagRow } from '../../ports.js';
import { Params, jsonField, textIn } from './json-values.js';

/** The records of a collection, narrowed to those holding one of the codes of a match (json_extract's view of the value). */
function where(collection: string, matches: CodeMatch[] | null, p: Params): string {
  const base = `collection = ${p.add(collection)}`;
  if (!matches) return base;
  const parts = matches.filter((m) => m.codes.length).map((m) => (m.table === undefined ? textIn(jsonField('data', m.field, p), m.codes, p)
    // A column of a child table: any row (json_each over a non-array is no row in SQLite's view either).
    : `EXISTS (SELECT 1 FROM jsonb_array_elements(CASE WHEN jsonb_typeof(${jsonField('data', m.table, p)}) = 'array' THEN ${jsonField('data', m.table, p)} END) AS r(v) WHERE ${textIn(jsonField('r.v', m.field, p), m.codes, p)})`));
  return `${base} AND (${parts.join(' OR ') || 'false'})`;
}

/**
 * The stored completeness flags (records.complete), read and rewritten in batches by the
 * recomputation after a config change (engine/storage/sqlite/completeness.ts's twin; seq for rowid).
 * Writing the flag fires the counter triggers, so subtree figures follow.
 */
export const pgCompletenessFlags = {
  async count(db: PgQueryable, collection: string, matches: CodeMatch[] | null): Promise<number> {
    const p = new Params();
    const sql = `SELECT count(*) AS n FROM records WHERE ${where(collection, matches, p)}`;
    return (await db.query<{ n: number }>(sql, p.values)).rows[0].n;
  },

  /** Up to `limit` records after seq `after`, in insertion order. */
  async batch(db: PgQueryable, collection: string, matches: CodeMatch[] | null, after: number, limit: number): Promise<FlagRow[]> {
    const p = new Params();
    const sql = `SELECT seq, id, data, complete, version FROM records WHERE ${where(collection, matches, p)} AND seq > ${p.add(after)}::bigint ORDER BY seq LIMIT ${p.add(limit)}`;
    const { rows } = await db.query<{ seq: number; id: string; data: Record<string, unknown>; complete: boolean; version: number }>(sql, p.values);
    return rows.map((r) => ({ seq: Number(r.seq), id: r.id, data: r.data, complete: !!r.complete, version: r.version }));
  },

  /** With `version`: only over that version (a save committed since, or waited for, keeps its own verdict). */
  async set(db: PgQueryable, id: string, complete: boolean, version?: number): Promise<boolean> {
    return (await db.query('UPDATE records SET complete = $1 WHERE id = $2 AND ($3::integer IS NULL OR version = $3)', [complete, id, version ?? null])).rowCount > 0;
  },
};
