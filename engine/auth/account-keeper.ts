import type { Accounts, RecordStore, StoredRecord, Tx, UserRow } from '../ports.js';
import { domainForbidden, domainNotFound } from '../errors.js';
import type { Principal } from './principal.js';
import type { AccountContext } from './account-context.js';

/**
 * The record an account's changes are audited on: the record it is bound to, else the first node
 * it holds a role on (an admin's account); none for an account with neither.
 */
export async function accountRecord(storage: { accounts: Pick<Accounts, 'grants'>; records: Pick<RecordStore, 'get'> }, db: Tx, account: UserRow): Promise<StoredRecord | undefined> {
  if (account.self_record) return storage.records.get(db, account.self_record);
  const [first] = await storage.accounts.grants(db, account.id);
  return first ? storage.records.get(db, first.nodeId) : undefined;
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
export async function keptAccount(engine: AccountContext, db: Tx, user: Principal, account: UserRow): Promise<StoredRecord | null> {
  if (account.id === user.userId) return null;
  const perms = engine.runtime.permissions;
  const mine = perms.paths(user, 'grant');
  const held = await engine.storage.accounts.grants(db, account.id);
  if (!held.every((g) => mine.some((p) => g.path !== p && g.path.startsWith(p)))) return null;
  if (!account.self_record && !held.length) return null;
  const rec = await accountRecord(engine.storage, db, account);
  if (!rec) return null;
  return !account.self_record || perms.onPath(user, 'grant', rec.path) ? rec : null;
}

/** An account named by an admin that the admin keeps, with the record its changes are audited on. */
async function managedAccount(engine: AccountContext, tx: Tx, user: Principal, username: string) {
  const account = await engine.storage.accounts.byName(tx, username);
  if (account?.id === user.userId) throw domainForbidden('不能在这里管理自己的账号，请在“账号”页修改密码');
  const rec = account ? await keptAccount(engine, tx, user, account) : null;
  if (!account || !rec) throw domainNotFound('账号');
  return { account, rec };
}

/** Sets a kept account's password to a first password's hash (its sessions end), audited; the account as it is now. */
export async function resetKeptPassword(engine: AccountContext, user: Principal, username: string, hash: string): Promise<UserRow> {
  const { db, unitOfWork, accounts, audit } = engine.storage;
  return unitOfWork.transaction(db, async (tx) => {
    const { account, rec } = await managedAccount(engine, tx, user, username);
    await accounts.resetPassword(tx, account.id, hash);
    await audit.append(tx, { actor: user.username, collection: rec.collection, recordId: rec.id, action: 'account-reset', fromState: null, toState: null, diff: null, note: `用户名 ${account.username}` });
    return (await accounts.byName(tx, account.username))!;
  });
}

/** Locks or unlocks a kept account (audited when it changed); the account as it is now. */
export async function setKeptLocked(engine: AccountContext, user: Principal, username: string, locked: boolean): Promise<UserRow> {
  const { db, unitOfWork, accounts, audit } = engine.storage;
  return unitOfWork.transaction(db, async (tx) => {
    const { account, rec } = await managedAccount(engine, tx, user, username);
    if (await accounts.setLocked(tx, account.id, locked)) {
      await audit.append(tx, {
        actor: user.username, collection: rec.collection, recordId: rec.id, action: locked ? 'account-lock' : 'account-unlock', fromState: null, toState: null, diff: null, note: `用户名 ${account.username}`,
      });
    }
    return (await accounts.byName(tx, account.username))!;
  });
}
