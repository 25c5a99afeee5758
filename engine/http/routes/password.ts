import { Hono } from 'hono';
import { users } from '../../storage/users.js';
import { hashPassword, verifyPassword } from '../../auth/password.js';
import { jsonBody } from '../body.js';
import { HttpError, invalid } from '../errors.js';
import { requireUser } from '../middleware/session.js';
import { LoginThrottle } from '../login-throttle.js';
import type { FieldError } from '../../validation/messages.js';

/** A new password's rules: long enough to resist guessing, and not the one it replaces. */
const PASSWORD_MIN = 8;
const PASSWORD_MAX = 128;

/**
 * POST /api/me/password — a logged-in user changes their own password. The current password is
 * asked again (a session left open on a shared computer must not be enough), failures count
 * against the same kind of throttle as logins, and on success every other session of the user
 * ends: whoever knew the old password is logged out everywhere but here.
 */
export function passwordRoutes() {
  const app = new Hono();
  const throttle = new LoginThrottle();

  app.post('/me/password', requireUser, async (c) => {
    const engine = c.get('engine');
    const user = c.get('user')!;
    const body = await jsonBody<{ currentPassword?: unknown; newPassword?: unknown }>(c);
    const current = body?.currentPassword;
    const next = body?.newPassword;
    const details: FieldError[] = [];
    if (typeof current !== 'string' || !current) details.push({ path: '/currentPassword', message: '「当前密码」为必填项' });
    if (typeof next !== 'string' || !next) details.push({ path: '/newPassword', message: '「新密码」为必填项' });
    else if ([...next].length < PASSWORD_MIN) details.push({ path: '/newPassword', message: `「新密码」至少${PASSWORD_MIN}个字符` });
    else if ([...next].length > PASSWORD_MAX) details.push({ path: '/newPassword', message: `「新密码」最多${PASSWORD_MAX}个字符` });
    else if (next.trim() !== next) details.push({ path: '/newPassword', message: '「新密码」首尾不能是空格' });
    else if (next === current) details.push({ path: '/newPassword', message: '「新密码」不能与当前密码相同' });
    if (details.length) throw invalid(details, '修改密码失败');

    if (throttle.blocked(user.userId)) throw new HttpError(429, 'too_many_attempts', '当前密码错误次数过多，请15分钟后再试');
    const row = await users.byName(engine.db, user.username);
    if (!row || !(await verifyPassword(current as string, row.password_hash))) {
      throttle.fail(user.userId);
      throw invalid([{ path: '/currentPassword', message: '「当前密码」不正确' }], '修改密码失败');
    }
    throttle.succeed(user.userId);
    const hash = await hashPassword(next as string);
    // Only if nobody changed it meanwhile (a second tab): the hash verified is the one replaced.
    const changed = await engine.db.transaction((tx) => users.replacePassword(tx, row.id, row.password_hash, hash, user.sessionId));
    if (!changed) throw new HttpError(409, 'conflict', '密码刚被修改过，请重新输入当前密码');
    return c.json({ ok: true });
  });

  return app;
}
