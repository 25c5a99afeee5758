import type { Queryable } from './sqlite.js';

export interface AuditEntry {
  id: number;
  at: string;
  actor: string | null;
  collection: string;
  recordId: string;
  action: string;
  fromState: string | null;
  toState: string | null;
  diff: Record<string, [unknown, unknown]> | null;
  note: string | null;
  /** Who the actor is to people (their account's display name), when the actor is an account. */
  actorName?: string | null;
}

/** Field-by-field difference of two documents: {field: [before, after]} for changed fields. */
export function diffFields(before: Record<string, unknown> | null, after: Record<string, unknown> | null): Record<string, [unknown, unknown]> {
  const out: Record<string, [unknown, unknown]> = {};
  const keys = new Set([...Object.keys(before ?? {}), ...Object.keys(after ?? {})]);
  for (const k of keys) {
    const a = before?.[k] ?? null, b = after?.[k] ?? null;
    if (JSON.stringify(a) !== JSON.stringify(b)) out[k] = [a, b];
  }
  return out;
}

/** The append-only audit log (triggers in the schema refuse UPDATE and DELETE). */
export const auditLog = {
  async append(db: Queryable, e: Omit<AuditEntry, 'id' | 'at'> & { at?: string }): Promise<void> {
    await db.run(
      'INSERT INTO audit (at, actor, collection, record_id, action, from_state, to_state, diff, note) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)',
      [e.at ?? new Date().toISOString(), e.actor, e.collection, e.recordId, e.action, e.fromState, e.toState, e.diff ? JSON.stringify(e.diff) : null, e.note],
    );
  },

  async forRecord(db: Queryable, recordId: string): Promise<AuditEntry[]> {
    // The display name is read now, not stored: a renamed account shows its current name.
    const rows = await db.all<any>('SELECT a.*, u.display_name AS actor_name FROM audit a LEFT JOIN users u ON u.username = a.actor WHERE a.record_id = ? ORDER BY a.id', [recordId]);
    return rows.map((r) => ({
      id: r.id, at: r.at, actor: r.actor, actorName: r.actor_name ?? null, collection: r.collection, recordId: r.record_id, action: r.action,
      fromState: r.from_state, toState: r.to_state, diff: r.diff ? JSON.parse(r.diff) : null, note: r.note,
    }));
  },
};
