import type { PgQueryable } from './connection.js';
import type { ScanCursor, StoredRecord } from '../../ports.js';
import { RECORD_COLUMNS, fromRow, type RecordRow } from './records.js';
import { regionDepth } from './region.js';
import { subtreeCondition, subtreeRegionCondition } from './record-query.js';
import { Params } from './json-values.js';

/**
 * Every stored record of a collection (optionally of one subtree), read batch by batch in a
 * stable order without OFFSET, each batch one index range resuming after the last record of the
 * one before: engine/storage/sqlite/record-scan.ts on PostgreSQL, with seq for SQLite's rowid. A whole
 * collection goes in insertion order along (collection, seq); a subtree in (path, seq) order along
 * records_scope (collection, path, seq), the row comparison resuming inside a path's records.
 */
export const pgRecordScan = {
  async batch(db: PgQueryable, collection: string, limit: number, cursor?: ScanCursor, subtree?: string): Promise<{ records: StoredRecord[]; next: ScanCursor | null }> {
    if (!subtree) {
      const { rows } = await db.query<RecordRow & { seq: number }>(
        `SELECT ${RECORD_COLUMNS} FROM records WHERE collection = $1 AND seq > $2 ORDER BY seq LIMIT $3`, [collection, cursor?.seq ?? 0, limit]);
      return batchOf(rows, limit);
    }
    // A subtree in one region is read there (region.ts); a whole collection above is cross-shard.
    const p = new Params();
    const where = [`collection = ${p.add(collection)}`, subtreeCondition(subtree, p)];
    const region = subtreeRegionCondition(subtree, await regionDepth(db), p);
    if (region) where.push(region);
    if (cursor) where.push(`(path, seq) > (${p.add(cursor.path)}, ${p.add(cursor.seq)}::bigint)`);
    const { rows } = await db.query<RecordRow & { seq: number }>(
      `SELECT ${RECORD_COLUMNS} FROM records WHERE ${where.join(' AND ')} ORDER BY path, seq LIMIT ${p.add(limit)}`, p.values);
    return batchOf(rows, limit);
  },
};

function batchOf(rows: (RecordRow & { seq: number })[], limit: number): { records: StoredRecord[]; next: ScanCursor | null } {
  const last = rows.at(-1);
  return { records: rows.map(fromRow), next: rows.length === limit && last ? { seq: Number(last.seq), path: last.path } : null };
}
