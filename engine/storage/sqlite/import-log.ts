import type { Queryable } from './sqlite.js';
import type { ImportLogEntry } from '../../ports.js';
import type { RowAction } from '../../import/preview-rows.js';

const fromRow = (r: any): ImportLogEntry => ({
  id: r.id, collection: r.collection, actor: r.actor, filename: r.filename, status: r.status, at: r.at, committedAt: r.committed_at,
  total: r.total, counts: { new: r.created, changed: r.updated, unchanged: r.unchanged, invalid: r.invalid }, message: r.message,
  hasErrorsFile: !!r.has_errors,
});
const columns = 'id, collection, actor, filename, status, at, committed_at, total, created, updated, unchanged, invalid, message, errors_file IS NOT NULL AS has_errors';

/** The kept log of imports: each upload's preview, its outcome, and the error workbook. */
export const importLog = {
  async add(db: Queryable, e: { id: string; collection: string; actor: string | null; filename: string | null; total: number; counts: Record<RowAction, number>; errorsFile: Buffer | null }) {
    await db.run(
      `INSERT INTO import_log (id, collection, actor, filename, status, at, total, created, updated, unchanged, invalid, errors_file)
       VALUES (?, ?, ?, ?, 'previewed', ?, ?, ?, ?, ?, ?, ?)`,
      [e.id, e.collection, e.actor, e.filename, new Date().toISOString(), e.total, e.counts.new, e.counts.changed, e.counts.unchanged, e.counts.invalid, e.errorsFile],
    );
  },

  async finish(db: Queryable, id: string, status: 'committed' | 'failed', message: string | null = null) {
    await db.run('UPDATE import_log SET status = ?, committed_at = ?, message = ? WHERE id = ?', [status, new Date().toISOString(), message, id]);
  },

  async get(db: Queryable, id: string): Promise<ImportLogEntry | undefined> {
    const r = await db.get(`SELECT ${columns} FROM import_log WHERE id = ?`, [id]);
    return r && fromRow(r);
  },

  async errorsFile(db: Queryable, id: string): Promise<Buffer | null> {
    const r = await db.get<{ errors_file: Buffer | null }>('SELECT errors_file FROM import_log WHERE id = ?', [id]);
    return r?.errors_file ?? null;
  },

  /** Newest first; `actor` limits the list to one person's imports. */
  async list(db: Queryable, collection: string, actor: string | null, limit = 50): Promise<ImportLogEntry[]> {
    const rows = await db.all(
      `SELECT ${columns} FROM import_log WHERE collection = ?${actor === null ? '' : ' AND actor = ?'} ORDER BY at DESC, rowid DESC LIMIT ?`,
      [collection, ...(actor === null ? [] : [actor]), limit],
    );
    return rows.map(fromRow);
  },
};
