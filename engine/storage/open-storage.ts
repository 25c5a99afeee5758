import { resolve } from 'node:path';
import type { Storage } from '../ports.js';
import { DomainError } from '../errors.js';
import { Database } from './sqlite/sqlite.js';
import { sqliteStorage } from './sqlite/sqlite-storage.js';

/**
 * The adapter `CAIJI_DB` names: a `postgres://` (or `postgresql://`) URL opens the PostgreSQL
 * adapter; anything else that looks like a URL (a scheme followed by `:`) is refused, so that a
 * typing slip never quietly becomes a SQLite file called `postgres:` or `mysql:`; everything else
 * is the path of a SQLite file (the embedded default). The schema is not migrated here: the caller
 * does it through the port (maintenance.migrate).
 */
export async function openStorage(spec: string): Promise<Storage> {
  const scheme = /^([A-Za-z][A-Za-z0-9+.-]+):/.exec(spec)?.[1]?.toLowerCase();
  if (scheme === 'postgres' || scheme === 'postgresql') {
    // Loaded on demand: the embedded default never loads the PostgreSQL driver.
    const { PgDatabase } = await import('./postgres/connection.js');
    const { postgresStorage } = await import('./postgres/postgres-storage.js');
    return postgresStorage(await PgDatabase.open(spec));
  }
  if (scheme) {
    throw new DomainError('invalid', 'unsupported_database',
      `CAIJI_DB 不支持「${scheme}:」开头的数据库地址：请使用 postgres://用户@主机:端口/数据库 连接 PostgreSQL，或给出 SQLite 数据库文件的路径`);
  }
  return sqliteStorage(await Database.open(spec === ':memory:' ? spec : resolve(spec)));
}
