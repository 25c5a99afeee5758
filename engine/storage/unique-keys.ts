import type { Queryable } from './sqlite.js';
import type { UniqueKey } from '../config/types.js';

const keyName = (k: UniqueKey) => k.fields.join('+');
const keyValue = (k: UniqueKey, data: Record<string, unknown>) => {
  const parts = k.fields.map((f) => data[f]);
  return parts.some((p) => p === undefined || p === null || p === '') ? null : JSON.stringify(parts);
};

/**
 * Unique keys across the whole system, kept in their own table so the database enforces them
 * (one primary key per collection, key and value) inside the same transaction as the write.
 */
export const uniqueKeys = {
  /** The first key of `data` already held by another record, or null. */
  async clash(db: Queryable, collection: string, keys: UniqueKey[], data: Record<string, unknown>, selfId: string): Promise<UniqueKey | null> {
    for (const k of keys) {
      const value = keyValue(k, data);
      if (value === null) continue;
      const row = await db.get<{ record_id: string }>('SELECT record_id FROM unique_keys WHERE collection = ? AND key = ? AND value = ?', [collection, keyName(k), value]);
      if (row && row.record_id !== selfId) return k;
    }
    return null;
  },

  /** `fresh`: the record is new and holds no keys yet (saves a statement per create). */
  async set(db: Queryable, collection: string, keys: UniqueKey[], data: Record<string, unknown>, recordId: string, fresh = false): Promise<void> {
    if (!fresh) await db.run('DELETE FROM unique_keys WHERE record_id = ?', [recordId]);
    for (const k of keys) {
      const value = keyValue(k, data);
      if (value !== null) await db.run('INSERT INTO unique_keys (collection, key, value, record_id) VALUES (?, ?, ?, ?)', [collection, keyName(k), value, recordId]);
    }
  },
};
