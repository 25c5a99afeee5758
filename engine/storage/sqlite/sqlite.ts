import sqlite3 from 'sqlite3';
import { authEpoch } from '../common/auth-epoch.js';
import { WriteGatherer } from './gathered-writes.js';
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
   * Prepared statements by SQL text, for every run/get/all: sqlite3 runs prepare, bind, step and
   * finalize of an unprepared query as separate trips through its thread pool, and preparing an
   * INSERT into a table with triggers compiles the triggers too. A cached statement is always
   * stepped to its end (run, all), so it never holds a transaction or a read snapshot open; the
   * driver runs the calls on one statement one after the other.
   */
  private readonly statements = new Map<string, sqlite3.Statement>();

  private async statement(sql: string): Promise<sqlite3.Statement> {
    const statements = this.statements;
    const cached = statements.get(sql);
    if (cached) {
      // Least recently used goes first: re-inserting moves a statement to the end of the map.
      statements.delete(sql);
      statements.set(sql, cached);
      return cached;
    }
    if (statements.size >= 200) {
      const [oldest, old] = statements.entries().next().value!;
      statements.delete(oldest);
      old.finalize();
    }
    const fresh = await new Promise<sqlite3.Statement>((resolve, reject) => {
      const st: sqlite3.Statement = this.raw.prepare(sql, (err: Error | null) => (err ? reject(err) : resolve(st)));
    });
    const raced = statements.get(sql);
    if (raced) {
      fresh.finalize();
      return raced;
    }
    statements.set(sql, fresh);
    return fresh;
  }

  async run(sql: string, params: Param[] = []): Promise<{ changes: number; lastID: number }> {
    const st = await this.statement(sql);
    return new Promise((resolve, reject) => {
      st.run(params, function (this: sqlite3.RunResult, err: Error | null) {
        err ? reject(err) : resolve({ changes: this.changes, lastID: this.lastID });
      });
    });
  }

  /** The first row: for queries of one row (the whole result is read, so the statement ends). */
  async get<T>(sql: string, params: Param[] = []): Promise<T | undefined> {
    return (await this.all<T>(sql, params))[0];
  }

  async all<T>(sql: string, params: Param[] = []): Promise<T[]> {
    const st = await this.statement(sql);
    return new Promise((resolve, reject) => {
      st.all(params, (err: Error | null, rows: T[]) => (err ? reject(err) : resolve(rows)));
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
 * One SQLite file behind three connections: writes go through a single writer connection, one
 * transaction or statement at a time (an async mutex, since sqlite3 shares one connection between
 * all callers); plain reads use a second connection, which in WAL mode sees only committed data
 * and never waits for a writer; a third copies the write-ahead log back (Checkpointer).
 */
export class Database implements Queryable {
  private queue: Promise<unknown> = Promise.resolve();
  private readonly gatherer = new WriteGatherer((work) => this.serial(work), (sql, params) => this.writer.run(sql, params));

  private readonly checkpoints: Checkpointer | null;

  private constructor(
    private readonly writer: Connection,
    private readonly reader: Connection,
    checkpointer: Connection | null,
    readonly file: string,
  ) {
    this.checkpoints = checkpointer && new Checkpointer(checkpointer, (work) => this.serial(work));
  }

  static async open(file: string): Promise<Database> {
    const memory = file === ':memory:';
    if (!memory) mkdirSync(dirname(file), { recursive: true });
    const writer = await Connection.open(file);
    // The writer never checkpoints itself (a checkpoint inside a commit would hold up every
    // write queued behind it): a third connection does, off the write path (Checkpointer).
    await writer.exec(`PRAGMA journal_mode = WAL; PRAGMA foreign_keys = ON; PRAGMA busy_timeout = 5000; PRAGMA synchronous = NORMAL;${memory ? '' : ' PRAGMA wal_autocheckpoint = 0; PRAGMA journal_size_limit = 67108864;'}`);
    const reader = memory ? writer : await Connection.open(file);
    await reader.exec('PRAGMA foreign_keys = ON; PRAGMA busy_timeout = 5000; PRAGMA query_only = ON;');
    const checkpointer = memory ? null : await Connection.open(file);
    await checkpointer?.exec('PRAGMA busy_timeout = 5000;');
    return new Database(writer, reader, checkpointer, file);
  }

  /**
   * One statement on the writer, in its own implicit transaction: a statement is atomic by
   * itself, and skipping BEGIN/COMMIT saves two trips through the driver's thread pool.
   */
  run(sql: string, params?: Param[]) {
    return this.serial(() => this.writer.run(sql, params));
  }

  /**
   * A single-row INSERT … VALUES on the writer in its own implicit transaction, written in one
   * statement with the same INSERT of callers waiting for the writer at the same time (see
   * WriteGatherer); refused or failed, it is retried alone, so the outcome is the caller's own.
   */
  insertGathered(sql: string, params: Param[]): Promise<void> {
    return this.gatherer.insert(sql, params);
  }

  get<T = Record<string, unknown>>(sql: string, params?: Param[]) {
    return this.reader.get<T>(sql, params);
  }
  all<T = Record<string, unknown>>(sql: string, params?: Param[]) {
    return this.reader.all<T>(sql, params);
  }

  /** Runs fn inside BEGIN IMMEDIATE … COMMIT; any throw rolls the whole change back. */
  transaction<T>(fn: (tx: Queryable) => Promise<T>): Promise<T> {
    return this.serial(async () => {
      await this.writer.exec('BEGIN IMMEDIATE');
      const epoch = authEpoch.current();
      try {
        const result = await fn(this.writer);
        await this.writer.exec('COMMIT');
        if (authEpoch.current() !== epoch) authEpoch.bump();
        return result;
      } catch (err) {
        await this.writer.exec('ROLLBACK').catch(() => undefined);
        throw err;
      }
    });
  }

  /** Runs a script outside any transaction (migrations manage their own). */
  exec(sql: string): Promise<void> {
    return this.serial(() => this.writer.exec(sql));
  }

  /** Runs work on the writer after everything queued before it, one at a time. */
  private serial<T>(work: () => Promise<T>): Promise<T> {
    const next = this.queue.then(work);
    this.queue = next.catch(() => undefined);
    return next;
  }

  /** Whether the database answers a query at all (the health check). */
  async ping(): Promise<void> {
    await this.get('SELECT 1');
  }

  async close(): Promise<void> {
    await this.queue;
    await this.checkpoints?.close();
    if (this.reader !== this.writer) await this.reader.close();
    await this.writer.close();
  }
}

/**
 * Copies the write-ahead log back into the database file from its own connection, on a timer,
 * so that the copy and its fsync run in the driver's thread pool beside the writer instead of
 * inside whichever commit crossed SQLite's auto-checkpoint size. A first pass copies while
 * writes go on; a second pass, queued between two writes, copies the few frames written
 * meanwhile — only a log copied to its end can be started over by the next write, so without it
 * the log would grow for as long as writes keep coming. PASSIVE never waits for a reader.
 */
class Checkpointer {
  private static readonly EVERY_MS = 1000;
  private running: Promise<void> | null = null;
  private readonly timer: NodeJS.Timeout;

  constructor(private readonly conn: Connection, private readonly betweenWrites: <T>(work: () => Promise<T>) => Promise<T>) {
    this.timer = setInterval(() => void this.run(), Checkpointer.EVERY_MS);
    this.timer.unref();
  }

  private checkpoint(mode: string) {
    return this.conn.exec(`PRAGMA wal_checkpoint(${mode})`).catch(() => undefined);
  }

  private run(): Promise<void> {
    this.running ??= this.checkpoint('PASSIVE')
      .then(() => this.betweenWrites(() => this.checkpoint('PASSIVE')))
      .finally(() => { this.running = null; });
    return this.running;
  }

  async close(): Promise<void> {
    clearInterval(this.timer);
    await this.running;
    await this.checkpoint('TRUNCATE');
    await this.conn.close();
  }
}
