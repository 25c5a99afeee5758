import { createHash, randomBytes } from 'node:crypto';
import { accountClash } from '../common/account-clash.js';
import type { PgQueryable } from './connection.js';
import { statement } from './statement.js';
import type { UserRow } from '../../ports.js';
import type { Grant, Principal } from '../../auth/principal.js';
import { SESSION_HOURS, newId } from '../../ports.js';
import { authChanged, readAuthEpoch } from './auth-epoch.js';
import { pgGrants } from './grants.js';

/**
 * Users, their grants (role on a tree node) and login sessions on PostgreSQL: the same behaviour
 * as engine/storage/sqlite/users.ts (the port's Accounts and Sessions), statement for statement. Every
 * write that can change who may do what bumps the shared auth epoch (auth-epoch.ts), where SQLite
 * bumps its process counter.
 */

/** The port's UserRow keeps SQLite's shape: must_change_password as 0/1. */
const USER_COLUMNS = `u.id, u.username, u.password_hash, u.display_name, u.self_collection, u.self_record, u.created_at,
  u.must_change_password::int AS must_change_password, u.locked_at`;
/** A user's grants joined to their nodes, whose current paths they carry (paths change when a subtree moves); paths compare byte-wise. */
const GRANTS_OF = (user: string) => `FROM grants g JOIN records r ON r.id = g.node_id WHERE g.user_id = ${user}`;
const sha256 = (s: string) => createHash('sha256').update(s).digest('base64url');

/** The session's account and grants, read whenever the principal cache misses: a named statement (connection.ts). */
const SESSION = statement('session_principal', `SELECT ${USER_COLUMNS}, s.id AS sid, s.csrf AS csrf, s.expires_at AS expires_at,
     coalesce((SELECT json_agg(json_build_object('role', g.role, 'nodeId', g.node_id, 'path', r.path) ORDER BY r.path, g.seq)
        ${GRANTS_OF('u.id')}), '[]'::json) AS grants
   FROM sessions s JOIN users u ON u.id = s.user_id WHERE s.id = $1 AND s.expires_at > $2 AND u.locked_at IS NULL`);

/** The principal of a user row (grants read separately). */
const principalOf = (u: UserRow, grants: Grant[], sessionId: string, csrf: string): Principal => ({
  userId: u.id, username: u.username, displayName: u.display_name, grants,
  self: u.self_collection && u.self_record ? { collection: u.self_collection, recordId: u.self_record } : undefined,
  ...(u.must_change_password ? { mustChangePassword: true } : {}),
  sessionId, csrf,
});

const oneUser = async (db: PgQueryable, where: string, value: string): Promise<UserRow | undefined> =>
  (await db.query<UserRow>(`SELECT ${USER_COLUMNS} FROM users u WHERE ${where} = $1`, [value])).rows[0];

