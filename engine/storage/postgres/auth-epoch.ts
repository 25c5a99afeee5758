import type { PgQueryable } from './connection.js';
import { statement } from './statement.js';

/**
 * The shared auth epoch on PostgreSQL: one row (table auth_epoch, migration 2) whose counter moves
 * forward with every committed write that can change who may do what — grants added or removed,
 * accounts created, locked or given a new password, sessions ended, records deleted (grants and
 * account bindings cascade) and tree paths moved (a grant covers its node's path). Every instance
 * reads it on each request that carries a session (engine/auth/principal-cache.ts), so a change
 * made on one instance holds on every other from its next request on.
 *
 * Inside a transaction the write only notes the change; PgDatabase.transaction bumps the counter as
 * the last statement before COMMIT, in the same transaction. Last on purpose: the row is locked for
 * a moment only, and a transaction waiting for it holds nothing the holder still needs (no
 * deadlock through it), and several changes in one transaction bump once.
 */
export const BUMP_AUTH_EPOCH = 'UPDATE auth_epoch SET n = n + 1 WHERE id = 1';

/** What a transaction's handle offers to note the change (connection.ts's PgTransaction). */
interface NotesAuthChange {
  noteAuthChange(): void;
}

/** A write through `db` changed who may do what: bumped at commit (a transaction) or at once (the pool, after the write's own statement). */
export async function authChanged(db: PgQueryable): Promise<void> {
  if ('noteAuthChange' in db) (db as PgQueryable & NotesAuthChange).noteAuthChange();
  else await db.query(BUMP_AUTH_EPOCH);
}

/** Read on every request with a session: a named statement (connection.ts), parsed once per connection. */
const READ = statement('auth_epoch_read', 'SELECT n FROM auth_epoch WHERE id = 1');

/** The counter as committed now. */
export async function readAuthEpoch(db: PgQueryable): Promise<number> {
  return (await db.query<{ n: number }>(READ)).rows[0]?.n ?? 0;
}
