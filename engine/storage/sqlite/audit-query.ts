import type { Param, Queryable } from './sqlite.js';
import type { AuditEntry, AuditFilter, RecordTitlesRead } from '../../ports.js';
import { pathUpperBound } from '../../tree-paths.js';

const marks = (n: number) => Array.from({ length: n }, () => '?').join(', ');

/**
 * A subtree's entries, newest first, and whether older ones remain. The subtree is a range of the
 * audit_place (path, id) index; at the tree's root, where nearly every entry is in scope, the
 * entries are read newest first by id and the first `limit` that pass are taken.
 */
export async function auditOfSubtree(db: Queryable, f: AuditFilter): Promise<{ entries: AuditEntry[]; more: boolean }> {
  const where: string[] = [];
  const params: Param[] = [];
  if (f.unplaced) {
    where.push('(a.path IS NULL OR (a.path >= ? AND a.path < ?))');
  } else {
    where.push('a.path >= ? AND a.path < ?');
  }
  params.push(f.path, pathUpperBound(f.path));
  where.push(`a.collection IN (${marks(f.collections.length)})`);
  params.push(...f.collections);
  if (f.before !== undefined) { where.push('a.id < ?'); params.push(f.before); }
  if (f.from) { where.push('a.at >= ?'); params.push(f.from); }
  if (f.to) { where.push('a.at < ?'); params.push(f.to); }
  if (f.person) {
    where.push('(a.actor = ? OR a.actor IN (SELECT username FROM users WHERE instr(display_name, ?) > 0))');
    params.push(f.person, f.person);
  }
  if (f.actions?.length) {
    const sets = f.actions.map((s) => {
      if ('in' in s) { params.push(...s.in); return `a.action IN (${marks(s.in.length)})`; }
      params.push(...s.notIn);
      return `a.action NOT IN (${marks(s.notIn.length)})`;
    });
    where.push(`(${sets.join(' OR ')})`);
  }
  const rows = await db.all<any>(
    // At the root the newest entries by id are read (NOT INDEXED: no full sort of the log per page).
    `SELECT a.*, u.display_name AS actor_name FROM audit a ${f.unplaced ? 'NOT INDEXED' : ''} LEFT JOIN users u ON u.username = a.actor
     WHERE ${where.join(' AND ')} ORDER BY a.id DESC LIMIT ?`,
    [...params, f.limit + 1],
  );
  const more = rows.length > f.limit;
  return { entries: rows.slice(0, f.limit).map(entryOf), more };
}

function entryOf(r: any): AuditEntry {
  return {
    id: r.id, at: r.at, actor: r.actor, actorName: r.actor_name ?? null, collection: r.collection, recordId: r.record_id, action: r.action,
    fromState: r.from_state, toState: r.to_state, diff: r.diff ? JSON.parse(r.diff) : null, note: r.note,
  };
}

/**
 * The titles of records, by id: a stored record's title field, else (deleted) the value its delete
 * entry last held. `live` holds the ids still stored, `places` where each found record is (a
 * deleted one: its delete entry's collection and path), for the caller's read check.
 */
export async function recordTitles(db: Queryable, wanted: { id: string; field: string }[]): Promise<RecordTitlesRead> {
  const titles = new Map<string, string>();
  const live = new Set<string>();
  const places: RecordTitlesRead['places'] = new Map();
  const byField = new Map<string, string[]>();
  for (const w of wanted) byField.set(w.field, [...(byField.get(w.field) ?? []), w.id]);
  for (const [field, ids] of byField) {
    const unique = [...new Set(ids)];
    const stored = await db.all<{ id: string; collection: string; path: string; title: unknown }>(
      `SELECT id, collection, path, json_extract(data, ?) AS title FROM records WHERE id IN (${marks(unique.length)})`, [`$.${field}`, ...unique]);
    for (const r of stored) {
      live.add(r.id);
      places.set(r.id, { collection: r.collection, path: r.path });
      if (r.title !== null && r.title !== undefined) titles.set(r.id, String(r.title));
    }
    const gone = unique.filter((id) => !live.has(id));
    if (!gone.length) continue;
    const deleted = await db.all<{ record_id: string; collection: string; path: string | null; title: unknown }>(
      `SELECT record_id, collection, path, json_extract(diff, ?) AS title FROM audit WHERE record_id IN (${marks(gone.length)}) AND action = 'delete' ORDER BY id`,
      [`$.${field}[0]`, ...gone]);
    for (const r of deleted) {
      places.set(r.record_id, { collection: r.collection, path: r.path });
      if (r.title !== null && r.title !== undefined) titles.set(r.record_id, String(r.title));
    }
  }
  return { titles, live, places };
}
