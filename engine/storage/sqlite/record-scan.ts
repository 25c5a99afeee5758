import type { Param, Queryable } from './sqlite.js';
import type { StoredRecord, ScanCursor } from '../../ports.js';
import { RECORD_COLUMNS, fromRow } from './records.js';
import { pathUpperBound } from '../../tree-paths.js';

/**
 * Every stored record of a collection (optionally of one subtree), read batch by batch in a
 * stable order without OFFSET: each batch is one indexed range read resuming after the last
 * record of the previous one, so a scan of a million records holds one batch at a time and its
 * cost stays linear. Batches are separate reads: records written during a scan may or may not be
 * seen, which is fine for reports (a writer that needs all-or-nothing scans inside its transaction).
 * How many records a scan reads: recordQuery.count with the same collection and subtree.
 */
export const recordScan = {
  /**
   * The next batch of up to `limit` records after `cursor` (undefined: the first batch), and the
   * cursor to resume from (null at the end). The whole collection is read in insertion order (a
   * walk of the table itself); a subtree in (path, insertion) order along the (collection, path) index.
   */
  async batch(db: Queryable, collection: string, limit: number, cursor?: ScanCursor, subtree?: string): Promise<{ records: StoredRecord[]; next: ScanCursor | null }> {
    const w = where(collection, subtree);
    let sql: string;
    const params: Param[] = [...w.params];
    if (!subtree) {
      sql = `SELECT ${RECORD_COLUMNS} FROM records WHERE ${w.sql} AND rowid > ? ORDER BY rowid LIMIT ?`;
      params.push(cursor?.seq ?? 0, limit);
    } else {
      sql = `SELECT ${RECORD_COLUMNS} FROM records INDEXED BY records_scope WHERE ${w.sql}${cursor ? ' AND (path > ? OR (path = ? AND rowid > ?))' : ''} ORDER BY path, rowid LIMIT ?`;
      if (cursor) params.push(cursor.path, cursor.path, cursor.seq);
      params.push(limit);
    }
    const rows = await db.all<Parameters<typeof fromRow>[0] & { seq: number }>(sql, params);
    const last = rows.at(-1);
    return { records: rows.map(fromRow), next: rows.length === limit && last ? { seq: last.seq, path: last.path } : null };
  },
};

function where(collection: string, subtree?: string): { sql: string; params: Param[] } {
  if (!subtree) return { sql: 'collection = ?', params: [collection] };
  return { sql: 'collection = ? AND path >= ? AND path < ?', params: [collection, subtree, pathUpperBound(subtree)] };
}
