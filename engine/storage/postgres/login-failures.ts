import type { PgQueryable } from './connection.js';
import type { FailureCount } from '../../ports.js';

const COLUMNS = 'key, failures, first_at AS "firstAt", blocked_until AS "blockedUntil"';

/**
 * Failed password guesses per key on PostgreSQL: the same behaviour as
 * engine/storage/sqlite/login-failures.ts, in the database so every server instance on it counts the
 * same attempts. The upsert is one statement (the row lock of ON CONFLICT serializes two
 * instances counting the same key).
 */
export const pgLoginFailures = {
  async read(db: PgQueryable, keys: string[], now: number): Promise<FailureCount[]> {
    return (await db.query<FailureCount>(`SELECT ${COLUMNS} FROM login_failures WHERE key = ANY($1::text[]) AND expires_at > $2`, [keys, now])).rows;
  },

  /** Counts one failure; an expired counter starts again at 1; `keepExpiry` keeps a live row's expiry (a fixed window). */
  async add(tx: PgQueryable, key: string, now: number, expiresAt: number, keepExpiry: boolean): Promise<FailureCount> {
    const { rows } = await tx.query<FailureCount>(
      `INSERT INTO login_failures AS f (key, failures, first_at, blocked_until, expires_at) VALUES ($1, 1, $2, 0, $3)
       ON CONFLICT (key) DO UPDATE SET
         failures      = CASE WHEN f.expires_at <= $2 THEN 1 ELSE f.failures + 1 END,
         first_at      = CASE WHEN f.expires_at <= $2 THEN $2 ELSE f.first_at END,
         blocked_until = CASE WHEN f.expires_at <= $2 THEN 0 ELSE f.blocked_until END,
         expires_at    = CASE WHEN f.expires_at > $2 AND $4::boolean THEN f.expires_at ELSE $3 END
       RETURNING ${COLUMNS}`,
      [key, now, expiresAt, keepExpiry],
    );
    return rows[0];
  },

  /** Never shortens a block another instance set meanwhile. */
  async block(tx: PgQueryable, key: string, until: number): Promise<void> {
    await tx.query('UPDATE login_failures SET blocked_until = greatest(blocked_until, $1) WHERE key = $2', [until, key]);
  },

  async clear(db: PgQueryable, key: string): Promise<void> {
    await db.query('DELETE FROM login_failures WHERE key = $1', [key]);
  },

  async prune(tx: PgQueryable, now: number): Promise<void> {
    await tx.query('DELETE FROM login_failures WHERE expires_at <= $1', [now]);
  },
};
