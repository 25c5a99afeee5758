import { PgDatabase, type PgQueryable } from './connection.js';

/** Savepoint names: unique, so savepoints nest (PostgreSQL releases and rolls back by name). */
let savepoints = 0;

/**
 * The PostgreSQL adapter's UnitOfWork (engine/ports.ts): a transaction is PgDatabase.transaction
 * (BEGIN … COMMIT on one pooled connection); a savepoint marks a point inside one that a throw
 * rolls back to, leaving the rest of the transaction as it was. Inside a PostgreSQL transaction a
 * failed statement aborts everything after it, so rolling back to the savepoint is also what lets
 * the transaction go on after a refusal caught by the caller.
 */
export const postgresUnitOfWork = {
  transaction<T>(db: PgDatabase, fn: (tx: PgQueryable) => Promise<T>): Promise<T> {
    // There is no nesting: a transaction's handle has no transaction() of its own.
    if (!(db instanceof PgDatabase)) throw new Error('a transaction opens on the database, not inside another transaction');
    return db.transaction(fn);
  },

  async savepoint<T>(tx: PgQueryable, fn: (tx: PgQueryable) => Promise<T>): Promise<T> {
    // On the pool each statement may run on another connection: a savepoint there would mark nothing.
    if (tx instanceof PgDatabase) throw new Error('a savepoint needs an open transaction');
    const name = `sp_${++savepoints}`;
    await tx.query(`SAVEPOINT ${name}`);
    try {
      const result = await fn(tx);
      await tx.query(`RELEASE SAVEPOINT ${name}`);
      return result;
    } catch (err) {
      await tx.query(`ROLLBACK TO SAVEPOINT ${name}`);
      await tx.query(`RELEASE SAVEPOINT ${name}`);
      throw err;
    }
  },
};
