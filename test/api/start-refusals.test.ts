/**
 * `npm start` with a CAIJI_DB it cannot serve from stops at once with one Chinese line for the
 * operator (no stack trace), exit code 1, and creates nothing: a URL of another scheme is never
 * taken for a SQLite file name, and an unreachable PostgreSQL is named with its password masked.
 */
import { describe, expect, it } from 'vitest';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { repoRoot } from '../helpers/paths.js';
import { runScript } from '../helpers/run-script.js';

const start = (database: string) => runScript('engine/main.ts', [], { CAIJI_DB: database, PORT: '0' }, 30_000);


describe('npm start refuses a database it cannot serve from', () => {
  it('a URL of another scheme: one line naming CAIJI_DB, nothing created', async () => {
    const run = await start('mysql://somewhere/caiji');
    expect(run.code).toBe(1);
    expect(run.stderr.trim()).toBe('CAIJI_DB 不支持「mysql:」开头的数据库地址：请使用 postgres://用户@主机:端口/数据库 连接 PostgreSQL，或给出 SQLite 数据库文件的路径');
    expect(existsSync(join(repoRoot, 'mysql:'))).toBe(false);
  });

  it('a PostgreSQL server that does not answer: named with its password masked', async () => {
    const run = await start('postgres://caiji:secret@127.0.0.1:1/nowhere');
    expect(run.code).toBe(1);
    expect(run.stderr.trim()).toMatch(/^无法连接数据库 postgres:\/\/caiji:\*\*\*@127\.0\.0\.1:1\/nowhere：/);
    expect(run.stderr).not.toContain('secret');
    expect(run.stderr).not.toMatch(/\n\s+at /);
  });
});
