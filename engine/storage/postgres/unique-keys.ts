import type { PgQueryable } from './connection.js';
import type { UniqueKey } from '../../config/types.js';
import { keyName, keyValue } from '../../ports.js';

/**
 * Unique keys across the whole system on PostgreSQL (engine/storage/sqlite/unique-keys.ts's twin): their
 * own table, whose primary key (collection, key, value) the record writes insert into, so the
 * database is the last word on a clash.
 */
export const pgUniqueKeys = {
  /** Which record holds each of these values of a key (those that are held). */
  async holders(db: PgQueryable, collection: string, key: string, values: string[]): Promise<Map<string, string>> {
    if (!values.length) return new Map();
    const { rows } = await db.query<{ value: string; record_id: string }>(
      'SELECT value, record_id FROM unique_keys WHERE collection = $1 AND key = $2 AND value = ANY($3::text[])', [collection, key, values]);
    return new Map(rows.map((r) => [r.value, r.record_id]));
  },

  /** The first key of `data` already held by another record, or null (names the clash in an answer). */
  async clash(db: PgQueryable, collection: string, keys: UniqueKey[], data: Record<string, unknown>, selfId: string): Promise<UniqueKey | null> {
    for (const k of keys) {
      const value = keyValue(k, data);
      if (value === null) continue;
      const row = (await db.query<{ record_id: string }>(
        'SELECT record_id FROM unique_keys WHERE collection = $1 AND key = $2 AND value = $3', [collection, keyName(k), value])).rows[0];
      if (row && row.record_id !== selfId) return k;
    }
    return null;
  },
};
