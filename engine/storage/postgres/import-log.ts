import type { PgQueryable } from './connection.js';
import type { ImportLogEntry } from '../../ports.js';
import type { RowAction } from '../../import/preview-rows.js';

const fromRow = (r: any): ImportLogEntry => ({
  id: r.id, collection: r.collection, actor: r.actor, filename: r.filename, status: r.status, at: r.at, committedAt: r.committed_at,
  total: r.total, counts: { new: r.created, changed: r.updated, unchanged: r.unchanged, invalid: r.invalid }, message: r.message,
  hasErrorsFile: r.has_errors,
});
const columns = 'id, collection, actor, filename, status, at, committed_at, total, created, updated, unchanged, invalid, message, errors_file IS NOT NULL AS has_errors';

/** The import log on PostgreSQL (engine/storage/sqlite/import-log.ts); insertion order (seq) breaks ties of the same moment. */
export const pgImportLog = {
  async add(db: PgQueryable, e: { id: string; collection: string; actor: string | null; filename: string | null; total: number; counts: Record<RowAction, number>; errorsFile: Buffer | null }) {
    await db.query(
      `INSERT INTO import_log (id, collection, actor, filename, status, at, total, created, updated, unchanged, invalid, errors_file)
       VALUES ($1, $2, $3, $4, 'previewed', $5, $6, $7, $8, $9, $10, $11)`,
      [e.id, e.collection, e.actor, e.filename, new Date().toISOString(), e.total, e.counts.new, e.counts.changed, e.counts.unchanged, e.counts.invalid, e.errorsFile],
    );
  },

  async finish(db: PgQueryable, id: string, status: 'committed' | 'failed', message: string | null = null) {
    await db.query('UPDATE import_log SET status = $1, committed_at = $2, message = $3 WHERE id = $4', [status, new Date().toISOString(), message, id]);
  },

  async get(db: PgQueryable, id: string): Promise<ImportLogEntry | undefined> {
    const r = (await db.query(`SELECT ${columns} FROM import_log WHERE id = $1`, [id])).rows[0];
    return r && fromRow(r);
  },

  async errorsFile(db: PgQueryable, id: string): Promise<Buffer | null> {
    return (await db.query<{ errors_file: Buffer | null }>('SELECT errors_file FROM import_log WHERE id = $1', [id])).rows[0]?.errors_file ?? null;
  },

  /** Newest first; `actor` limits the list to one person's imports. */
  async list(db: PgQueryable, collection: string, actor: string | null, limit = 50): Promise<ImportLogEntry[]> {
    const { rows } = await db.query(
      `SELECT ${columns} FROM import_log WHERE collection = $1${actor === null ? '' : ' AND actor = $3'} ORDER BY at DESC, seq DESC LIMIT $2`,
      actor === null ? [collection, limit] : [collection, limit, actor],
    );
    return rows.map(fromRow);
  },
};
