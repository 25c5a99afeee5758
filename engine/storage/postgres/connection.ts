import pg from 'pg';
import { DomainError } from '../../errors.js';
import { BUMP_AUTH_EPOCH } from './auth-epoch.js';
import type { PgStatement } from './statement.js';

/**
 * The statements every PostgreSQL store needs: a query with `$n` parameters. Implemented by the
 * database (a pool: each call on any free connection, in its own implicit transaction) and by a
 * transaction (one connection inside BEGIN … COMMIT).
 */
export type PgQueryable = {
  query<R = any>(sql: string | PgStatement, params?: unknown[]): Promise<{ rows: R[]; rowCount: number }>;
};

/** Asks the driver: the text alone, or the named statement with its values. */
const send = (on: pg.Pool | pg.PoolClient, sql: string | PgStatement, params?: unknown[]): Promise<pg.QueryResult> =>
  typeof sql === 'string' ? on.query(sql, params) : on.query({ name: sql.name, text: sql.text, values: params });

/**
 * How values come back: bigint (count(*), identity columns) and numeric (sum of bigints) as JS
 * numbers — the port's counters are numbers, and none of ours nears 2^53. jsonb arrives parsed,
 * bytea as a Buffer, text as text.
 */
const types = new pg.TypeOverrides();
types.setTypeParser(pg.types.builtins.INT8, (v: string) => Number(v));
types.setTypeParser(pg.types.builtins.NUMERIC, (v: string) => Number(v));

/** Error codes of a lost or unreachable server (node's socket errors, and SQLSTATE classes 08 and 57P). */
const LOST_SOCKET = new Set(['ECONNREFUSED', 'ECONNRESET', 'EPIPE', 'ETIMEDOUT', 'ENOTFOUND', 'EHOSTUNREACH', 'ENETUNREACH', 'EAI_AGAIN']);
const LOST_SQLSTATE = new Set(['57P01', '57P02', '57P03']); // admin shutdown, crash shutdown, cannot connect now

/** Whether err says the database cannot be reached (as opposed to refusing a statement). */
export function isConnectionLoss(err: unknown): boolean {
  if (!(err instanceof Error)) return false;
  const code = (err as { code?: unknown }).code;
  if (typeof code === 'string' && (LOST_SOCKET.has(code) || LOST_SQLSTATE.has(code) || code.startsWith('08'))) return true;
  // node-postgres reports a socket closed under a query in words, without a code.
  return /Connection terminated|connection error and is not queryable|Client was closed|timeout exceeded when trying to connect/i.test(err.message);
}

export const DATABASE_UNAVAILABLE = '数据库暂时无法连接，请稍后重试';

/** A lost connection as the core's `unavailable` (503 at the HTTP edge); anything else unchanged. */
export function asUnavailable(err: unknown): unknown {
  return isConnectionLoss(err) ? new DomainError('unavailable', 'database_unavailable', DATABASE_UNAVAILABLE) : err;
}

/** A postgres URL with its password masked, for messages and logs. */
export function redactUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    return u.toString();
  } catch {
    return url.replace(/:\/\/([^:/@]*):[^@]*@/, '://$1:***@');
  }
}

const rowsOf = <R>(r: pg.QueryResult): { rows: R[]; rowCount: number } => ({ rows: r.rows as R[], rowCount: r.rowCount ?? 0 });

/** An open transaction: one pooled connection between BEGIN and COMMIT. Only PgDatabase.transaction makes one. */
export class PgTransaction implements PgQueryable {
  /** A write in this transaction changed who may do what: the shared auth epoch is bumped before COMMIT (auth-epoch.ts). */
  authChanged = false;

  /** `database`: the pool it came from (what is known per database, e.g. its region depth, region.ts). */
  constructor(private readonly client: pg.PoolClient, readonly database: PgDatabase) {}

  noteAuthChange(): void {
    this.authChanged = true;
  }

  async query<R = any>(sql: string | PgStatement, params?: unknown[]): Promise<{ rows: R[]; rowCount: number }> {
    try {
      return rowsOf<R>(await send(this.client, sql, params));
    } catch (err) {
      throw asUnavailable(err);
    }
  }
}

/**
 * One PostgreSQL database behind a pool of connections. Unlike SQLite's one writer, writes run
 * side by side on several connections; the database itself orders them (row locks, unique
 * indexes, advisory locks where a part needs a count-and-insert to be atomic).
 */
export class PgDatabase implements PgQueryable {
  private constructor(private readonly pool: pg.Pool, readonly url: string) {}

  /**
   * Connects to `url` and checks the database answers; refused with a Chinese message naming the
   * URL (its password masked) when it does not.
   */
  static async open(url: string, options: { max?: number } = {}): Promise<PgDatabase> {
    const pool = new pg.Pool({ connectionString: url, types, max: options.max ?? 10, connectionTimeoutMillis: 10_000 });
    // An idle connection whose server went away emits 'error' on the pool; unhandled it would end
    // the process. The next query on it fails and is reported as unavailable instead.
    pool.on('error', () => undefined);
    const db = new PgDatabase(pool, url);
    try {
      await pool.query('SELECT 1');
    } catch (err) {
      await pool.end().catch(() => undefined);
      throw new DomainError('unavailable', 'database_unavailable',
        `无法连接数据库 ${redactUrl(url)}：${(err as Error).message || String(err)}`);
    }
    return db;
  }

  async query<R = any>(sql: string | PgStatement, params?: unknown[]): Promise<{ rows: R[]; rowCount: number }> {
    try {
      return rowsOf<R>(await send(this.pool, sql, params));
    } catch (err) {
      throw asUnavailable(err);
    }
  }

  /**
   * Runs fn inside BEGIN … COMMIT on one connection; any throw rolls the whole change back and is
   * rethrown. The connection goes back to the pool in every case — destroyed when it broke, so a
   * dead socket is never handed out again.
   */
  async transaction<T>(fn: (tx: PgTransaction) => Promise<T>): Promise<T> {
    let client: pg.PoolClient;
    try {
      client = await this.pool.connect();
    } catch (err) {
      throw asUnavailable(err);
    }
    let broken: Error | undefined;
    // A checked-out connection has no error listener of the pool's: a server lost between two
    // statements of fn would otherwise be an unhandled 'error' event, ending the process.
    const lost = (err: Error) => { broken ??= err; };
    client.on('error', lost);
    try {
      await client.query('BEGIN');
      const tx = new PgTransaction(client, this);
      const result = await fn(tx);
      // Last, in the same transaction: every instance's principal cache sees the change from its next request.
      if (tx.authChanged) await client.query(BUMP_AUTH_EPOCH);
      await client.query('COMMIT');
      return result;
    } catch (err) {
      await client.query('ROLLBACK').catch((e: Error) => { broken = e; });
      if (isConnectionLoss(err)) broken ??= err as Error;
      throw asUnavailable(err);
    } finally {
      client.removeListener('error', lost);
      client.release(broken ?? false);
    }
  }

  /** Resolves when the database answers a query (the health check); unavailable when it does not. */
  async ping(): Promise<void> {
    await this.query('SELECT 1');
  }

  /** Closes every connection (after the queries running on them). */
  async close(): Promise<void> {
    await this.pool.end();
  }
}