export const pgUsers = {
  byName(db: PgQueryable, username: string): Promise<UserRow | undefined> {
    return oneUser(db, 'u.username', username);
  },

  /** Every account, oldest first (the operator's list). */
  async all(db: PgQueryable): Promise<UserRow[]> {
    return (await db.query<UserRow>(`SELECT ${USER_COLUMNS} FROM users u ORDER BY u.created_at, u.username`)).rows;
  },

  /** The account bound to a record, if any. */
  bySelfRecord(db: PgQueryable, recordId: string): Promise<UserRow | undefined> {
    return oneUser(db, 'u.self_record', recordId);
  },

  async create(db: PgQueryable, u: { username: string; passwordHash: string; displayName: string; self?: { collection: string; recordId: string }; mustChangePassword?: boolean }): Promise<string> {
    const id = newId();
    await db.query(
      'INSERT INTO users (id, username, password_hash, display_name, self_collection, self_record, created_at, must_change_password) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)',
      [id, u.username, u.passwordHash, u.displayName, u.self?.collection ?? null, u.self?.recordId ?? null, new Date().toISOString(), !!u.mustChangePassword],
    ).catch((err: Error & { code?: string; constraint?: string }) => {
      // Two instances opening an account at once: the unique indexes let one through.
      if (err.code === '23505' && err.constraint === 'users_username_key') throw accountClash('username', u.username);
      if (err.code === '23505' && err.constraint === 'users_self_record') throw accountClash('record', u.username);
      throw err;
    });
    await authChanged(db);
    return id;
  },

  /** A grant, unless the user holds it already (the grants API's add, which bumps the auth epoch). */
  async grant(db: PgQueryable, userId: string, role: string, nodeId: string): Promise<void> {
    await pgGrants.add(db, userId, role, nodeId);
  },

  /** Grants with their nodes' current paths, in path order. */
  async grants(db: PgQueryable, userId: string): Promise<Grant[]> {
    return (await db.query<Grant>(`SELECT g.role AS role, g.node_id AS "nodeId", r.path AS path ${GRANTS_OF('$1')} ORDER BY r.path, g.seq`, [userId])).rows;
  },

  /**
   * Starts a session; returns the cookie token (only its hash is stored) and the CSRF token.
   * `replacing`: the token of the session this one replaces (the same browser's), which ends.
   */
  async startSession(db: PgQueryable, userId: string, replacing?: string): Promise<{ token: string; csrf: string; expires: Date }> {
    const token = randomBytes(32).toString('base64url');
    const csrf = randomBytes(24).toString('base64url');
    const now = new Date();
    const expires = new Date(now.getTime() + SESSION_HOURS * 3600_000);
    await db.query('DELETE FROM sessions WHERE expires_at < $1', [now.toISOString()]);
    if (replacing) {
      const ended = await db.query('DELETE FROM sessions WHERE id = $1', [sha256(replacing)]);
      if (ended.rowCount) await authChanged(db);
    }
    await db.query('INSERT INTO sessions (id, user_id, csrf, created_at, expires_at) VALUES ($1, $2, $3, $4, $5)',
      [sha256(token), userId, csrf, now.toISOString(), expires.toISOString()]);
    return { token, csrf, expires };
  },

  /**
   * Replaces a password hash if it is still `was`, and ends every session of the user but
   * `keepSession` (a session id). False (nothing written) when the hash changed meanwhile.
   */
  async replacePassword(db: PgQueryable, userId: string, was: string, hash: string, keepSession: string): Promise<boolean> {
    const res = await db.query('UPDATE users SET password_hash = $1, must_change_password = false WHERE id = $2 AND password_hash = $3', [hash, userId, was]);
    if (!res.rowCount) return false;
    await db.query('DELETE FROM sessions WHERE user_id = $1 AND id <> $2', [userId, keepSession]);
    await authChanged(db);
    return true;
  },

  /** A password set by someone else (an admin's reset): replaced at the next login; every session of the account ends. */
  async resetPassword(db: PgQueryable, userId: string, hash: string): Promise<void> {
    await db.query('UPDATE users SET password_hash = $1, must_change_password = true WHERE id = $2', [hash, userId]);
    await db.query('DELETE FROM sessions WHERE user_id = $1', [userId]);
    await authChanged(db);
  },

  /** Locks (no login, every session ended) or unlocks an account. False when it already was so. */
  async setLocked(db: PgQueryable, userId: string, locked: boolean): Promise<boolean> {
    const res = locked
      ? await db.query('UPDATE users SET locked_at = $1 WHERE id = $2 AND locked_at IS NULL', [new Date().toISOString(), userId])
      : await db.query('UPDATE users SET locked_at = NULL WHERE id = $1 AND locked_at IS NOT NULL', [userId]);
    if (locked) await db.query('DELETE FROM sessions WHERE user_id = $1', [userId]);
    await authChanged(db);
    return res.rowCount > 0;
  },

  async endSession(db: PgQueryable, sessionId: string): Promise<void> {
    await db.query('DELETE FROM sessions WHERE id = $1', [sessionId]);
    await authChanged(db);
  },

  /** The shared auth epoch (auth-epoch.ts): one row every instance reads. */
  epoch(db: PgQueryable): Promise<number> {
    return readAuthEpoch(db);
  },

  /** The principal of a user by name, outside any session (seeding, tools). */
  async principalByName(db: PgQueryable, username: string): Promise<Principal | undefined> {
    const u = await pgUsers.byName(db, username);
    if (!u) return undefined;
    return principalOf(u, await pgUsers.grants(db, u.id), '', '');
  },

  /**
   * The principal behind a cookie token and when its session expires, or undefined when the
   * session is unknown or expired or the account locked. One query for session, user and grants:
   * every request asks.
   */
  async session(db: PgQueryable, token: string): Promise<{ principal: Principal; expiresAt: number } | undefined> {
    const { rows: [s] } = await db.query<UserRow & { sid: string; csrf: string; expires_at: string; grants: Grant[] }>(
      SESSION, [sha256(token), new Date().toISOString()]);
    if (!s) return undefined;
    return { principal: principalOf(s, s.grants, s.sid, s.csrf), expiresAt: Date.parse(s.expires_at) };
  },

  /** The principal behind a cookie token (see session()). */
  async principal(db: PgQueryable, token: string): Promise<Principal | undefined> {
    return (await pgUsers.session(db, token))?.principal;
  },
};
