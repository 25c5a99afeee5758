/**
 * The PostgreSQL adapter's foundation against a real throwaway cluster: connecting (and refusing
 * an unreachable URL without showing its password), transactions that give their connection back
 * however they end, a lost database reported as `unavailable` and recovered from when it returns,
 * migrations of two instances starting at once, and a job start that counts across instances.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DomainError } from '../../engine/errors.js';
import { PgDatabase } from '../../engine/storage/postgres/connection.js';
import { postgresUnitOfWork } from '../../engine/storage/postgres/unit-of-work.js';
import { migrate, postgresMigrations } from '../../engine/storage/postgres/migrations.js';
import { pgJobStore } from '../../engine/storage/postgres/jobs.js';
import { postgresBin, startPgCluster, type PgCluster } from '../helpers/pg-cluster.js';

let cluster: PgCluster;
beforeAll(async () => {
  cluster = await startPgCluster();
});
afterAll(async () => {
  await cluster?.stop();
});

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const caught = (p: Promise<unknown>) => p.then(() => undefined, (err: unknown) => err);

describe('PostgreSQL connection', () => {
  it('the harness finds the newest server installed, and names what is missing when there is none', () => {
    expect(postgresBin()).toMatch(/^\/usr\/lib\/postgresql\/\d+\/bin$/);
    expect(() => postgresBin('/nonexistent')).toThrow(/未找到 PostgreSQL 服务端程序.*initdb.*apt-get install postgresql.*not found/);
  });

  it('the harness makes a database as a copy of a template database', async () => {
    const url = await cluster.createDatabase('tmpl_copy_source');
    const source = await PgDatabase.open(url);
    await source.query("CREATE TABLE t AS SELECT 'kept' AS v");
    await source.close(); // a template must have nobody connected
    const copy = await PgDatabase.open(await cluster.createDatabase(undefined, { template: 'tmpl_copy_source' }));
    try {
      expect((await copy.query('SELECT v FROM t')).rows).toEqual([{ v: 'kept' }]);
    } finally {
      await copy.close();
    }
  });

  it('refuses an unreachable URL with a Chinese message naming it without its password', async () => {
    const err = await caught(PgDatabase.open(`postgres://caiji:s3cret-pw@127.0.0.1:${cluster.port + 1}/nowhere`));
    expect(err).toBeInstanceOf(DomainError);
    expect((err as DomainError).kind).toBe('unavailable');
    expect((err as DomainError).message).toContain('无法连接数据库 postgres://caiji:***@127.0.0.1');
    expect((err as DomainError).message).not.toContain('s3cret-pw');
  });

  it('a transaction commits or rolls back as a whole and gives its connection back either way', async () => {
    const db = await PgDatabase.open(await cluster.createDatabase(), { max: 1 });
    try {
      await db.query('CREATE TABLE t (n integer PRIMARY KEY)');
      for (let i = 0; i < 3; i++) {
        // With one connection in the pool, a transaction that kept its connection would hang the next one.
        const err = await caught(db.transaction(async (tx) => {
          await tx.query('INSERT INTO t VALUES ($1)', [i]);
          throw new Error('undo');
        }));
        expect((err as Error).message).toBe('undo');
      }
      await db.transaction(async (tx) => {
        await tx.query('INSERT INTO t VALUES (10)');
        await postgresUnitOfWork.savepoint(tx, (sp) => sp.query('INSERT INTO t VALUES (11)'));
        await caught(postgresUnitOfWork.savepoint(tx, async (sp) => {
          await sp.query('INSERT INTO t VALUES (12)');
          await sp.query('INSERT INTO t VALUES (10)'); // duplicate: the savepoint is undone, the transaction goes on
        }));
        await tx.query('INSERT INTO t VALUES (13)');
      });
      expect((await db.query('SELECT n FROM t ORDER BY n')).rows.map((r) => r.n)).toEqual([10, 11, 13]);
      await expect(postgresUnitOfWork.savepoint(db, async () => undefined)).rejects.toThrow('a savepoint needs an open transaction');
    } finally {
      await db.close();
    }
  });

  it('a stopped database is reported as unavailable, in and out of a transaction, and served again when it is back', async () => {
    const db = await PgDatabase.open(await cluster.createDatabase());
    try {
      await db.query('CREATE TABLE t (n integer)');
      // A transaction in the middle of its work when the server goes: its next statement is refused, nothing is kept.
      let goOn!: () => void;
      const halfway = new Promise<void>((r) => { goOn = r; });
      const open = caught(db.transaction(async (tx) => {
        await tx.query('INSERT INTO t VALUES (0)');
        await halfway;
        await tx.query('INSERT INTO t VALUES (1)');
      }));
      await sleep(100);
      await cluster.pause();
      goOn();
      const cut = await open;
      expect([(cut as DomainError).kind, (cut as DomainError).message]).toEqual(['unavailable', '数据库暂时无法连接，请稍后重试']);
      try {
        for (const attempt of [db.query('SELECT 1'), db.transaction((tx) => tx.query('INSERT INTO t VALUES (1)')), db.ping()]) {
          const err = await caught(attempt);
          expect(err).toBeInstanceOf(DomainError);
          expect([(err as DomainError).kind, (err as DomainError).message]).toEqual(['unavailable', '数据库暂时无法连接，请稍后重试']);
        }
      } finally {
        await cluster.resume();
      }
      await db.transaction((tx) => tx.query('INSERT INTO t VALUES (2)'));
      expect((await db.query('SELECT n FROM t')).rows).toEqual([{ n: 2 }]);
    } finally {
      await db.close();
    }
  });
});

describe('PostgreSQL migrations', () => {
  it('two instances starting at once on one database migrate it once', async () => {
    const url = await cluster.createDatabase();
    const [a, b] = [await PgDatabase.open(url), await PgDatabase.open(url)];
    try {
      const newest = postgresMigrations.at(-1)!.version;
      expect(await Promise.all([migrate(a), migrate(b)])).toEqual([newest, newest]);
      expect((await a.query('SELECT version FROM schema_migrations')).rows).toEqual(postgresMigrations.map((m) => ({ version: m.version })));
      expect(await migrate(b)).toBe(newest);
    } finally {
      await Promise.all([a.close(), b.close()]);
    }
  });
});

describe('PostgreSQL jobs', () => {
  it('two instances starting the same owner\'s job at once count each other: one starts, one is refused', async () => {
    const url = await cluster.createDatabase();
    const [a, b] = [await PgDatabase.open(url), await PgDatabase.open(url)];
    try {
      await migrate(a);
      const lost = { code: 'lost', message: '任务中断' };
      const job = (id: string, instance: string) => ({ id, owner: 'u1', kind: 'print', total: 1, instance, now: Date.now() });
      // A starts and keeps its transaction open a moment; B starts meanwhile and must see A's job.
      const first = a.transaction(async (tx) => {
        const r = await pgJobStore.start(tx, job('j1', 'A'), 1, 0, lost);
        await sleep(300);
        return r;
      });
      await sleep(50);
      const second = b.transaction((tx) => pgJobStore.start(tx, job('j2', 'B'), 1, 0, lost));
      expect(await Promise.all([first, second])).toEqual([null, 1]);
      expect((await a.query("SELECT id FROM jobs WHERE status = 'running'")).rows).toEqual([{ id: 'j1' }]);
    } finally {
      await Promise.all([a.close(), b.close()]);
    }
  });
});
