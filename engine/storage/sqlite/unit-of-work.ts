import { Database, type Queryable } from './sqlite.js';

/** Savepoint names: unique, so savepoints nest (SQLite releases by name). */
let savepoints = 0;

/**
 * The SQLite adapter's UnitOfWork (engine/ports.ts): a transaction is Database.transaction (BEGIN
 * IMMEDIATE on the writer, queued behind every write before it); a savepoint marks a point inside
 * one that a throw rolls back to, leaving the rest of the transaction as it was.
 */
export const sqliteUnitOfWork = {
  /** Leaks SQLite: opens on the Database, never on a transaction's Queryable. */
  transaction<T>(db: Database, fn: (tx: Queryable) => Promise<T>): Promise<T> {
    return db.transaction(fn);
  },

  async savepoint<T>(tx: Queryable, fn: (tx: Queryable) => Promise<T>): Promise<T> {
    // On the Database itself the savepoint would open a transaction that other callers' writes join.
    if (tx instanceof Database) throw new Error('a savepoint needs an open transaction');
    const name = `sp_${++savepoints}`;
    await tx.exec(`SAVEPOINT ${name}`);
    try {
      const result = await fn(tx);
      await tx.exec(`RELEASE ${name}`);
      return result;
    } catch (err) {
      await tx.exec(`ROLLBACK TO ${name}; RELEASE ${name}`);
      throw err;
    }
  },
};
