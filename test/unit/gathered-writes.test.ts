import { describe, it, expect } from 'vitest';
import sqlite3 from 'sqlite3';
import { WriteGatherer, manyRows } from '../../engine/storage/sqlite/gathered-writes.js';
import type { Param } from '../../engine/storage/sqlite/sqlite.js';

/** A real SQLite connection, its statements counted, and a one-at-a-time turn as the writer's. */
async function setup() {
  const db = new sqlite3.Database(':memory:');
  await new Promise<void>((r, j) => db.exec('CREATE TABLE t (k TEXT PRIMARY KEY, v INTEGER NOT NULL CHECK (v >= 0))', (e) => (e ? j(e) : r())));
  const statements: string[] = [];
  const run = (sql: string, params: Param[]) => new Promise<void>((r, j) => { statements.push(sql); db.run(sql, params, (e) => (e ? j(e) : r())); });
  let queue: Promise<unknown> = Promise.resolve();
  const turn = <T>(work: () => Promise<T>) => { const next = queue.then(work); queue = next.catch(() => undefined); return next; };
  const rows = () => new Promise<{ k: string; v: number }[]>((r) => db.all('SELECT k, v FROM t ORDER BY k', (_e, x: any[]) => r(x)));
  return { gatherer: new WriteGatherer(turn, run), statements, rows, turn };
}
const INSERT = 'INSERT INTO t (k, v) VALUES (?, ?)';
const outcome = (p: Promise<void>) => p.then(() => 'ok', (e: Error) => e.message.split(':')[0]);

describe('gathered single-row writes', () => {
  it('writes callers waiting together in one statement', async () => {
    const { gatherer, statements, rows, turn } = await setup();
    let release!: () => void;
    const busy = new Promise<void>((r) => (release = r));
    void turn(() => busy); // the writer is busy meanwhile
    const done = Promise.all(['a', 'b', 'c', 'd'].map((k, i) => gatherer.insert(INSERT, [k, i])));
    release();
    await done;
    expect(statements).toEqual([manyRows(INSERT, 4)]);
    expect(await rows()).toEqual([{ k: 'a', v: 0 }, { k: 'b', v: 1 }, { k: 'c', v: 2 }, { k: 'd', v: 3 }]);
  });

  it('a refused row fails alone: the others are written, each caller hears its own outcome', async () => {
    const { gatherer, statements, rows, turn } = await setup();
    await gatherer.insert(INSERT, ['a', 1]);
    let release!: () => void;
    const busy = new Promise<void>((r) => (release = r));
    void turn(() => busy);
    const outcomes = Promise.all([
      outcome(gatherer.insert(INSERT, ['b', 1])), outcome(gatherer.insert(INSERT, ['a', 2])),
      outcome(gatherer.insert(INSERT, ['c', -1])), outcome(gatherer.insert(INSERT, ['d', 4])),
    ]);
    release();
    expect(await outcomes).toEqual(['ok', 'SQLITE_CONSTRAINT', 'SQLITE_CONSTRAINT', 'ok']);
    expect(await rows()).toEqual([{ k: 'a', v: 1 }, { k: 'b', v: 1 }, { k: 'd', v: 4 }]);
    // Tried together first (refused whole), then one by one.
    expect(statements.slice(1)).toEqual([manyRows(INSERT, 4), INSERT, INSERT, INSERT, INSERT]);
  });

  it('a caller alone writes its single row as it is', async () => {
    const { gatherer, statements, rows } = await setup();
    await gatherer.insert(INSERT, ['x', 9]);
    expect(statements).toEqual([INSERT]);
    expect(await rows()).toEqual([{ k: 'x', v: 9 }]);
  });

  it('repeats the VALUES row of a single-row INSERT and refuses anything else', () => {
    expect(manyRows(INSERT, 3)).toBe('INSERT INTO t (k, v) VALUES (?, ?), (?, ?), (?, ?)');
    expect(() => manyRows('UPDATE t SET v = 1', 2)).toThrow();
  });
});
