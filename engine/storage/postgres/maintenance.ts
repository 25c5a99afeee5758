import { execFile } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { PgDatabase, redactUrl } from './connection.js';
import { migrate } from './migrations.js';
import type { BackupResult } from '../../ports.js';

const run = promisify(execFile);

/**
 * A PostgreSQL client program: the newest in Debian's /usr/lib/postgresql/<n>/bin (pg_dump must
 * be at least the server's version, and Debian does not put those on PATH), else the one on PATH.
 */
export function pgTool(name: 'pg_dump' | 'pg_restore'): string {
  const root = '/usr/lib/postgresql';
  const versions = existsSync(root) ? readdirSync(root).filter((v) => /^\d+$/.test(v) && existsSync(join(root, v, 'bin', name))) : [];
  const newest = versions.sort((a, b) => Number(b) - Number(a))[0];
  return newest ? join(root, newest, 'bin', name) : name;
}

async function tool(name: 'pg_dump' | 'pg_restore', args: string[], url: string): Promise<void> {
  try {
    await run(pgTool(name), args, { maxBuffer: 16 * 1024 * 1024 });
  } catch (err) {
    const e = err as { stderr?: string; message: string };
    // The URL may carry a password: name the database by its redacted URL only.
    throw new Error(`${name} 失败（${redactUrl(url)}）：${(e.stderr || e.message).replaceAll(url, redactUrl(url)).trim()}`);
  }
}

/**
 * What the operator's tool asks of a PostgreSQL database as a whole. The backup is pg_dump's
 * custom format: pg_dump reads one snapshot (a consistent copy while the servers keep writing),
 * and the operator restores it into an empty database with
 * `pg_restore --no-owner --dbname=<url> <file>` (restoreFrom below does exactly that).
 */
export const pgMaintenance = {
  migrate: (db: PgDatabase, upTo?: number) => migrate(db, upTo),

  /**
   * pg_dump of the whole database into `file` (which must not exist). The dump reads the snapshot
   * of a transaction held open meanwhile, and the counts are read in that same snapshot: what is
   * reported is exactly what the file holds, while the servers keep writing.
   */
  async backupTo(db: PgDatabase, file: string): Promise<BackupResult> {
    if (existsSync(file)) throw new Error(`备份文件已存在：${file}`);
    return db.transaction(async (tx) => {
      await tx.query('SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY');
      const { rows } = await tx.query<{ snapshot: string; records: number; users: number }>(
        'SELECT pg_export_snapshot() AS snapshot, (SELECT count(*) FROM records) AS records, (SELECT count(*) FROM users) AS users');
      const { snapshot, records, users } = rows[0];
      await tool('pg_dump', ['--format=custom', '--no-owner', `--snapshot=${snapshot}`, `--file=${file}`, `--dbname=${db.url}`], db.url);
      return { records, users, restore: `恢复：建立一个空数据库，运行 pg_restore --no-owner --dbname=<新数据库的地址> ${file}，再把 CAIJI_DB 指向它` };
    });
  },

  async counts(db: PgDatabase): Promise<{ records: number; users: number }> {
    const { rows } = await db.query<{ records: number; users: number }>('SELECT (SELECT count(*) FROM records) AS records, (SELECT count(*) FROM users) AS users');
    return rows[0];
  },

  health: (db: PgDatabase) => db.ping(),
};

/** Restores a backupTo file into the empty database at `url` (the operator's restore, and the tests'). */
export async function restoreFrom(url: string, file: string): Promise<void> {
  await tool('pg_restore', ['--no-owner', '--exit-on-error', `--dbname=${url}`, file], url);
}
