import { users, type UserRow } from '../storage/users.js';
import { recordsTable, type StoredRecord } from '../storage/records.js';
import type { Queryable } from '../storage/sqlite.js';
import type { Principal } from './principal.js';
import type { Engine } from '../engine.js';

/**
 * The record an account's changes are audited on: the record it is bound to, else the first node
 * it holds a role on (an admin's account); none for an account with neither.
 */
export async function accountRecord(db: Queryable, account: UserRow): Promise<StoredRecord | undefined> {
  if (account.self_record) return recordsTable.get(db, account.self_record);
  const [first] = await users.grants(db, account.id);
  return first ? recordsTable.get(db, first.nodeId) : undefined;
}

/**
 * Whether `user` keeps `account` (may reset its password, lock and unlock it, and grant it roles),
 * and if so the record its changes are audited on. Taking over an account gives its holder every
 * role the account holds, so the keeper must stand above all of them:
 * - every node the account holds a role on lies strictly inside a subtree where the user holds
 *   "grant" — an admin never keeps a peer's, a superior's or the root's accounts (those of the
 *   config admin and the root admins are kept only by the operator's command line);
 * - an account bound to a record: the user also holds "grant" on that record's node (the admins of
 *   the subtree the person belongs to);
 * - any other account (an admin's) must hold at least one role; audited on the first node of them.
 * Nobody keeps their own account here; they change their password on their account page.
 */
export async function keptAccount(engine: Engine, db: Queryable, user: Principal, account: UserRow): Promise<StoredRecord | null> {
  if (account.id === user.userId) return null;
  const perms = engine.runtime.permissions;
  const mine = perms.paths(user, 'grant');
  const held = await users.grants(db, account.id);
  if (!held.every((g) => mine.some((p) => g.path !== p && g.path.startsWith(p)))) return null;
  if (!account.self_record && !held.length) return null;
  const rec = await accountRecord(db, account);
  if (!rec) return null;
  return !account.self_record || perms.onPath(user, 'grant', rec.path) ? rec : null;
}
