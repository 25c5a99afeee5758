import { users, type UserRow } from '../storage/users.js';
import { recordsTable, type StoredRecord } from '../storage/records.js';
import type { Queryable } from '../storage/sqlite.js';
import type { Principal } from './principal.js';
import type { Engine } from '../engine.js';

/**
 * Whether `user` keeps `account` (may reset its password, lock and unlock it), and if so the record
 * its changes are audited on:
 * - an account bound to a record is kept by whoever holds "grant" on that record's node (the
 *   admins of the subtree the person belongs to);
 * - any other account (an admin's) is kept from above: every node it holds a role on must lie
 *   strictly inside a subtree where the user holds "grant" — an admin never keeps a peer's or their
 *   own superior's account. Audited on the first node it holds a role on.
 * Nobody keeps their own account here; they change their password on their account page.
 */
/**
 * The record an account's changes are audited on: the record it is bound to, else the first node
 * it holds a role on (an admin's account); none for an account with neither.
 */
export async function accountRecord(db: Queryable, account: UserRow): Promise<StoredRecord | undefined> {
  if (account.self_record) return recordsTable.get(db, account.self_record);
  const [first] = await users.grants(db, account.id);
  return first ? recordsTable.get(db, first.nodeId) : undefined;
}

export async function keptAccount(engine: Engine, db: Queryable, user: Principal, account: UserRow): Promise<StoredRecord | null> {
  if (account.id === user.userId) return null;
  const perms = engine.runtime.permissions;
  if (account.self_record) {
    const rec = await accountRecord(db, account);
    return rec && perms.onPath(user, 'grant', rec.path) ? rec : null;
  }
  const held = await users.grants(db, account.id);
  const mine = perms.paths(user, 'grant');
  const inside = (path: string) => mine.some((p) => path !== p && path.startsWith(p));
  if (!held.length || !held.every((g) => inside(g.path))) return null;
  return (await accountRecord(db, account)) ?? null;
}
