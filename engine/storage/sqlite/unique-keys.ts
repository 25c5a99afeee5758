import type { Queryable } from './sqlite.js';
import type { UniqueKey } from '../../config/types.js';
import { keyName, keyValue } from '../common/keys.js';

/**
 * Unique keys across the whole system, kept in their own table so the database enforces them
 * (one primary key per collection, key and value) inside the same statement as the write.
 */
export const uniqueKeys = {
  /** Which record holds each of these values of a key (those that are held), read in chunks. */
  async holders(db: Queryable, collection: string, key: string, values: string[]): Promise<Map<string, string>> {
    const found = new Map<string, string>();
    for (let i = 0; i < values.length; i += 500) {
      const part = values.slice(i, i + 500);
      const rows = await db.all<{ value: string; record_id: string }>(
        `SELECT value, record_id FROM unique_keys WHERE collection = ? AND key = ? AND value IN (${part.map(() => '?').join(',')})`,
        [collection, key, ...part],
      );
      for (const r of rows) found.set(r.value, r.record_id);
    }
    return found;
  },

  /** The first key of `data` already held by another record, or null (names the clash in an answer). */
  async clash(db: Queryable, collection: string, keys: UniqueKey[], data: Record<string, unknown>, selfId: string): Promise<UniqueKey | null> {
    for (const k of keys) {
      const value = keyValue(k, data);
      if (value === null) continue;
      const row = await db.get<{ record_id: string }>('SELECT record_id FROM unique_keys WHERE collection = ? AND key = ? AND value = ?', [collection, keyName(k), value]);
      if (row && row.record_id !== selfId) return k;
    }
    return null;
  },
};
