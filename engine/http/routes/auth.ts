import { Hono } from 'hono';
import { setCookie, deleteCookie, getCookie } from 'hono/cookie';
import { verifyPassword } from '../../auth/password.js';
import { jsonBody } from '../body.js';
import { HttpError, invalid } from '../errors.js';
import { SESSION_COOKIE, requireUser } from '../middleware/session.js';
import { loginThrottle } from '../../auth/login-throttle.js';
import { tooManyAttempts } from '../login-throttle.js';
import { arrivedOverHttps, clientAddress } from '../client-address.js';
import { endSession, startSession } from '../../auth/sessions.js';
import type { Principal } from '../../auth/principal.js';
import type { Engine } from '../../engine.js';

// A fixed hash to verify against when the username is unknown, so both cases take equally long.
const DUMMY_HASH = 'scrypt$16384$8$1$AAAAAAAAAAAAAAAAAAAAAA==$' + 'A'.repeat(86) + '==';

/** What the UI needs to know about the logged-in user. */
async function describeUser(engine: Engine, user: Principal) {
  const rt = engine.runtime;
  const label = rt.config.tree.labelField;
  const grants = [];
  for (const g of user.grants) {
    const node = await engine.storage.records.get(engine.storage.db, g.nodeId);
    // inForce: false for a grant that gives nothing (a global role held below the root).
    grants.push({ role: g.role, roleTitle: rt.config.manifest.roles[g.role]?.title ?? g.role, node: g.nodeId, nodeLabel: node?.data[label] ?? null, inForce: rt.permissions.counts(g) });
  }
  return { username: user.username, displayName: user.displayName, grants, self: user.self ?? null, csrfToken: user.csrf, mustChangePassword: !!user.mustChangePassword };
}

export function authRoutes() {
  const app = new Hono();

  app.post('/login', async (c) => {
    const engine = c.get('engine');
    const body = await jsonBody<{ username?: unknown; password?: unknown }>(c);
    const details = [];
    if (typeof body?.username !== 'string' || !body.username) details.push({ path: '/username', message: '「用户名」为必填项' });
    if (typeof body?.password !== 'string' || !body.password) details.push({ path: '/password', message: '「密码」为必填项' });
    if (details.length) throw invalid(details, '登录信息不完整');
    const username = (body.username as string).trim();
    // Known and unknown usernames go the same way (throttle, hash check, count): equally long.
    const attempt = { account: username, address: clientAddress(c) };
    const wait = await loginThrottle.waitMs(engine.storage, attempt);
    if (wait > 0) return tooManyAttempts(c, wait, '登录');
    const row = await engine.storage.accounts.byName(engine.storage.db, username);
    const ok = await verifyPassword(body.password as string, row?.password_hash ?? DUMMY_HASH);
    if (!row || !ok) {
      await loginThrottle.fail(engine.storage, attempt);
      throw new HttpError(401, 'bad_credentials', '用户名或密码错误');
    }
    await loginThrottle.succeed(engine.storage, attempt);
    // Said only to whoever knows the password: a locked account is not revealed by guessing.
    if (row.locked_at) throw new HttpError(403, 'account_locked', '该账号已停用，请联系所在组织的管理员');
    // The session this browser already had (whoever's it was) ends with this login: a token left
    // behind would stay valid for hours after its holder thought it replaced.
    const previous = getCookie(c, SESSION_COOKIE);
    const s = await startSession(engine.storage, row.id, previous);
    setCookie(c, SESSION_COOKIE, s.token, {
      httpOnly: true, sameSite: 'Strict', path: '/', expires: s.expires, secure: arrivedOverHttps(c),
    });
    const user = await engine.storage.sessions.principal(engine.storage.db, s.token);
    return c.json(await describeUser(engine, user!));
  });

  app.post('/logout', requireUser, async (c) => {
    await endSession(c.get('engine').storage, c.get('user')!.sessionId);
    deleteCookie(c, SESSION_COOKIE, { path: '/' });
    return c.json({ ok: true });
  });

  app.get('/me', requireUser, async (c) => c.json(await describeUser(c.get('engine'), c.get('user')!)));

  return app;
}
