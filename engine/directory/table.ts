import type { Queryable } from '../storage/sqlite.js';

/** Plain SQL over the imported directory: one row per collection, key and value. */
export const directoryTable = {
  async find(db: Queryable, collection: string, key: string, value: string): Promise<Record<string, unknown> | null> {
    const row = await db.get<{ data: string }>('SELECT data FROM directory WHERE collection = ? AND key = ? AND value = ?', [collection, key, value]);
    return row ? JSON.parse(row.data) : null;
  },

  /** Stores a row under each of its keys; a later import of the same key replaces the row. */
  async put(db: Queryable, collection: string, keys: [string, string][], data: Record<string, unknown>, by: string | null): Promise<void> {
    const now = new Date().toISOString();
    for (const [key, value] of keys) {
      await db.run('INSERT OR REPLACE INTO directory (collection, key, value, data, imported_at, imported_by) VALUES (?, ?, ?, ?, ?, ?)', [
        collection, key, value, JSON.stringify(data), now, by,
      ]);
    }
  },
};
