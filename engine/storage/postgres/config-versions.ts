import { PgDatabase, type PgQueryable } from './connection.js';
import type { ConfigHead, ConfigVersionRow, DraftRow, HistoryEntry, StoredFiles, StoredRecord } from '../../ports.js';
import { RECORD_COLUMNS, fromRow } from './records.js';

/**
 * The application config as data on PostgreSQL: immutable numbered versions, the head row naming
 * the published one, the one draft, and the append-only config history — the same behaviour as
 * engine/storage/sqlite/config-versions.ts. Files, drafts and details are jsonb (parsed on the way back).
 */

/** Another instance may append a version at the same moment: the next number is taken under this lock. */
const VERSION_LOCK = 0x6366677673; // 'cfgvs'

const VERSION_COLUMNS = 'number, hash, author, at, note, origin, based_on AS "basedOn"';

const one = async <R>(db: PgQueryable, sql: string, params: unknown[] = []): Promise<R | undefined> => (await db.query<R>(sql, params)).rows[0];
/** Whether a compare-and-set statement changed its one row. */
const changedOne = async (db: PgQueryable, sql: string, params: unknown[]): Promise<boolean> => (await db.query(sql, params)).rowCount === 1;

export const pgConfigVersions = {
  head(db: PgQueryable): Promise<ConfigHead | undefined> {
    return one<ConfigHead>(db, 'SELECT published, files_version AS "filesVersion", files_hash AS "filesHash" FROM config_head WHERE id = 1');
  },

  /**
   * The first head (version 1 from the files); false, writing nothing, when there is one already —
   * another instance starting at the same moment made it (ON CONFLICT waits for that instance's
   * transaction, then sees its row).
   */
  initHead(tx: PgQueryable, published: number, filesHash: string): Promise<boolean> {
    return changedOne(tx, 'INSERT INTO config_head (id, published, files_version, files_hash) VALUES (1, $1, $1, $2) ON CONFLICT (id) DO NOTHING', [published, filesHash]);
  },

  /**
   * Makes `next` the published version if `expected` still is: the compare-and-set that lets
   * exactly one of two concurrent publishes win (the loser's UPDATE waits for the winner's row
   * lock, then finds published changed). False when another one was published first.
   *
   * First it holds records in SHARE mode until the publish commits. A record write takes ROW
   * EXCLUSIVE before it reads the published version (record_write, recordBatch.insert), so a
   * write checked under the old version either commits before the head moves — and the publish's
   * migration then sees it — or waits for the publish and is refused as config_changed. Without
   * it a write could read the old head while the publish is uncommitted and land after it,
   * unmigrated (SQLite's one writer never lets them interleave).
   */
  setPublished(db: PgQueryable, next: number, expected: number): Promise<boolean> {
    const cas = async (tx: PgQueryable) => {
      await tx.query('LOCK TABLE records IN SHARE MODE');
      return changedOne(tx, 'UPDATE config_head SET published = $1 WHERE id = 1 AND published = $2', [next, expected]);
    };
    // A LOCK needs a transaction block: on the pool the compare-and-set gets one of its own.
    return db instanceof PgDatabase ? db.transaction(cas) : cas(db);
  },

  /** Notes the files last imported from the application's folder (by hash; their version if one was made). */
  async setFilesImported(tx: PgQueryable, version: number | null, hash: string): Promise<void> {
    await tx.query('UPDATE config_head SET files_version = coalesce($1::integer, files_version), files_hash = $2 WHERE id = 1', [version, hash]);
  },

  async list(db: PgQueryable): Promise<ConfigVersionRow[]> {
    return (await db.query<ConfigVersionRow>(`SELECT ${VERSION_COLUMNS} FROM config_versions ORDER BY number DESC`)).rows;
  },

  get(db: PgQueryable, number: number): Promise<(ConfigVersionRow & { files: StoredFiles }) | undefined> {
    return one(db, `SELECT ${VERSION_COLUMNS}, files FROM config_versions WHERE number = $1`, [number]);
  },

  /**
   * Appends the next version; its number is one above the highest. The transaction-scoped lock
   * makes two instances appending at once take consecutive numbers (the second reads the max
   * after the first committed) instead of one failing on the primary key.
   */
  async insert(tx: PgQueryable, v: Omit<ConfigVersionRow, 'number'> & { files: StoredFiles }): Promise<number> {
    await tx.query('SELECT pg_advisory_xact_lock($1)', [VERSION_LOCK]);
    const row = await one<{ number: number }>(tx,
      `INSERT INTO config_versions (number, files, hash, author, at, note, origin, based_on)
       SELECT coalesce(max(number), 0) + 1, $1::jsonb, $2::text, $3::text, $4::text, $5::text, $6::text, $7::integer FROM config_versions RETURNING number`,
      [JSON.stringify(v.files), v.hash, v.author, v.at, v.note, v.origin, v.basedOn]);
    return row!.number;
  },

  draft(db: PgQueryable): Promise<DraftRow | undefined> {
    return one<DraftRow>(db,
      `SELECT base, files, version, origin, created_by AS "createdBy", created_at AS "createdAt", updated_by AS "updatedBy", updated_at AS "updatedAt",
        proposed_by AS "proposedBy", proposed_at AS "proposedAt", proposed_note AS "proposedNote", proposed_version AS "proposedVersion"
       FROM config_draft WHERE id = 1`);
  },

  /** Opens the one draft; false when one is open already. */
  createDraft(tx: PgQueryable, d: { base: number; files: StoredFiles; origin: string; actor: string | null; at: string }): Promise<boolean> {
    return changedOne(tx,
      `INSERT INTO config_draft (id, base, files, version, origin, created_by, created_at, updated_by, updated_at) VALUES (1, $1, $2, 1, $3, $4, $5, $4, $5)
       ON CONFLICT (id) DO NOTHING`,
      [d.base, JSON.stringify(d.files), d.origin, d.actor, d.at]);
  },

  /** Saves the draft's files over version `expected` (bumping it, withdrawing a proposal); false when stale. */
  saveDraft(tx: PgQueryable, files: StoredFiles, expected: number, actor: string, at: string, base?: number): Promise<boolean> {
    return changedOne(tx,
      `UPDATE config_draft SET files = $1, version = version + 1, updated_by = $2, updated_at = $3, base = coalesce($4::integer, base),
        proposed_by = NULL, proposed_at = NULL, proposed_note = NULL, proposed_version = NULL WHERE id = 1 AND version = $5`,
      [JSON.stringify(files), actor, at, base ?? null, expected]);
  },

  /** Marks draft version `expected` proposed for publication (four-eyes); false when stale. */
  propose(tx: PgQueryable, expected: number, actor: string, at: string, note: string): Promise<boolean> {
    return changedOne(tx,
      'UPDATE config_draft SET proposed_by = $1, proposed_at = $2, proposed_note = $3, proposed_version = version WHERE id = 1 AND version = $4',
      [actor, at, note, expected]);
  },

  async deleteDraft(tx: PgQueryable): Promise<void> {
    await tx.query('DELETE FROM config_draft WHERE id = 1');
  },

  async appendHistory(tx: PgQueryable, e: Omit<HistoryEntry, 'id' | 'at' | 'draft' | 'version' | 'note' | 'detail'> & Partial<HistoryEntry>): Promise<void> {
    await tx.query('INSERT INTO config_history (at, actor, action, version, draft, note, detail) VALUES ($1, $2, $3, $4, $5, $6, $7)',
      [e.at ?? new Date().toISOString(), e.actor, e.action, e.version ?? null, e.draft ?? null, e.note ?? null, e.detail === undefined ? null : JSON.stringify(e.detail)]);
  },

  /** The latest `limit` history entries before entry `before` (newest first). */
  async history(db: PgQueryable, limit: number, before?: number): Promise<HistoryEntry[]> {
    return (await db.query<HistoryEntry>(
      'SELECT id, at, actor, action, version, draft, note, detail FROM config_history WHERE id < $1 ORDER BY id DESC LIMIT $2',
      [before ?? Number.MAX_SAFE_INTEGER, limit])).rows;
  },

  /** A collection's records after insertion position `after`, `limit` at a time, in insertion order (the publish's migration scan). */
  async recordsAfter(tx: PgQueryable, collection: string, after: number, limit: number): Promise<{ seq: number; record: StoredRecord }[]> {
    const { rows } = await tx.query<Parameters<typeof fromRow>[0] & { seq: number }>(
      `SELECT ${RECORD_COLUMNS} FROM records WHERE collection = $1 AND seq > $2 ORDER BY seq LIMIT $3`, [collection, after, limit]);
    return rows.map((r) => ({ seq: r.seq, record: fromRow(r) }));
  },

  async countRecords(tx: PgQueryable, collections: string[]): Promise<number> {
    if (!collections.length) return 0;
    return (await one<{ n: number }>(tx, 'SELECT count(*)::int AS n FROM records WHERE collection = ANY($1::text[])', [collections]))?.n ?? 0;
  },

  /** The config version a record was last written under. */
  async recordVersion(db: PgQueryable, id: string): Promise<number | null> {
    return (await one<{ v: number | null }>(db, 'SELECT config_version AS v FROM records WHERE id = $1', [id]))?.v ?? null;
  },
};
