import type { Engine } from '../../engine/engine.js';
import { Database, type Param } from '../../engine/storage/sqlite/sqlite.js';
import { PgDatabase } from '../../engine/storage/postgres/connection.js';

/**
 * The database under a test server or engine past the port, on either adapter, for the few checks
 * the port cannot make: what the database itself refuses (the audit log's UPDATE), a query the
 * port has no member for (who holds a role), a state forced for a test (a record placed in a
 * state, a row an older version wrote). Everything else goes through the port
 * (`engine.storage.<part>.<member>(engine.storage.db, …)`).
 *
 * SQL is written once with `?` placeholders (turned into `$1, $2, …` on PostgreSQL) in a form both
 * dialects accept; where they differ the switch lives here (`jsonText`), not in the tests. It runs
 * on the engine's own connection (SQLite: its Database; PostgreSQL: its pool), so integers come
 * back as numbers on both; jsonb columns come back parsed on PostgreSQL and as text on SQLite —
 * read JSON through the port, or with `jsonText` for one field.
 */
export interface RawDb {
  readonly dialect: 'sqlite' | 'postgres';
  all<T = Record<string, unknown>>(sql: string, params?: Param[]): Promise<T[]>;
  get<T = Record<string, unknown>>(sql: string, params?: Param[]): Promise<T | undefined>;
  /** A write; resolves with the number of rows it changed. */
  run(sql: string, params?: Param[]): Promise<number>;
  /** A JSON column's top-level field as text, in this dialect: json_extract(col, '$.f') or col->>'f'. */
  jsonText(column: string, field: string): string;
}

/** `?` placeholders as PostgreSQL's `$n` (none of our raw SQL holds a `?` inside a string literal). */
const numbered = (sql: string) => {
  let n = 0;
  return sql.replace(/\?/g, () => `$${++n}`);
};

const safeField = (field: string) => {
  if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(field)) throw new Error(`jsonText: not a plain field name: ${field}`);
  return field;
};

export function rawDb(target: { engine: Pick<Engine, 'storage'> } | Pick<Engine, 'storage'>): RawDb {
  const engine = 'engine' in target ? target.engine : target;
  const db: unknown = engine.storage.db;
  if (db instanceof Database) {
    return {
      dialect: 'sqlite',
      all: (sql, params = []) => db.all(sql, params),
      get: (sql, params = []) => db.get(sql, params),
      run: async (sql, params = []) => (await db.run(sql, params)).changes,
      jsonText: (column, field) => `json_extract(${column}, '$.${safeField(field)}')`,
    };
  }
  if (db instanceof PgDatabase) {
    return {
      dialect: 'postgres',
      all: async <T>(sql: string, params: Param[] = []) => (await db.query<T>(numbered(sql), params)).rows,
      get: async <T>(sql: string, params: Param[] = []) => (await db.query<T>(numbered(sql), params)).rows[0],
      run: async (sql, params = []) => (await db.query(numbered(sql), params)).rowCount,
      jsonText: (column, field) => `(${column} ->> '${safeField(field)}')`,
    };
  }
  throw new Error(`rawDb: no raw access for the database at ${engine.storage.location}`);
}
