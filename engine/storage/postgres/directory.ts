import type { PgQueryable } from './connection.js';
import type { DirectoryLoader, DirectoryRow, ForeignRow } from '../../ports.js';

/**
 * The imported lookup directory on PostgreSQL, and what a lookup finds beside it (deleted records
 * in the audit, the tree's roots): the same behaviour as engine/storage/sqlite/directory.ts.
 */

interface Row { key: string; value: string; data: Record<string, unknown>; imported_by: string | null; display_name: string | null; imported_at: string; imported_path: string | null }

const SELECT = `SELECT d.key, d.value, d.data, d.imported_by, u.display_name, d.imported_at, d.imported_path
  FROM directory d LEFT JOIN users u ON u.username = d.imported_by`;

const loaderOf = (r: Row): DirectoryLoader => ({ by: r.imported_by, byName: r.display_name, at: r.imported_at, path: r.imported_path });

/** The advisory-lock namespace of directory uploads (two-key form: the second key is the collection's hash). */
const UPLOAD_LOCK = 0x646972; // 'dir'
/** The collections whose upload lock each open transaction holds already (held until it ends). */
const locked = new WeakMap<PgQueryable, Set<string>>();

/**
 * Uploads to one directory run one after another, as SQLite's one writer runs them: without it,
 * two uploads at once could each find no row under a key, and the later one would replace the
 * other's row without asking mayReplace. Taken once per transaction and collection.
 */
async function lockUploads(db: PgQueryable, collection: string): Promise<void> {
  const held = locked.get(db) ?? new Set<string>();
  if (held.has(collection)) return;
  await db.query('SELECT pg_advisory_xact_lock($1, hashtext($2))', [UPLOAD_LOCK, collection]);
  held.add(collection);
  locked.set(db, held);
}

export const pgDirectory = {
  async find(db: PgQueryable, collection: string, key: string, value: string): Promise<DirectoryRow | null> {
    const { rows: [row] } = await db.query<Row>(`${SELECT} WHERE d.collection = $1 AND d.key = $2 AND d.value = $3`, [collection, key, value]);
    return row ? { data: row.data, loader: loaderOf(row) } : null;
  },

  /**
   * Stores a row under each of its keys, replacing rows of the same keys, unless `mayReplace`
   * refuses one of them: then nothing is written and that row is returned. Run it inside the
   * upload's transaction, so the check and the write see one state.
   */
  async put(db: PgQueryable, collection: string, keys: [string, string][], data: Record<string, unknown>, loader: DirectoryLoader,
    mayReplace: (stored: DirectoryLoader) => boolean): Promise<ForeignRow | null> {
    await lockUploads(db, collection);
    const marks = keys.map((_, i) => `(d.key = $${2 * i + 2} AND d.value = $${2 * i + 3})`).join(' OR ');
    const { rows: existing } = await db.query<Row>(`${SELECT} WHERE d.collection = $1 AND (${marks})`, [collection, ...keys.flat()]);
    const foreign = existing.find((r) => !mayReplace(loaderOf(r)));
    if (foreign) return { key: foreign.key, value: foreign.value, loader: loaderOf(foreign) };
    for (const [key, value] of keys) {
      await db.query(
        `INSERT INTO directory (collection, key, value, data, imported_at, imported_by, imported_path) VALUES ($1, $2, $3, $4, $5, $6, $7)
         ON CONFLICT (collection, key, value) DO UPDATE SET data = excluded.data, imported_at = excluded.imported_at,
           imported_by = excluded.imported_by, imported_path = excluded.imported_path`,
        [collection, key, value, JSON.stringify(data), loader.at, loader.by, loader.path]);
    }
    return null;
  },

  /**
   * Delete entries of a collection whose deleted record held the value in a field, newest first:
   * a delete's audit diff is the record's last data ({field: [before, null]}). As SQLite's
   * json_extract compares, only a string equal to the value matches (not the number 5 for '5').
   */
  async deletedRecordsBy(db: PgQueryable, collection: string, field: string, value: string, limit = 20) {
    const { rows } = await db.query<{ record_id: string; at: string; actor: string | null; diff: Record<string, [unknown, unknown]> }>(
      `SELECT record_id, at, actor, diff FROM audit
        WHERE collection = $1 AND action = 'delete' AND diff -> $2 -> 0 = to_jsonb($3::text) ORDER BY id DESC LIMIT $4`,
      [collection, field, value, limit],
    );
    return rows.map((r) => ({
      recordId: r.record_id, at: r.at, actor: r.actor,
      data: Object.fromEntries(Object.entries(r.diff).filter(([, v]) => v[0] !== null).map(([k, v]) => [k, v[0]])),
    }));
  },

  /** Paths of the tree's roots (nodes without a parent), in the order they were made. */
  async treeRootPaths(db: PgQueryable, treeCollection: string): Promise<string[]> {
    const { rows } = await db.query<{ path: string }>('SELECT path FROM records WHERE collection = $1 AND node_id IS NULL ORDER BY seq', [treeCollection]);
    return rows.map((r) => r.path);
  },
};
