import type { PgQueryable } from './connection.js';
import type { ScanCursor, StoredRecord } from '../../ports.js';
import { RECORD_COLUMNS, fromRow, type RecordRow } from './records.js';
import { pathUpperBound } from '../../tree-paths.js';

/**
 * Every stored record of a collection (optionally of one subtree), read batch by batch in a
 * stable order without OFFSET, each batch one index range resuming after the last record of the
 * one before: engine/storage/sqlite/record-scan.ts on PostgreSQL, with seq for SQLite's rowid. A whole
 * collection goes in insertion order along (collection, seq); a subtree in (path, seq) order along
 * records_scope (collection, path, seq), the row comparison resuming inside a path's records.
 */
export const pgRecordScan = {
  async batch(db: PgQueryable, collection: string, limit: number, cursor?: ScanCursor, subtree?: string): Promise<{ records: StoredRecord[]; next: ScanCursor | null }> {
    const rows = subtree
      ? (await db.query<RecordRow & { seq: number }>(
        `SELECT ${RECORD_COLUMNS} FROM records WHERE collection = $1 AND path >= $2 AND path < $3${cursor ? ' AND (path, seq) > ($5, $6::bigint)' : ''}
         ORDER BY path, seq LIMIT $4`,
        [collection, subtree, pathUpperBound(subtree), limit, ...(cursor ? [cursor.path, cursor.seq] : [])])).rows
      : (await db.query<RecordRow & { seq: number }>(
        `SELECT ${RECORD_COLUMNS} FROM records WHERE collection = $1 AND seq > $2 ORDER BY seq LIMIT $3`,
        [collection, cursor?.seq ?? 0, limit])).rows;
    const last = rows.at(-1);
    return { records: rows.map(fromRow), next: rows.length === limit && last ? { seq: Number(last.seq), path: last.path } : null };
  },
};
