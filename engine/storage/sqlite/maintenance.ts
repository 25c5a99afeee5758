import { Database } from './sqlite.js';
import type { BackupResult } from '../../ports.js';

/**
 * What the operator's tool asks of the database as a whole: a consistent copy while the server
 * keeps serving (SQLite's VACUUM INTO reads one snapshot), and how much a database holds.
 */
export const maintenance = {
  /**
   * Writes a consistent copy of the database into `file` (which must not exist), then counts what
   * the copy holds from the copy itself, opened read-only on its own.
   */
  async backupTo(db: Database, file: string): Promise<BackupResult> {
    await db.run('VACUUM INTO ?', [file]);
    const copy = await Database.open(file);
    try {
      return { ...(await maintenance.counts(copy)), restore: `恢复：停止服务后用 ${file} 替换数据库文件（CAIJI_DB），并删除同名的 -wal、-shm 文件` };
    } finally {
      await copy.close();
    }
  },

  /** How many records and accounts a database holds (e.g. a backup, read back). */
  async counts(db: Database): Promise<{ records: number; users: number }> {
    const count = async (table: 'records' | 'users') => (await db.get<{ n: number }>(`SELECT count(*) AS n FROM ${table}`))!.n;
    return { records: await count('records'), users: await count('users') };
  },
};
