import { Database } from '../../engine/storage/sqlite/sqlite.js';
import type { Engine } from '../../engine/engine.js';

/**
 * The SQLite database under an engine, for a test that checks the file's own tables or triggers
 * past the port (what the schema refuses, what a statement left behind). Such a test is about the
 * SQLite adapter; on another adapter it fails loudly here rather than passing without checking.
 * A check either adapter answers goes through the port, or test/helpers/raw-db.ts (both adapters).
 */
export function sqliteOf(engine: Pick<Engine, 'storage'>): Database {
  const db = engine.storage.db;
  if (!(db instanceof Database)) throw new Error(`this check reads SQLite tables directly; the engine runs on ${engine.storage.location}`);
  return db;
}
