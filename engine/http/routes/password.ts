import { Hono } from 'hono';
import { hashPassword, verifyPassword } from '../../auth/password.js';
import { newPasswordProblem, passwordOwner } from '../../auth/password-policy.js';
import { replaceOwnPassword } from '../../auth/sessions.js';
import { jsonBody } from '../body.js';
import { HttpError, invalid } from '../errors.js';
import { requireUser } from '../middleware/session.js';
import { loginThrottle } from '../../auth/login-throttle.js';
import { tooManyAttempts } from '../login-throttle.js';
import { clientAddress } from '../client-address.js';
import type { FieldError } from '../../validation/messages.js';

/**
 * POST /api/me/password — a logged-in user changes their own password. The current password is
 * asked again (a session left open on a shared computer must not be enough), and wrong guesses
 * count against the same throttle as logins (the account's and the address's counts); the new
 * one must pass the password policy (engine/auth/password-policy.ts). On success every other
 * session of the user ends: whoever knew the old password is logged out everywhere but here.
 */
export function passwordRoutes() {
  const app = new Hono();

  app.post('/me/password', requireUser, async (c) => {
    const engine = c.get('engine');
    const user = c.get('user')!;
    const body = await jsonBody<{ currentPassword?: unknown; newPassword?: unknown }>(c);
    const current = body?.currentPassword;
    const next = body?.newPassword;
    const details: FieldError[] = [];
    if (typeof current !== 'string' || !current) details.push({ path: '/currentPassword', message: '「当前密码」为必填项' });
    if (typeof next !== 'string' || !next) details.push({ path: '/newPassword', message: '「新密码」为必填项' });
    else {
      const problem = newPasswordProblem(next, typeof current === 'string' ? current : undefined, await passwordOwner(engine.runtime, engine.storage, user));
      if (problem) details.push({ path: '/newPassword', message: problem });
    }
    if (details.length) throw invalid(details, '修改密码失败');

    const attempt = { account: user.username, address: clientAddress(c) };
    const wait = await loginThrottle.waitMs(engine.storage, attempt);
    if (wait > 0) return tooManyAttempts(c, wait, '验证当前密码');
    const row = await engine.storage.accounts.byName(engine.storage.db, user.username);
    if (!row || !(await verifyPassword(current as string, row.password_hash))) {
      await loginThrottle.fail(engine.storage, attempt);
      throw invalid([{ path: '/currentPassword', message: '「当前密码」不正确' }], '修改密码失败');
    }
    await loginThrottle.succeed(engine.storage, attempt);
    const hash = await hashPassword(next as string);
    // Only if nobody changed it meanwhile (a second tab): the hash verified is the one replaced.
    const changed = await replaceOwnPassword(engine.storage, row.id, row.password_hash, hash, user.sessionId);
    if (!changed) throw new HttpError(409, 'conflict', '密码刚被修改过，请重新输入当前密码');
    return c.json({ ok: true });
  });

  return app;
}
