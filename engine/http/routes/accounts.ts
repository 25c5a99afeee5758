import { Hono, type Context } from 'hono';
import type { UserRow } from '../../ports.js';
import { hashPassword } from '../../auth/password.js';
import { firstPassword } from '../../auth/first-password.js';
import { resetKeptPassword, setKeptLocked } from '../../auth/account-keeper.js';
import { accountHolderRecord, openAccountFor, selfRoleOf } from '../../auth/account-opening.js';
import { openAccounts, recordsWithoutAccount } from '../../auth/account-batch.js';
import { jsonBody } from '../body.js';
import { invalid } from '../errors.js';

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
    const rec = await accountHolderRecord(engine, engine.storage.db, c.get('user')!, c.req.query('record'));
    const account = await engine.storage.accounts.bySelfRecord(engine.storage.db, rec.id);
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
    const created = await openAccountFor(engine, user, body?.record, body?.username, hash);
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
    const pending = await recordsWithoutAccount(engine, unique);
    const first = new Map(await Promise.all(pending.map(async (id) => {
      const password = firstPassword();
      return [id, { password, hash: await hashPassword(password) }] as const;
    })));
    const result = await openAccounts(engine, user, unique, first);
    return c.json(result, result.created.length ? 201 : 200);
  });

  app.post('/:username/password', async (c) => {
    const password = firstPassword();
    const account = await resetKeptPassword(c.get('engine'), c.get('user')!, c.req.param('username'), await hashPassword(password));
    return c.json({ account: describe(account), password });
  });

  const lock = (locked: boolean) => async (c: Context) =>
    c.json({ account: describe(await setKeptLocked(c.get('engine'), c.get('user')!, c.req.param('username')!, locked)) });
  app.post('/:username/lock', lock(true));
  app.post('/:username/unlock', lock(false));

  return app;
}
