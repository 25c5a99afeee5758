import { createHash, randomBytes } from 'node:crypto';
import type { Queryable } from './sqlite.js';
import type { UserRow } from '../../ports.js';
import type { Grant, Principal } from '../../auth/principal.js';
import { newId } from '../common/ids.js';
import { SESSION_HOURS } from '../common/sessions.js';
import { accountClash } from '../common/account-clash.js';
import { authEpoch } from '../common/auth-epoch.js';

/** A user's grants joined to their nodes, whose current paths they carry (paths change when a subtree moves). */
const GRANTS_OF = 'FROM grants g JOIN records r ON r.id = g.node_id WHERE g.user_id = ?';
const sha256 = (s: string) => createHash('sha256').update(s).digest('base64url');

/** The principal of a user row (grants read separately). */
const principalOf = (u: UserRow, grants: Grant[], sessionId: string, csrf: string): Principal => ({
  userId: u.id, username: u.username, displayName: u.display_name, grants,
  self: u.self_collection && u.self_record ? { collection: u.self_collection, recordId: u.self_record } : undefined,
  ...(u.must_change_password ? { mustChangePassword: true } : {}),
  sessionId, csrf,
});

/** Users, their grants (role on a tree node) and login sessions. */
export const users = {
  byName(db: Queryable, username: string) {
    return db.get<UserRow>('SELECT * FROM users WHERE username = ?', [username]);
  },

  /** Every account, oldest first (the operator's list). */
  all(db: Queryable): Promise<UserRow[]> {
    return db.all<UserRow>('SELECT * FROM users ORDER BY created_at, username');
  },

  /** The account bound to a record, if any. */
  bySelfRecord(db: Queryable, recordId: string) {
    return db.get<UserRow>('SELECT * FROM users WHERE self_record = ?', [recordId]);
  },

  async create(db: Queryable, u: { username: string; passwordHash: string; displayName: string; self?: { collection: string; recordId: string }; mustChangePassword?: boolean }): Promise<string> {
    const id = newId();
    await db.run(
      'INSERT INTO users (id, username, password_hash, display_name, self_collection, self_record, created_at, must_change_password) VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
      [id, u.username, u.passwordHash, u.displayName, u.self?.collection ?? null, u.self?.recordId ?? null, new Date().toISOString(), u.mustChangePassword ? 1 : 0],
    ).catch((err: Error) => {
      if (/UNIQUE constraint failed: users\.username/.test(err.message)) throw accountClash('username', u.username);
      if (/UNIQUE constraint failed: users\.self_record/.test(err.message)) throw accountClash('record', u.username);
      throw err;
    });
    authEpoch.bump();
    return id;
  },

  async grant(db: Queryable, userId: string, role: string, nodeId: string): Promise<void> {
    await db.run('INSERT OR IGNORE INTO grants (user_id, role, node_id) VALUES (?, ?, ?)', [userId, role, nodeId]);
    authEpoch.bump();
  },

  /** Grants with their nodes' current paths (paths change when a subtree moves). */
  grants(db: Queryable, userId: string): Promise<Grant[]> {
    return db.all<Grant>(`SELECT g.role AS role, g.node_id AS nodeId, r.path AS path ${GRANTS_OF} ORDER BY r.path, g.rowid`, [userId]);
  },

  /**
   * Starts a session; returns the cookie token (only its hash is stored) and the CSRF token.
   * `replacing`: the token of the session this one replaces (the same browser's), which ends.
   */
  async startSession(db: Queryable, userId: string, replacing?: string): Promise<{ token: string; csrf: string; expires: Date }> {
    const token = randomBytes(32).toString('base64url');
    const csrf = randomBytes(24).toString('base64url');
    const now = new Date();
    const expires = new Date(now.getTime() + SESSION_HOURS * 3600_000);
    await db.run('DELETE FROM sessions WHERE expires_at < ?', [now.toISOString()]);
    if (replacing) {
      const ended = await db.run('DELETE FROM sessions WHERE id = ?', [sha256(replacing)]);
      if (ended.changes) authEpoch.bump();
    }
    await db.run('INSERT INTO sessions (id, user_id, csrf, created_at, expires_at) VALUES (?, ?, ?, ?, ?)', [sha256(token), userId, csrf, now.toISOString(), expires.toISOString()]);
    return { token, csrf, expires };
  },

  /**
   * Replaces a password hash if it is still `was`, and ends every session of the user but
   * `keepSession`. False (nothing written) when the hash changed meanwhile.
   */
  async replacePassword(db: Queryable, userId: string, was: string, hash: string, keepSession: string): Promise<boolean> {
    const res = await db.run('UPDATE users SET password_hash = ?, must_change_password = 0 WHERE id = ? AND password_hash = ?', [hash, userId, was]);
    if (!res.changes) return false;
    await db.run('DELETE FROM sessions WHERE user_id = ? AND id <> ?', [userId, keepSession]);
    authEpoch.bump();
    return true;
  },

  /**
   * A password set by someone else (an admin's reset): its holder must replace it at the next
   * login, and every session of the account ends.
   */
  async resetPassword(db: Queryable, userId: string, hash: string): Promise<void> {
    await db.run('UPDATE users SET password_hash = ?, must_change_password = 1 WHERE id = ?', [hash, userId]);
    await db.run('DELETE FROM sessions WHERE user_id = ?', [userId]);
    authEpoch.bump();
  },

  /** Locks (no login, every session ended) or unlocks an account. False when it already was so. */
  async setLocked(db: Queryable, userId: string, locked: boolean): Promise<boolean> {
    const res = await db.run(
      locked ? 'UPDATE users SET locked_at = ? WHERE id = ? AND locked_at IS NULL' : 'UPDATE users SET locked_at = NULL WHERE id = ? AND locked_at IS NOT NULL',
      locked ? [new Date().toISOString(), userId] : [userId],
    );
    if (locked) await db.run('DELETE FROM sessions WHERE user_id = ?', [userId]);
    authEpoch.bump();
    return res.changes > 0;
  },

  async endSession(db: Queryable, sessionId: string): Promise<void> {
    await db.run('DELETE FROM sessions WHERE id = ?', [sessionId]);
    authEpoch.bump();
  },

  /**
   * The process's auth epoch (auth-epoch.ts): SQLite's normal case is one writer process, whose
   * every change this counter sees; another process on the same file (a second instance, the
   * operator's tool) is not, and the principal cache's TTL bounds how long its change goes unseen.
   */
  async epoch(_db: Queryable): Promise<number> {
    return authEpoch.current();
  },

  /** The principal of a user by name, outside any session (seeding, tools). */
  async principalByName(db: Queryable, username: string): Promise<Principal | undefined> {
    const u = await users.byName(db, username);
    if (!u) return undefined;
    return principalOf(u, await users.grants(db, u.id), '', '');
  },

  /**
   * The principal behind a cookie token and when its session expires, or undefined when the
   * session is unknown or expired. One query for session, user and grants: every request asks.
   */
  async session(db: Queryable, token: string): Promise<{ principal: Principal; expiresAt: number } | undefined> {
    const s = await db.get<UserRow & { sid: string; csrf: string; expires_at: string; grants: string }>(
      `SELECT u.*, s.id AS sid, s.csrf AS csrf, s.expires_at AS expires_at,
         (SELECT json_group_array(json_object('role', g.role, 'nodeId', g.node_id, 'path', r.path) ORDER BY r.path, g.rowid)
            ${GRANTS_OF.replace('?', 'u.id')}) AS grants
       FROM sessions s JOIN users u ON u.id = s.user_id WHERE s.id = ? AND s.expires_at > ? AND u.locked_at IS NULL`,
      [sha256(token), new Date().toISOString()],
    );
    if (!s) return undefined;
    return { principal: principalOf(s, JSON.parse(s.grants) as Grant[], s.sid, s.csrf), expiresAt: Date.parse(s.expires_at) };
  },

  /** The principal behind a cookie token (see session()). */
  async principal(db: Queryable, token: string): Promise<Principal | undefined> {
    return (await users.session(db, token))?.principal;
  },
};
