import { Hono } from 'hono';
import { users, type UserRow } from '../../storage/users.js';
import { recordsTable, type StoredRecord } from '../../storage/records.js';
import { auditLog } from '../../storage/audit.js';
import { hashPassword } from '../../auth/password.js';
import { firstPassword } from '../../auth/first-password.js';
import type { Principal } from '../../auth/principal.js';
import type { Engine } from '../../engine.js';
import type { Queryable } from '../../storage/sqlite.js';
import { jsonBody } from '../body.js';
import { forbidden, invalid, notFound } from '../errors.js';

const USERNAME = /^[A-Za-z0-9_.@-]{2,64}$/;

/** The self role (if any) whose accounts are bound to records of a collection. */
function selfRoleOf(engine: Engine, collection: string) {
  return Object.values(engine.runtime.config.manifest.roles).find((r) => r.self === collection);
}

/**
 * The record an account is (to be) bound to, checked: a collection whose records hold accounts,
 * readable by the user, and on a node where the user may grant roles (the admins of its subtree).
 */
async function accountRecord(engine: Engine, db: Queryable, user: Principal, recordId: unknown): Promise<StoredRecord> {
  if (typeof recordId !== 'string' || !recordId) throw invalid([{ path: '/record', message: '「人员」为必填项' }]);
  const rec = await recordsTable.get(db, recordId);
  if (!rec || !engine.runtime.permissions.onRecord(user, 'read', rec)) throw notFound('人员');
  if (!selfRoleOf(engine, rec.collection)) throw invalid([{ path: '/record', message: `${engine.runtime.collection(rec.collection).title}不能开通账号` }]);
  if (!engine.runtime.permissions.onPath(user, 'grant', rec.path)) throw forbidden('无权管理该人员的账号');
  return rec;
}

/** An account named in the path, with the record it is bound to: only such accounts are managed here. */
async function managedAccount(engine: Engine, db: Queryable, user: Principal, username: string) {
  const account = await users.byName(db, username);
  if (!account?.self_record) throw notFound('账号');
  const rec = await accountRecord(engine, db, user, account.self_record);
  if (account.id === user.userId) throw forbidden('不能在这里管理自己的账号，请在“账号”页修改密码');
  return { account, rec };
}

const describe = (u: UserRow) => ({
  username: u.username, displayName: u.display_name, createdAt: u.created_at,
  locked: !!u.locked_at, lockedAt: u.locked_at, mustChangePassword: !!u.must_change_password,
});

/**
 * /api/accounts — the accounts of people whose records hold one (a self role binds them), kept by
 * the admins of the record's subtree: open one with a first password, reset a forgotten password,
 * lock and unlock. A password an admin sets is shown once, in the answer, and must be replaced at
 * the next login. Every change is audited on the bound record; reset and lock end the account's
 * sessions.
 */
export function accountsRoutes() {
  const app = new Hono();

  app.get('/', async (c) => {
    const engine = c.get('engine');
    const rec = await accountRecord(engine, engine.db, c.get('user')!, c.req.query('record'));
    const account = await users.bySelfRecord(engine.db, rec.id);
    const field = selfRoleOf(engine, rec.collection)!.username;
    const proposed = field ? rec.data[field] : undefined;
    return c.json({ account: account ? describe(account) : null, proposedUsername: typeof proposed === 'string' ? proposed : null });
  });

  app.post('/', async (c) => {
    const engine = c.get('engine');
    const user = c.get('user')!;
    const body = await jsonBody<{ record?: unknown; username?: unknown }>(c);
    const password = firstPassword();
    const hash = await hashPassword(password);
    const created = await engine.db.transaction(async (tx) => {
      const rec = await accountRecord(engine, tx, user, body?.record);
      const col = engine.runtime.collection(rec.collection);
      if (await users.bySelfRecord(tx, rec.id)) throw invalid([{ path: '/record', message: '该人员已有账号' }]);
      const field = selfRoleOf(engine, rec.collection)!.username;
      const wanted = typeof body?.username === 'string' && body.username.trim() ? body.username.trim() : field ? rec.data[field] : undefined;
      if (typeof wanted !== 'string' || !wanted) throw invalid([{ path: '/username', message: '「用户名」为必填项' }]);
      if (!USERNAME.test(wanted)) throw invalid([{ path: '/username', message: '「用户名」须为2至64个字母、数字或 _ . @ -' }]);
      if (await users.byName(tx, wanted)) throw invalid([{ path: '/username', message: `「用户名」“${wanted}”已被使用` }]);
      const displayName = String((col.titleField && rec.data[col.titleField]) || wanted);
      await users.create(tx, { username: wanted, passwordHash: hash, displayName, self: { collection: rec.collection, recordId: rec.id }, mustChangePassword: true });
      await auditLog.append(tx, {
        actor: user.username, collection: rec.collection, recordId: rec.id, action: 'account-open', fromState: null, toState: null, diff: null, note: `用户名 ${wanted}`,
      });
      return (await users.byName(tx, wanted))!;
    });
    return c.json({ account: describe(created), password }, 201);
  });

  app.post('/:username/password', async (c) => {
    const engine = c.get('engine');
    const user = c.get('user')!;
    const password = firstPassword();
    const hash = await hashPassword(password);
    const account = await engine.db.transaction(async (tx) => {
      const { account, rec } = await managedAccount(engine, tx, user, c.req.param('username'));
      await users.resetPassword(tx, account.id, hash);
      await auditLog.append(tx, { actor: user.username, collection: rec.collection, recordId: rec.id, action: 'account-reset', fromState: null, toState: null, diff: null, note: `用户名 ${account.username}` });
      return (await users.byName(tx, account.username))!;
    });
    return c.json({ account: describe(account), password });
  });

  const lock = (locked: boolean) => async (c: any) => {
    const engine: Engine = c.get('engine');
    const user: Principal = c.get('user')!;
    const account = await engine.db.transaction(async (tx) => {
      const { account, rec } = await managedAccount(engine, tx, user, c.req.param('username'));
      if (await users.setLocked(tx, account.id, locked)) {
        await auditLog.append(tx, {
          actor: user.username, collection: rec.collection, recordId: rec.id, action: locked ? 'account-lock' : 'account-unlock', fromState: null, toState: null, diff: null, note: `用户名 ${account.username}`,
        });
      }
      return (await users.byName(tx, account.username))!;
    });
    return c.json({ account: describe(account) });
  };
  app.post('/:username/lock', lock(true));
  app.post('/:username/unlock', lock(false));

  return app;
}
