import type { Queryable, Param } from './sqlite.js';
import type { DirectoryLoader, DirectoryRow, ForeignRow } from '../../ports.js';

interface Row { key: string; value: string; data: string; imported_by: string | null; display_name: string | null; imported_at: string; imported_path: string | null }

const SELECT = `SELECT d.key, d.value, d.data, d.imported_by, u.display_name, d.imported_at, d.imported_path
  FROM directory d LEFT JOIN users u ON u.username = d.imported_by`;

const loaderOf = (r: Row): DirectoryLoader => ({ by: r.imported_by, byName: r.display_name, at: r.imported_at, path: r.imported_path });

/** Plain SQL over the imported directory: one row per collection, key and value. */
export const directoryTable = {
  async find(db: Queryable, collection: string, key: string, value: string): Promise<DirectoryRow | null> {
    const row = await db.get<Row>(`${SELECT} WHERE d.collection = ? AND d.key = ? AND d.value = ?`, [collection, key, value]);
    return row ? { data: JSON.parse(row.data), loader: loaderOf(row) } : null;
  },

  /**
   * Stores a row under each of its keys, replacing rows of the same keys, unless `mayReplace`
   * refuses one of them (e.g. it was loaded outside the uploader's subtrees): then nothing is
   * written and that row is returned. Run it inside the upload's transaction, so the check and
   * the write see one state.
   */
  async put(db: Queryable, collection: string, keys: [string, string][], data: Record<string, unknown>, loader: DirectoryLoader,
    mayReplace: (stored: DirectoryLoader) => boolean): Promise<ForeignRow | null> {
    const marks = keys.map(() => '(d.key = ? AND d.value = ?)').join(' OR ');
    const existing = await db.all<Row>(`${SELECT} WHERE d.collection = ? AND (${marks})`, [collection, ...keys.flat() as Param[]]);
    const foreign = existing.find((r) => !mayReplace(loaderOf(r)));
    if (foreign) return { key: foreign.key, value: foreign.value, loader: loaderOf(foreign) };
    for (const [key, value] of keys) {
      await db.run('INSERT OR REPLACE INTO directory (collection, key, value, data, imported_at, imported_by, imported_path) VALUES (?, ?, ?, ?, ?, ?, ?)', [
        collection, key, value, JSON.stringify(data), loader.at, loader.by, loader.path,
      ]);
    }
    return null;
  },
};

/**
 * Delete entries of a collection whose deleted record held the value in a field, newest first: a
 * delete's audit diff is the record's last data ({field: [before, null]}); the partial index
 * audit_deletes keeps this to the collection's deletes.
 */
export async function deletedRecordsBy(db: Queryable, collection: string, field: string, value: string, limit = 20) {
  const rows = await db.all<{ record_id: string; at: string; actor: string | null; diff: string }>(
    `SELECT record_id, at, actor, diff FROM audit WHERE collection = ? AND action = 'delete' AND json_extract(diff, ?) = ? ORDER BY id DESC LIMIT ?`,
    [collection, `$.${field}[0]`, value, limit],
  );
  return rows.map((r) => ({
    recordId: r.record_id, at: r.at, actor: r.actor,
    data: Object.fromEntries(Object.entries(JSON.parse(r.diff) as Record<string, [unknown, unknown]>).filter(([, v]) => v[0] !== null).map(([k, v]) => [k, v[0]])),
  }));
}

/** Paths of the tree's roots (nodes without a parent). */
export async function treeRootPaths(db: Queryable, treeCollection: string): Promise<string[]> {
  return (await db.all<{ path: string }>('SELECT path FROM records WHERE collection = ? AND node_id IS NULL ORDER BY rowid', [treeCollection])).map((r) => r.path);
}
