import { promisify } from 'node:util';
import { gunzip as gunzipCb, gzip as gzipCb } from 'node:zlib';
import type { Queryable } from './sqlite.js';
import type { StoredPreview } from '../../ports.js';
import type { PreviewRow } from '../../import/preview-rows.js';

const gzip = promisify(gzipCb);
const gunzip = promisify(gunzipCb);

/**
 * Import previews between upload and commit, in the database so that the commit may reach any
 * server instance (and survive a restart of the one that previewed). The rows are gzipped JSON:
 * they are only ever read back whole.
 */
export const importPreviews = {
  async put(db: Queryable, p: Omit<StoredPreview, 'state'>, rows: PreviewRow[]): Promise<void> {
    const packed = await gzip(Buffer.from(JSON.stringify(rows)));
    await db.run("INSERT INTO import_previews (id, owner, collection, state, rows, at) VALUES (?, ?, ?, 'open', ?, ?)", [p.id, p.owner, p.collection, packed, p.at]);
  },

  async get(db: Queryable, id: string): Promise<StoredPreview | undefined> {
    return db.get<StoredPreview>('SELECT id, owner, collection, state, at FROM import_previews WHERE id = ?', [id]);
  },

  async rows(db: Queryable, id: string): Promise<PreviewRow[]> {
    const r = await db.get<{ rows: Buffer }>('SELECT rows FROM import_previews WHERE id = ?', [id]);
    return r ? JSON.parse((await gunzip(r.rows)).toString('utf8')) : [];
  },

  /**
   * The commit's claim, inside its transaction (engine/ports.ts ImportPreviews.take): a rollback
   * puts the row back open. SQLite's one writer runs the transactions one after another, so a
   * second commit finds it gone.
   */
  async take(tx: Queryable, id: string, owner: string): Promise<boolean> {
    const r = await tx.run("DELETE FROM import_previews WHERE id = ? AND owner = ? AND state = 'open'", [id, owner]);
    return r.changes === 1;
  },

  async remove(db: Queryable, id: string): Promise<void> {
    await db.run('DELETE FROM import_previews WHERE id = ?', [id]);
  },

  /** Deletes the previews made (or claimed) before `before`. */
  async sweep(db: Queryable, before: number): Promise<void> {
    await db.run('DELETE FROM import_previews WHERE at < ?', [before]);
  },
};
