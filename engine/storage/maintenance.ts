import type { Database } from './sqlite.js';

/**
 * What the operator's tool asks of the database as a whole: a consistent copy while the server
 * keeps serving (SQLite's VACUUM INTO reads one snapshot), and how much a database holds.
 */
export const maintenance = {
  /** Writes a consistent copy of the database into `file` (which must not exist). */
  async backupTo(db: Database, file: string): Promise<void> {
    await db.run('VACUUM INTO ?', [file]);
  },

  /** How many records and accounts a database holds (e.g. a backup, read back). */
  async counts(db: Database): Promise<{ records: number; users: number }> {
    const count = async (table: 'records' | 'users') => (await db.get<{ n: number }>(`SELECT count(*) AS n FROM ${table}`))!.n;
    return { records: await count('records'), users: await count('users') };
  },
};
