import type { Queryable } from './sqlite.js';

/**
 * The seeding of an empty database on SQLite (engine/ports.ts SeedLock): nothing to take. Every
 * transaction is BEGIN IMMEDIATE, which holds the file's one write lock — across processes on the
 * file, too — from its start, so a seeding transaction already runs alone and reads the file as the
 * one before it left it.
 */
export const sqliteSeedLock = {
  async hold(_tx: Queryable): Promise<void> {},
};
