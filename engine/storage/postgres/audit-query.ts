import type { PgQueryable } from './connection.js';
import type { AuditEntry, AuditFilter, RecordTitlesRead } from '../../ports.js';
import { subtreeCondition, subtreeRegionCondition } from './record-query.js';
import { regionDepth } from './region.js';
import { Params, jsonField, sqliteValue } from './json-values.js';

/**
 * A subtree's audit entries, newest first, and whether older ones remain, on PostgreSQL
 * (engine/storage/sqlite/audit-query.ts). The subtree is a range of the audit's (path, id) index; at the
 * tree's root, where nearly every entry is in scope, the planner reads the newest by id.
 */
export async function pgAuditOfSubtree(db: PgQueryable, f: AuditFilter): Promise<{ entries: AuditEntry[]; more: boolean }> {
  const p = new Params();
  const placed = subtreeCondition(f.path, p, 'a.');
  const where = [f.unplaced ? `(a.path IS NULL OR ${placed})` : placed];
  // A subtree in one region is read there (region.ts); the unplaced entries go with the root's, which spans every region.
  const region = f.unplaced ? null : subtreeRegionCondition(f.path, await regionDepth(db), p, 'a.');
  if (region) where.push(region);
  where.push(`a.collection = ANY(${p.add(f.collections)}::text[])`);
  if (f.before !== undefined) where.push(`a.id < ${p.add(f.before)}`);
  if (f.from) where.push(`a.at COLLATE "C" >= ${p.add(f.from)}`);
  if (f.to) where.push(`a.at COLLATE "C" < ${p.add(f.to)}`);
  if (f.person) {
    const person = p.add(f.person);
    where.push(`(a.actor = ${person}::text OR a.actor IN (SELECT username FROM users WHERE strpos(display_name, ${person}::text) > 0))`);
  }
  if (f.actions?.length) {
    const sets = f.actions.map((s) => ('in' in s ? `a.action = ANY(${p.add(s.in)}::text[])` : `NOT (a.action = ANY(${p.add(s.notIn)}::text[]))`));
    where.push(`(${sets.join(' OR ')})`);
  }
  const { rows } = await db.query(
    `SELECT a.id, a.at, a.actor, a.collection, a.record_id, a.action, a.from_state, a.to_state, a.diff, a.note, u.display_name AS actor_name
     FROM audit a LEFT JOIN users u ON u.username = a.actor
     WHERE ${where.join(' AND ')} ORDER BY a.id DESC LIMIT ${p.add(f.limit + 1)}`,
    p.values,
  );
  const more = rows.length > f.limit;
  return { entries: rows.slice(0, f.limit).map(entryOf), more };
}

/** An audit row as the port's entry (diff arrives parsed from jsonb). */
function entryOf(r: any): AuditEntry {
  return {
    id: Number(r.id), at: r.at, actor: r.actor, actorName: r.actor_name ?? null, collection: r.collection, recordId: r.record_id, action: r.action,
    fromState: r.from_state, toState: r.to_state, diff: r.diff ?? null, note: r.note,
  };
}

/**
 * The titles of records, by id: a stored record's title field, else (deleted) the value its delete
 * entry last held. `live` holds the ids still stored, `places` where each found record is (a
 * deleted one: its delete entry's collection and path), for the caller's read check.
 */
export async function pgRecordTitles(db: PgQueryable, wanted: { id: string; field: string }[]): Promise<RecordTitlesRead> {
  const titles = new Map<string, string>();
  const live = new Set<string>();
  const places: RecordTitlesRead['places'] = new Map();
  const byField = new Map<string, string[]>();
  for (const w of wanted) byField.set(w.field, [...(byField.get(w.field) ?? []), w.id]);
  const put = (id: string, title: unknown) => {
    const v = sqliteValue(title);
    if (v !== null) titles.set(id, String(v));
  };
  for (const [field, ids] of byField) {
    const unique = [...new Set(ids)];
    const p = new Params();
    const stored = await db.query<{ id: string; collection: string; path: string; title: unknown }>(
      `SELECT id, collection, path, ${jsonField('data', field, p)} AS title FROM records WHERE id = ANY(${p.add(unique)}::text[])`, p.values);
    for (const r of stored.rows) {
      live.add(r.id);
      places.set(r.id, { collection: r.collection, path: r.path });
      put(r.id, r.title);
    }
    const gone = unique.filter((id) => !live.has(id));
    if (!gone.length) continue;
    // A delete entry's diff holds [last value, null] per field: the first element is the title.
    const q = new Params();
    const deleted = await db.query<{ record_id: string; collection: string; path: string | null; title: unknown }>(
      `SELECT record_id, collection, path, ${jsonField('diff', field, q)} -> 0 AS title FROM audit
       WHERE record_id = ANY(${q.add(gone)}::text[]) AND action = 'delete' ORDER BY id`, q.values);
    for (const r of deleted.rows) {
      places.set(r.record_id, { collection: r.collection, path: r.path });
      put(r.record_id, r.title);
    }
  }
  return { titles, live, places };
}
