import type { PgQueryable } from './connection.js';
import type { AuditEntry } from '../../ports.js';

/** An audit row with its actor's display name, as the reads below select it. */
interface AuditRow {
  id: number; at: string; actor: string | null; actor_name: string | null; collection: string; record_id: string; action: string;
  from_state: string | null; to_state: string | null; diff: AuditEntry['diff']; note: string | null;
}

const SELECT = `SELECT a.id, a.at, a.actor, u.display_name AS actor_name, a.collection, a.record_id, a.action, a.from_state, a.to_state, a.diff, a.note
  FROM audit a LEFT JOIN users u ON u.username = a.actor`;

function entryOf(r: AuditRow): AuditEntry {
  return {
    id: r.id, at: r.at, actor: r.actor, actorName: r.actor_name ?? null, collection: r.collection, recordId: r.record_id, action: r.action,
    fromState: r.from_state, toState: r.to_state, diff: r.diff ?? null, note: r.note,
  };
}

/**
 * The append-only audit log on PostgreSQL (engine/storage/sqlite/audit.ts's twin; triggers in the schema
 * refuse UPDATE, DELETE and TRUNCATE). A subtree's entries are the query helper's (audit-query.ts).
 */
export const pgAuditLog = {
  async append(db: PgQueryable, e: Omit<AuditEntry, 'id' | 'at'> & { at?: string; path?: string }): Promise<void> {
    // The entry's place: the one given (a config change: the tree's root), else its record's path,
    // or for a record just deleted the path its last entry was written at; none for what is not a
    // record (a code table).
    // Its region follows the place (schema/region.ts: '' for none).
    await db.query(
      `INSERT INTO audit (at, actor, collection, record_id, action, from_state, to_state, diff, note, path, region)
       SELECT $1, $2, $3, $4, $5, $6, $7, $8::jsonb, $9, place, coalesce(path_region(place), '')
       FROM (SELECT coalesce($10::text, (SELECT path FROM records WHERE id = $4::text),
         (SELECT path FROM audit WHERE record_id = $4::text AND path IS NOT NULL ORDER BY id DESC LIMIT 1)) AS place) p`,
      [e.at ?? new Date().toISOString(), e.actor, e.collection, e.recordId, e.action, e.fromState, e.toState, e.diff ? JSON.stringify(e.diff) : null, e.note,
        e.path ?? null],
    );
  },

  /**
   * A record's entries, oldest first. With `limit`: only the latest `limit` entries (older than
   * entry `before`, when given), and whether older ones remain — read from the end through the
   * (record_id, id) index. The display name is read now, not stored.
   */
  async forRecord(db: PgQueryable, recordId: string, page: { limit?: number; before?: number } = {}): Promise<{ entries: AuditEntry[]; more: boolean }> {
    const rows = page.limit === undefined
      ? (await db.query<AuditRow>(`${SELECT} WHERE a.record_id = $1 ORDER BY a.id`, [recordId])).rows
      : (await db.query<AuditRow>(`${SELECT} WHERE a.record_id = $1 AND a.id < $2 ORDER BY a.id DESC LIMIT $3`,
        [recordId, page.before ?? Number.MAX_SAFE_INTEGER, page.limit + 1])).rows.reverse();
    const more = page.limit !== undefined && rows.length > page.limit;
    return { entries: (more ? rows.slice(1) : rows).map(entryOf), more };
  },

  /** How many entries a record's history holds. */
  async countForRecord(db: PgQueryable, recordId: string): Promise<number> {
    return (await db.query<{ n: number }>('SELECT count(*) AS n FROM audit WHERE record_id = $1', [recordId])).rows[0].n;
  },
};
