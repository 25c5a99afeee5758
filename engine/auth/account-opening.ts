import type { StoredRecord, Tx, UserRow } from '../ports.js';
import { usernameProblem } from './usernames.js';
import { domainForbidden, domainInvalid, domainNotFound } from '../errors.js';
import type { Principal } from './principal.js';
import type { AccountContext } from './account-context.js';

/**
 * Opening the login account of a person's record: which records hold accounts (a self role binds
 * them), who may open one (the admins of the record's subtree), the username it gets, and the
 * audited creation. Used by the accounts API and by a grant that opens the account in the same step.
 */

/** The self role (if any) whose accounts are bound to records of a collection. */
export function selfRoleOf(engine: Pick<AccountContext, 'runtime'>, collection: string) {
  return Object.values(engine.runtime.config.manifest.roles).find((r) => r.self === collection);
}

/**
 * The record an account is (to be) bound to, checked: a collection whose records hold accounts,
 * readable by the user, and on a node where the user may grant roles (the admins of its subtree).
 */
export async function accountHolderRecord(engine: AccountContext, db: Tx, user: Principal, recordId: unknown): Promise<StoredRecord> {
  if (typeof recordId !== 'string' || !recordId) throw domainInvalid([{ path: '/record', message: '「人员」为必填项' }]);
  const rec = await engine.storage.records.get(db, recordId);
  if (!rec || !engine.runtime.permissions.onRecord(user, 'read', rec)) throw domainNotFound('人员');
  if (!selfRoleOf(engine, rec.collection)) throw domainInvalid([{ path: '/record', message: `${engine.runtime.collection(rec.collection).title}不能开通账号` }]);
  if (!engine.runtime.permissions.onPath(user, 'grant', rec.path)) throw domainForbidden('无权管理该人员的账号');
  return rec;
}

/** The username an account of this record gets: the one typed, or the value of the role's field. */
export function usernameFor(engine: Pick<AccountContext, 'runtime'>, rec: StoredRecord, typed?: unknown): unknown {
  if (typeof typed === 'string' && typed.trim()) return typed.trim();
  const field = selfRoleOf(engine, rec.collection)!.username;
  return field ? rec.data[field] : undefined;
}

/** What a record's person is called (the collection's title field), if anything. */
export function nameOf(engine: Pick<AccountContext, 'runtime'>, rec: StoredRecord): string | null {
  const field = engine.runtime.collection(rec.collection).titleField;
  const v = field ? rec.data[field] : undefined;
  return v === undefined || v === null || v === '' ? null : String(v);
}

/** Creates the account of a record (checked beforehand) with a first password's hash, audited. */
export async function openAccount(engine: AccountContext, tx: Tx, user: Principal, rec: StoredRecord, username: string, hash: string): Promise<UserRow> {
  const { accounts, audit } = engine.storage;
  await accounts.create(tx, { username, passwordHash: hash, displayName: nameOf(engine, rec) ?? username, self: { collection: rec.collection, recordId: rec.id }, mustChangePassword: true });
  await audit.append(tx, {
    actor: user.username, collection: rec.collection, recordId: rec.id, action: 'account-open', fromState: null, toState: null, diff: null, note: `用户名 ${username}`,
  });
  return (await accounts.byName(tx, username))!;
}

/** Opens the account of a record that has none, under the typed or proposed username (checked). */
export async function openAccountOf(engine: AccountContext, tx: Tx, user: Principal, rec: StoredRecord, typed: unknown, hash: string): Promise<UserRow> {
  if (await engine.storage.accounts.bySelfRecord(tx, rec.id)) throw domainInvalid([{ path: '/record', message: '该人员已有账号' }]);
  const wanted = usernameFor(engine, rec, typed);
  const problem = await usernameProblem(engine.storage.accounts, tx, wanted);
  if (problem) throw domainInvalid([{ path: '/username', message: problem }]);
  return openAccount(engine, tx, user, rec, wanted as string, hash);
}

/** Opens the account of the record `recordId` (checked as accountHolderRecord does), in one transaction. */
export async function openAccountFor(engine: AccountContext, user: Principal, recordId: unknown, typed: unknown, hash: string): Promise<UserRow> {
  const { db, unitOfWork } = engine.storage;
  return unitOfWork.transaction(db, async (tx) => openAccountOf(engine, tx, user, await accountHolderRecord(engine, tx, user, recordId), typed, hash));
}
