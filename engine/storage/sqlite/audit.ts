import type { Queryable } from './sqlite.js';
import type { AuditEntry } from '../../ports.js';

/** The append-only audit log (triggers in the schema refuse UPDATE and DELETE). */
export const auditLog = {
  async append(db: Queryable, e: Omit<AuditEntry, 'id' | 'at'> & { at?: string; path?: string }): Promise<void> {
    // The entry's place (migration 9): the one given (a config change: the tree's root), else its
    // record's path, or for a record just deleted the path its last entry was written at; none for
    // what is not a record (a code table).
    await db.run(
      `INSERT INTO audit (at, actor, collection, record_id, action, from_state, to_state, diff, note, path) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?,
        coalesce(?, (SELECT path FROM records WHERE id = ?), (SELECT path FROM audit WHERE record_id = ? AND path IS NOT NULL ORDER BY id DESC LIMIT 1)))`,
      [e.at ?? new Date().toISOString(), e.actor, e.collection, e.recordId, e.action, e.fromState, e.toState, e.diff ? JSON.stringify(e.diff) : null, e.note,
        e.path ?? null, e.recordId, e.recordId],
    );
  },

  /**
   * A record's entries, oldest first. With `limit`: only the latest `limit` entries (older than
   * entry `before`, when given), and whether older ones remain — a long history is read a page at
   * a time from the end, through the (record_id, id) index.
   */
  async forRecord(db: Queryable, recordId: string, page: { limit?: number; before?: number } = {}): Promise<{ entries: AuditEntry[]; more: boolean }> {
    // The display name is read now, not stored: a renamed account shows its current name.
    const select = 'SELECT a.*, u.display_name AS actor_name FROM audit a LEFT JOIN users u ON u.username = a.actor';
    const rows = page.limit === undefined
      ? await db.all<any>(`${select} WHERE a.record_id = ? ORDER BY a.id`, [recordId])
      : (await db.all<any>(`${select} WHERE a.record_id = ? AND a.id < ? ORDER BY a.id DESC LIMIT ?`,
        [recordId, page.before ?? Number.MAX_SAFE_INTEGER, page.limit + 1])).reverse();
    const more = page.limit !== undefined && rows.length > page.limit;
    return { entries: (more ? rows.slice(1) : rows).map(entryOf), more };
  },

  /** How many entries a record's history holds. */
  async countForRecord(db: Queryable, recordId: string): Promise<number> {
    return (await db.get<{ n: number }>('SELECT count(*) AS n FROM audit WHERE record_id = ?', [recordId]))?.n ?? 0;
  },
};

function entryOf(r: any): AuditEntry {
  return {
    id: r.id, at: r.at, actor: r.actor, actorName: r.actor_name ?? null, collection: r.collection, recordId: r.record_id, action: r.action,
    fromState: r.from_state, toState: r.to_state, diff: r.diff ? JSON.parse(r.diff) : null, note: r.note,
  };
}
