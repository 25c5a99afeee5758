import sqlite3 from 'sqlite3';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';

export type Param = string | number | null | bigint | Buffer;

/** The statements every store needs; implemented by a plain connection and by a transaction. */
export interface Queryable {
  run(sql: string, params?: Param[]): Promise<{ changes: number; lastID: number }>;
  get<T = Record<string, unknown>>(sql: string, params?: Param[]): Promise<T | undefined>;
  all<T = Record<string, unknown>>(sql: string, params?: Param[]): Promise<T[]>;
  /** Runs a multi-statement script. */
  exec(sql: string): Promise<void>;
}

class Connection implements Queryable {
  constructor(readonly raw: sqlite3.Database) {}

  static open(file: string, mode?: number): Promise<Connection> {
    return new Promise((resolve, reject) => {
      const raw = new sqlite3.Database(file, mode ?? sqlite3.OPEN_READWRITE | sqlite3.OPEN_CREATE, (err) =>
        err ? reject(err) : resolve(new Connection(raw)),
      );
    });
  }

  /**
   * Prepared statements of run(), by SQL text: preparing an INSERT into a table with triggers
   * compiles the triggers too, which costs more than running it. run() steps a statement to its
   * end, so a cached statement never holds a transaction open.
   */
  private readonly statements = new Map<string, sqlite3.Statement>();

  async run(sql: string, params: Param[] = []): Promise<{ changes: number; lastID: number }> {
    const statements = this.statements;
    let stmt = statements.get(sql);
    if (!stmt) {
      if (statements.size >= 200) {
        const [oldest, old] = statements.entries().next().value!;
        statements.delete(oldest);
        old.finalize();
      }
      const fresh = await new Promise<sqlite3.Statement>((resolve, reject) => {
        const st: sqlite3.Statement = this.raw.prepare(sql, (err: Error | null) => (err ? reject(err) : resolve(st)));
      });
      stmt = statements.get(sql);
      if (stmt) fresh.finalize();
      else statements.set(sql, (stmt = fresh));
    }
    const st = stmt;
    return new Promise((resolve, reject) => {
      st.run(params, function (this: sqlite3.RunResult, err: Error | null) {
        err ? reject(err) : resolve({ changes: this.changes, lastID: this.lastID });
      });
    });
  }

  get<T>(sql: string, params: Param[] = []): Promise<T | undefined> {
    return new Promise((resolve, reject) => {
      this.raw.get(sql, params, (err: Error | null, row: T) => (err ? reject(err) : resolve(row)));
    });
  }

  all<T>(sql: string, params: Param[] = []): Promise<T[]> {
    return new Promise((resolve, reject) => {
      this.raw.all(sql, params, (err: Error | null, rows: T[]) => (err ? reject(err) : resolve(rows)));
    });
  }

  exec(sql: string): Promise<void> {
    return new Promise((resolve, reject) => this.raw.exec(sql, (err) => (err ? reject(err) : resolve())));
  }

  close(): Promise<void> {
    for (const st of this.statements.values()) st.finalize();
    this.statements.clear();
    return new Promise((resolve, reject) => this.raw.close((err) => (err ? reject(err) : resolve())));
  }
}

/**
 * One SQLite file behind two connections: writes go through a single writer connection, one
 * transaction at a time (an async mutex, since sqlite3 shares one connection between all
 * callers); plain reads use a second connection, which in WAL mode sees only committed data and
 * never waits for a writer.
 */
export class Database implements Queryable {
  private queue: Promise<unknown> = Promise.resolve();

  private constructor(
    private readonly writer: Connection,
    private readonly reader: Connection,
    readonly file: string,
  ) {}

  static async open(file: string): Promise<Database> {
    if (file !== ':memory:') mkdirSync(dirname(file), { recursive: true });
    const writer = await Connection.open(file);
    await writer.exec('PRAGMA journal_mode = WAL; PRAGMA foreign_keys = ON; PRAGMA busy_timeout = 5000; PRAGMA synchronous = NORMAL;');
    const reader = file === ':memory:' ? writer : await Connection.open(file);
    await reader.exec('PRAGMA foreign_keys = ON; PRAGMA busy_timeout = 5000; PRAGMA query_only = ON;');
    return new Database(writer, reader, file);
  }

  run(sql: string, params?: Param[]) {
    return this.transaction((tx) => tx.run(sql, params));
  }
  get<T = Record<string, unknown>>(sql: string, params?: Param[]) {
    return this.reader.get<T>(sql, params);
  }
  all<T = Record<string, unknown>>(sql: string, params?: Param[]) {
    return this.reader.all<T>(sql, params);
  }

  /** Runs fn inside BEGIN IMMEDIATE … COMMIT; any throw rolls the whole change back. */
  transaction<T>(fn: (tx: Queryable) => Promise<T>): Promise<T> {
    const next = this.queue.then(async () => {
      await this.writer.exec('BEGIN IMMEDIATE');
      try {
        const result = await fn(this.writer);
        await this.writer.exec('COMMIT');
        return result;
      } catch (err) {
        await this.writer.exec('ROLLBACK').catch(() => undefined);
        throw err;
      }
    });
    this.queue = next.catch(() => undefined);
    return next;
  }

  /** Runs a script outside any transaction (migrations manage their own). */
  exec(sql: string): Promise<void> {
    const next = this.queue.then(() => this.writer.exec(sql));
    this.queue = next.catch(() => undefined);
    return next;
  }

  async close(): Promise<void> {
    await this.queue;
    if (this.reader !== this.writer) await this.reader.close();
    await this.writer.close();
  }
}
