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

  /** Open → committing in one statement: false when it is not open (another commit, on any instance, has it). */
  async claim(db: PgQueryable, id: string, owner: string, now: number): Promise<boolean> {
    const r = await db.query("UPDATE import_previews SET state = 'committing', at = $1 WHERE id = $2 AND owner = $3 AND state = 'open'", [now, id, owner]);
    return r.rowCount === 1;
  },

  async remove(db: PgQueryable, id: string): Promise<void> {
    await db.query('DELETE FROM import_previews WHERE id = $1', [id]);
  },

  async sweep(db: PgQueryable, before: number): Promise<void> {
    await db.query('DELETE FROM import_previews WHERE at < $1', [before]);
  },
};
