import { Hono } from 'hono';
import { users, type UserRow } from '../../storage/users.js';
import type { StoredRecord } from '../../storage/records.js';
import { auditLog } from '../../storage/audit.js';
import { hashPassword } from '../../auth/password.js';
import { firstPassword } from '../../auth/first-password.js';
import { keptAccount } from '../../auth/account-keeper.js';
import { usernameProblem } from '../../auth/usernames.js';
import { accountHolderRecord, nameOf, openAccount, openAccountOf, selfRoleOf, usernameFor } from '../../auth/account-opening.js';
import type { Principal } from '../../auth/principal.js';
import type { Engine } from '../../engine.js';
import type { Queryable } from '../../storage/sqlite.js';
import { jsonBody } from '../body.js';
import { forbidden, invalid, notFound } from '../errors.js';

/** An account named in the path that the user keeps, with the record its changes are audited on. */
async function managedAccount(engine: Engine, db: Queryable, user: Principal, username: string) {
  const account = await users.byName(db, username);
  if (account?.id === user.userId) throw forbidden('不能在这里管理自己的账号，请在“账号”页修改密码');
  const rec = account ? await keptAccount(engine, db, user, account) : null;
  if (!account || !rec) throw notFound('账号');
  return { account, rec };
}

/** Most records one batch opens accounts for: each first password costs a scrypt hash. */
const BATCH_MAX = 500;

const describe = (u: UserRow) => ({
  username: u.username, displayName: u.display_name, createdAt: u.created_at,
  locked: !!u.locked_at, lockedAt: u.locked_at, mustChangePassword: !!u.must_change_password,
});

/**
 * /api/accounts — login accounts kept by admins (see keptAccount): open one for a record whose
 * collection holds accounts (a self role binds them) with a first password, reset a forgotten
 * password, lock and unlock (also an admin's account, from above). A password an admin sets is
 * shown once, in the answer, and must be replaced at the next login. Every change is audited;
 * reset and lock end the account's sessions.
 */
export function accountsRoutes() {
  const app = new Hono();

  app.get('/', async (c) => {
    const engine = c.get('engine');
    const rec = await accountHolderRecord(engine, engine.db, c.get('user')!, c.req.query('record'));
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
      const rec = await accountHolderRecord(engine, tx, user, body?.record);
      return openAccountOf(engine, tx, user, rec, body?.username, hash);
    });
    return c.json({ account: describe(created), password }, 201);
  });

  /**
   * POST /api/accounts/batch {records: [...]} — accounts for many people at once (a branch going
   * live), each under its proposed username with its own first password, in one transaction:
   * records that already have an account are reported and left alone; if any other record cannot
   * get one (no or a taken username), nothing is created and each such record is named.
   */
  app.post('/batch', async (c) => {
    const engine = c.get('engine');
    const user = c.get('user')!;
    const body = await jsonBody<{ records?: unknown }>(c);
    const ids = body?.records;
    if (!Array.isArray(ids) || !ids.length || ids.some((id) => typeof id !== 'string')) throw invalid([{ path: '/records', message: '请选择要开通账号的人员' }]);
    if (ids.length > BATCH_MAX) throw invalid([{ path: '/records', message: `一次最多为${BATCH_MAX}人开通账号` }]);
    const unique = [...new Set(ids as string[])];
    // The passwords are hashed before the transaction (scrypt takes a while): for the records
    // without an account now; the transaction checks again.
    const pending = [];
    for (const id of unique) if (!(await users.bySelfRecord(engine.db, id))) pending.push(id);
    const passwords = new Map(pending.map((id) => [id, firstPassword()]));
    const hashes = new Map(await Promise.all([...passwords].map(async ([id, p]) => [id, await hashPassword(p)] as const)));
    const result = await engine.db.transaction(async (tx) => {
      const created: { record: string; name: string; username: string; password: string }[] = [];
      const existing: { record: string; name: string; username: string }[] = [];
      const problems: { path: string; message: string }[] = [];
      const taken = new Set<string>();
      const plan: [StoredRecord, string][] = [];
      for (const [i, id] of unique.entries()) {
        const rec = await accountHolderRecord(engine, tx, user, id);
        const name = nameOf(engine, rec) ?? rec.id;
        const has = await users.bySelfRecord(tx, rec.id);
        if (has) { existing.push({ record: rec.id, name, username: has.username }); continue; }
        const wanted = usernameFor(engine, rec);
        const problem = hashes.has(rec.id) ? await usernameProblem(tx, wanted, taken) : '刚刚被他人开通了账号，请刷新后重试';
        if (problem) { problems.push({ path: `/records/${i}`, message: `${name}：${problem}` }); continue; }
        taken.add(wanted as string);
        plan.push([rec, wanted as string]);
      }
      if (problems.length) throw invalid(problems, `有 ${problems.length} 人不能开通账号，本次未开通任何账号`);
      for (const [rec, username] of plan) {
        await openAccount(engine, tx, user, rec, username, hashes.get(rec.id)!);
        created.push({ record: rec.id, name: nameOf(engine, rec) ?? rec.id, username, password: passwords.get(rec.id)! });
      }
      return { created, existing };
    });
    return c.json(result, result.created.length ? 201 : 200);
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
