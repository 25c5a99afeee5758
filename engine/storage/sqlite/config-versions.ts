import type { Queryable } from './sqlite.js';
import type { StoredRecord, ConfigHead, ConfigVersionRow, DraftRow, HistoryEntry, StoredFiles } from '../../ports.js';
import { RECORD_COLUMNS, fromRow } from './records.js';

const VERSION_COLUMNS = 'number, hash, author, at, note, origin, based_on AS basedOn';

/**
 * The application config as data (migration 11): immutable numbered versions, the head row
 * naming the published one, the one draft, and the append-only config history.
 */
export const configVersions = {
  async head(db: Queryable): Promise<ConfigHead | undefined> {
    return db.get<ConfigHead>('SELECT published, files_version AS filesVersion, files_hash AS filesHash FROM config_head WHERE id = 1');
  },

  /** The first head (version 1 from the files); false, writing nothing, when another process made one first. */
  async initHead(tx: Queryable, published: number, filesHash: string): Promise<boolean> {
    const r = await tx.run('INSERT INTO config_head (id, published, files_version, files_hash) VALUES (1, ?, ?, ?) ON CONFLICT (id) DO NOTHING', [published, published, filesHash]);
    return r.changes === 1;
  },

  /**
   * Makes `next` the published version if `expected` still is: the compare-and-set that lets
   * exactly one of two concurrent publishes win. False when another one was published first.
   */
  async setPublished(tx: Queryable, next: number, expected: number): Promise<boolean> {
    const { changes } = await tx.run('UPDATE config_head SET published = ? WHERE id = 1 AND published = ?', [next, expected]);
    return changes === 1;
  },

  /** Notes the files last imported from the application's folder (by hash; their version if one was made). */
  async setFilesImported(tx: Queryable, version: number | null, hash: string): Promise<void> {
    await tx.run('UPDATE config_head SET files_version = coalesce(?, files_version), files_hash = ? WHERE id = 1', [version, hash]);
  },

  async list(db: Queryable): Promise<ConfigVersionRow[]> {
    return db.all<ConfigVersionRow>(`SELECT ${VERSION_COLUMNS} FROM config_versions ORDER BY number DESC`);
  },

  async get(db: Queryable, number: number): Promise<(ConfigVersionRow & { files: StoredFiles }) | undefined> {
    const row = await db.get<ConfigVersionRow & { files: string }>(`SELECT ${VERSION_COLUMNS}, files FROM config_versions WHERE number = ?`, [number]);
    return row && { ...row, files: JSON.parse(row.files) as StoredFiles };
  },

  /** Appends the next version; its number is one above the highest. */
  async insert(tx: Queryable, v: Omit<ConfigVersionRow, 'number'> & { files: StoredFiles }): Promise<number> {
    const row = await tx.get<{ n: number | null }>('SELECT max(number) AS n FROM config_versions');
    const number = (row?.n ?? 0) + 1;
    await tx.run('INSERT INTO config_versions (number, files, hash, author, at, note, origin, based_on) VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
      [number, JSON.stringify(v.files), v.hash, v.author, v.at, v.note, v.origin, v.basedOn]);
    return number;
  },

  async draft(db: Queryable): Promise<DraftRow | undefined> {
    const row = await db.get<Omit<DraftRow, 'files'> & { files: string }>(
      `SELECT base, files, version, origin, created_by AS createdBy, created_at AS createdAt, updated_by AS updatedBy, updated_at AS updatedAt,
        proposed_by AS proposedBy, proposed_at AS proposedAt, proposed_note AS proposedNote, proposed_version AS proposedVersion FROM config_draft WHERE id = 1`);
    return row && { ...row, files: JSON.parse(row.files) as StoredFiles };
  },

  /** Opens the one draft; false when one is open already. */
  async createDraft(tx: Queryable, d: { base: number; files: StoredFiles; origin: string; actor: string | null; at: string }): Promise<boolean> {
    const { changes } = await tx.run(
      `INSERT INTO config_draft (id, base, files, version, origin, created_by, created_at, updated_by, updated_at) VALUES (1, ?, ?, 1, ?, ?, ?, ?, ?)
       ON CONFLICT (id) DO NOTHING`,
      [d.base, JSON.stringify(d.files), d.origin, d.actor, d.at, d.actor, d.at]);
    return changes === 1;
  },

  /** Saves the draft's files over version `expected` (bumping it, withdrawing a proposal); false when stale. */
  async saveDraft(tx: Queryable, files: StoredFiles, expected: number, actor: string, at: string, base?: number): Promise<boolean> {
    const { changes } = await tx.run(
      `UPDATE config_draft SET files = ?, version = version + 1, updated_by = ?, updated_at = ?, base = coalesce(?, base),
        proposed_by = NULL, proposed_at = NULL, proposed_note = NULL, proposed_version = NULL WHERE id = 1 AND version = ?`,
      [JSON.stringify(files), actor, at, base ?? null, expected]);
    return changes === 1;
  },

  /** Marks draft version `expected` proposed for publication (four-eyes); false when stale. */
  async propose(tx: Queryable, expected: number, actor: string, at: string, note: string): Promise<boolean> {
    const { changes } = await tx.run(
      'UPDATE config_draft SET proposed_by = ?, proposed_at = ?, proposed_note = ?, proposed_version = version WHERE id = 1 AND version = ?',
      [actor, at, note, expected]);
    return changes === 1;
  },

  async deleteDraft(tx: Queryable): Promise<void> {
    await tx.run('DELETE FROM config_draft WHERE id = 1');
  },

  async appendHistory(tx: Queryable, e: Omit<HistoryEntry, 'id' | 'at' | 'draft' | 'version' | 'note' | 'detail'> & Partial<HistoryEntry>): Promise<void> {
    await tx.run('INSERT INTO config_history (at, actor, action, version, draft, note, detail) VALUES (?, ?, ?, ?, ?, ?, ?)',
      [e.at ?? new Date().toISOString(), e.actor, e.action, e.version ?? null, e.draft ?? null, e.note ?? null, e.detail === undefined ? null : JSON.stringify(e.detail)]);
  },

  /** The latest `limit` history entries before entry `before` (newest first). */
  async history(db: Queryable, limit: number, before?: number): Promise<HistoryEntry[]> {
    const rows = await db.all<Omit<HistoryEntry, 'detail'> & { detail: string | null }>(
      `SELECT id, at, actor, action, version, draft, note, detail FROM config_history WHERE id < ? ORDER BY id DESC LIMIT ?`,
      [before ?? Number.MAX_SAFE_INTEGER, limit]);
    return rows.map((r) => ({ ...r, detail: r.detail === null ? null : JSON.parse(r.detail) }));
  },

  /** A collection's records after rowid `after`, `limit` at a time, in rowid order (the publish's migration scan). */
  async recordsAfter(tx: Queryable, collection: string, after: number, limit: number): Promise<{ seq: number; record: StoredRecord }[]> {
    const rows = await tx.all<Parameters<typeof fromRow>[0] & { seq: number }>(
      `SELECT ${RECORD_COLUMNS} FROM records WHERE collection = ? AND rowid > ? ORDER BY rowid LIMIT ?`, [collection, after, limit]);
    return rows.map((r) => ({ seq: r.seq, record: fromRow(r) }));
  },

  async countRecords(tx: Queryable, collections: string[]): Promise<number> {
    if (!collections.length) return 0;
    const row = await tx.get<{ n: number }>(`SELECT count(*) AS n FROM records WHERE collection IN (${collections.map(() => '?').join(',')})`, collections);
    return row?.n ?? 0;
  },

  /** The config version a record was last written under. */
  async recordVersion(db: Queryable, id: string): Promise<number | null> {
    return (await db.get<{ v: number | null }>('SELECT config_version AS v FROM records WHERE id = ?', [id]))?.v ?? null;
  },
};
