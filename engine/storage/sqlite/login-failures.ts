import type { Queryable } from './sqlite.js';
import type { FailureCount } from '../../ports.js';

const COLUMNS = 'key, failures, first_at AS firstAt, blocked_until AS blockedUntil';

/**
 * Failed password guesses counted per key (an account, a client address), in the database so
 * that every server process on it sees the same counts. A row whose expires_at has passed is
 * as good as absent, and is deleted by the next failure anywhere (prune).
 */
export const loginFailures = {
  /** The live counters of these keys. */
  read(db: Queryable, keys: string[], now: number): Promise<FailureCount[]> {
    return db.all<FailureCount>(
      `SELECT ${COLUMNS} FROM login_failures WHERE key IN (${keys.map(() => '?').join(', ')}) AND expires_at > ?`,
      [...keys, now],
    );
  },

  /**
   * Counts one failure under a key, atomically: an expired counter starts again at 1. The row
   * then lives until `expiresAt`, or — with `keepExpiry` and a live row — until the expiry it
   * had (a fixed window). Needs the writer (run inside a transaction).
   */
  async add(tx: Queryable, key: string, now: number, expiresAt: number, keepExpiry: boolean): Promise<FailureCount> {
    const row = await tx.get<FailureCount>(
      `INSERT INTO login_failures (key, failures, first_at, blocked_until, expires_at) VALUES (?1, 1, ?2, 0, ?3)
       ON CONFLICT (key) DO UPDATE SET
         failures      = CASE WHEN expires_at <= ?2 THEN 1 ELSE failures + 1 END,
         first_at      = CASE WHEN expires_at <= ?2 THEN ?2 ELSE first_at END,
         blocked_until = CASE WHEN expires_at <= ?2 THEN 0 ELSE blocked_until END,
         expires_at    = CASE WHEN expires_at > ?2 AND ?4 THEN expires_at ELSE ?3 END
       RETURNING ${COLUMNS}`,
      [key, now, expiresAt, keepExpiry ? 1 : 0],
    );
    return row!;
  },

  /** Blocks a key until a moment (never shortens a block another process set meanwhile). */
  async block(tx: Queryable, key: string, until: number): Promise<void> {
    await tx.run('UPDATE login_failures SET blocked_until = max(blocked_until, ?) WHERE key = ?', [until, key]);
  },

  /** Forgets a key's failures (a successful login). */
  async clear(db: Queryable, key: string): Promise<void> {
    await db.run('DELETE FROM login_failures WHERE key = ?', [key]);
  },

  /** Deletes every expired counter: the table holds only what still counts. */
  async prune(tx: Queryable, now: number): Promise<void> {
    await tx.run('DELETE FROM login_failures WHERE expires_at <= ?', [now]);
  },
};
