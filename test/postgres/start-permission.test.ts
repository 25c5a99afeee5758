/**
 * `npm start` on a PostgreSQL database whose role may not create the schema (PostgreSQL 15 lets
 * only the database's owner create tables in `public`) stops with one Chinese line telling the
 * operator what to do — not the driver's stack trace — and exit code 1.
 */
import { describe, expect, it } from 'vitest';
import pg from 'pg';
import { useTestCluster } from '../helpers/pg-test-cluster.js';
import { runScript } from '../helpers/run-script.js';

const cluster = useTestCluster();

describe('npm start on a database its role does not own', () => {
  it('says in one line that the role may not create the schema and how to fix it', async () => {
    const url = new URL(await cluster().createDatabase());
    const admin = new pg.Client({ connectionString: cluster().adminUrl });
    await admin.connect();
    try {
      await admin.query('CREATE ROLE guest LOGIN');
    } finally {
      await admin.end();
    }
    url.username = 'guest';
    const run = await runScript('engine/main.ts', [], { CAIJI_DB: url.toString(), PORT: '0' }, 60_000);
    const database = url.pathname.slice(1);
    expect(run.code).toBe(1);
    expect(run.stderr.trim()).toMatch(new RegExp(`^数据库 ${database} 不允许角色 guest 建表（.*）：请让该角色拥有这个数据库（例如 createdb -O guest ${database}），或用它的所有者连接$`));
    expect(run.stderr).not.toMatch(/\n\s+at /);
  });
});
