import { promisify } from 'node:util';
import { gunzip as gunzipCb, gzip as gzipCb } from 'node:zlib';
import type { PgQueryable } from './connection.js';
import type { StoredPreview } from '../../ports.js';
import type { PreviewRow } from '../../import/preview-rows.js';

const gzip = promisify(gzipCb);
const gunzip = promisify(gunzipCb);

/**
 * Import previews between upload and commit on PostgreSQL (engine/storage/sqlite/import-previews.ts):
 * any instance may commit what another previewed. The rows are gzipped JSON in bytea, read back
 * only whole.
 */
export const pgImportPreviews = {
  async put(db: PgQueryable, p: Omit<StoredPreview, 'state'>, rows: PreviewRow[]): Promise<void> {
    const packed = await gzip(Buffer.from(JSON.stringify(rows)));
    await db.query("INSERT INTO import_previews (id, owner, collection, state, rows, at) VALUES ($1, $2, $3, 'open', $4, $5)", [p.id, p.owner, p.collection, packed, p.at]);
  },

  async get(db: PgQueryable, id: string): Promise<StoredPreview | undefined> {
    return (await db.query<StoredPreview>('SELECT id, owner, collection, state, at FROM import_previews WHERE id = $1', [id])).rows[0];
  },

  async rows(db: PgQueryable, id: string): Promise<PreviewRow[]> {
    const r = (await db.query<{ rows: Buffer }>('SELECT rows FROM import_previews WHERE id = $1', [id])).rows[0];
    return r ? JSON.parse((await gunzip(r.rows)).toString('utf8')) : [];
  },

  /**
   * The commit's claim, inside its transaction: the row deleted there stays locked until the
   * transaction ends, so a rollback — whatever caused it, a dead client's connection included —
   * puts it back open. SKIP LOCKED: a second commit of the same preview is refused at once
   * instead of waiting for the first to end.
   */
  async take(tx: PgQueryable, id: string, owner: string): Promise<boolean> {
    const r = await tx.query(`DELETE FROM import_previews WHERE id = (
      SELECT id FROM import_previews WHERE id = $1 AND owner = $2 AND state = 'open' FOR UPDATE SKIP LOCKED)`, [id, owner]);
    return r.rowCount === 1;
  },

  async remove(db: PgQueryable, id: string): Promise<void> {
    await db.query('DELETE FROM import_previews WHERE id = $1', [id]);
  },

  /** Old previews, except one a commit holds right now (its transaction decides its fate; the sweep never waits for it). */
  async sweep(db: PgQueryable, before: number): Promise<void> {
    await db.query('DELETE FROM import_previews WHERE id IN (SELECT id FROM import_previews WHERE at < $1 FOR UPDATE SKIP LOCKED)', [before]);
  },
};
