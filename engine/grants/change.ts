/**
 * Granting and revoking a role on a tree node, in one transaction: the account named (by username,
 * or by the record it is bound to — opened in the same step when asked), the keeper rule, the
 * grant, its audit entry on the node and the node's derived fields.
 */
import type { StoredRecord, Storage, Tx } from '../ports.js';
import type { Principal } from '../auth/principal.js';
import type { AppRuntime } from '../runtime/runtime.js';
import type { RecordService } from '../records/service.js';
import { actorOf } from '../auth/actor.js';
import { keptAccount } from '../auth/account-keeper.js';
import { accountHolderRecord, openAccountOf } from '../auth/account-opening.js';
import { DomainError, domainBadRequest, domainForbidden, domainInvalid, domainNotFound } from '../errors.js';
import { recomputeDerived } from './derived.js';

/** What a grant change reads and writes through: accounts, grants, records, audit; the runtime; the record service (derived fields). */
export interface GrantContext {
  readonly storage: Pick<Storage, 'db' | 'unitOfWork' | 'accounts' | 'records' | 'audit' | 'grants'>;
  readonly runtime: AppRuntime;
  readonly records: RecordService;
}

export interface GrantChange {
  add: boolean;
  /** The node, checked by the caller: the user holds "grant" on it. */
  node: StoredRecord;
  /** The role, checked by the caller: the user may grant it there. */
  role: string;
  /** The account: the record it is bound to, or its username. */
  record?: unknown;
  username?: unknown;
  /** A first password's hash: open the bound record's account when it has none. */
  openWith?: string;
}

type Account = { id: string; username: string; display_name: string };

/** Applies the change; `changed` is false when the grant was there already. */
export async function changeGrant(ctx: GrantContext, user: Principal, req: GrantChange): Promise<{ account: Account; changed: boolean; opened: boolean }> {
  const { storage, runtime } = ctx;
  return storage.unitOfWork.transaction(storage.db, async (tx) => {
    const { account, opened } = await namedAccount(ctx, tx, user, req);
    // A role given to an account its granter does not keep would let the granter's peers or
    // juniors (who may keep it) take it over; only its keeper grants it more. Revoking is not
    // held back: it only takes power away. Granting to oneself adds nothing the granter lacks
    // on this node (a global role only at the root, by a root admin: the documented bootstrap).
    if (req.add && account.id !== user.userId && !(await keptAccount(ctx, tx, user, (await storage.accounts.byName(tx, account.username))!))) {
      throw domainForbidden(`${account.display_name}（${account.username}）的账号不归您管理（其人员信息或职务不全在您的下级范围内），请由其上级管理员授予`);
    }
    const { node, role } = req;
    const changed = req.add ? await storage.grants.add(tx, account.id, role, node.id) : await storage.grants.remove(tx, account.id, role, node.id);
    if (!req.add && !changed) throw domainNotFound('授权');
    if (changed) {
      const title = runtime.config.manifest.roles[role].title;
      await storage.audit.append(tx, {
        actor: user.username, collection: node.collection, recordId: node.id, action: req.add ? 'grant' : 'revoke',
        fromState: null, toState: null, diff: null, note: `${account.display_name}（${account.username}）${req.add ? '授予' : '撤销'}${title}`,
      });
      await recomputeDerived(ctx, tx, actorOf(user), node.id);
    }
    return { account, changed, opened };
  });
}

/** The account the request names, opened first when asked and the bound record has none. */
async function namedAccount(ctx: GrantContext, tx: Tx, user: Principal, req: GrantChange): Promise<{ account: Account; opened: boolean }> {
  const { storage, runtime } = ctx;
  if (typeof req.record === 'string' && req.record) {
    const rec = await storage.records.get(tx, req.record);
    if (!rec || !runtime.permissions.onRecord(user, 'read', rec)) throw domainNotFound('人员');
    const bound = await storage.grants.userBoundTo(tx, rec.id);
    if (bound) return { account: bound, opened: false };
    if (req.openWith) return { account: await openAccountOf(ctx, tx, user, await accountHolderRecord(ctx, tx, user, rec.id), undefined, req.openWith), opened: true };
    throw new DomainError('invalid', 'account_required', '该人员尚无系统账号：授予职务须同时为其开通账号（初始密码只显示一次）', [{ path: '/record', message: '该人员尚无系统账号' }]);
  }
  if (typeof req.username === 'string' && req.username) {
    const account = await storage.grants.userByName(tx, req.username);
    if (!account) throw domainInvalid([{ path: '/username', message: `用户“${req.username}”不存在` }]);
    return { account, opened: false };
  }
  throw domainBadRequest('请指定 username 或 record');
}
