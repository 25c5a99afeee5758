import type { Param, Queryable } from './sqlite.js';
import type { CodeMatch, FlagRow } from '../../ports.js';

function where(collection: string, matches: CodeMatch[] | null): { sql: string; params: Param[] } {
  const params: Param[] = [collection];
  if (!matches) return { sql: 'collection = ?', params };
  const parts = matches.filter((m) => m.codes.length).map((m) => {
    const codes = m.codes.map(() => '?').join(',');
    if (m.table !== undefined) {
      params.push(`$.${m.table}`, `$.${m.field}`, ...m.codes);
      // Rows are objects once validated; a stray scalar must not reach json_extract (malformed JSON).
      return `EXISTS (SELECT 1 FROM json_each(data, ?) AS r WHERE CASE WHEN r.type = 'object' THEN json_extract(r.value, ?) END IN (${codes}))`;
    }
    params.push(`$.${m.field}`, ...m.codes);
    return `json_extract(data, ?) IN (${codes})`;
  });
  return { sql: `collection = ? AND (${parts.join(' OR ') || '0'})`, params };
}

/**
 * The stored completeness flags (records.complete), read and rewritten in batches by the
 * recomputation after a config change (engine/records/recompute.ts). Writing the flag fires the
 * counter triggers, so subtree figures follow.
 */
export const completenessFlags = {
  async count(db: Queryable, collection: string, matches: CodeMatch[] | null): Promise<number> {
    const w = where(collection, matches);
    return (await db.get<{ n: number }>(`SELECT count(*) AS n FROM records WHERE ${w.sql}`, w.params))?.n ?? 0;
  },

  /** Up to `limit` records after rowid `after`, in rowid order. */
  async batch(db: Queryable, collection: string, matches: CodeMatch[] | null, after: number, limit: number): Promise<FlagRow[]> {
    const w = where(collection, matches);
    const rows = await db.all<{ seq: number; id: string; data: string; complete: number; version: number }>(
      `SELECT rowid AS seq, id, data, complete, version FROM records WHERE ${w.sql} AND rowid > ? ORDER BY rowid LIMIT ?`, [...w.params, after, limit]);
    return rows.map((r) => ({ seq: r.seq, id: r.id, data: JSON.parse(r.data), complete: !!r.complete, version: r.version }));
  },

  async set(db: Queryable, id: string, complete: boolean, version?: number): Promise<boolean> {
    return (await db.run('UPDATE records SET complete = ? WHERE id = ? AND (? IS NULL OR version = ?)', [complete ? 1 : 0, id, version ?? null, version ?? null])).changes > 0;
  },
};
