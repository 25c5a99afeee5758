import { createMiddleware } from 'hono/factory';
import { getCookie } from 'hono/cookie';
import { timingSafeEqual } from 'node:crypto';
import { HttpError } from '../errors.js';

export const SESSION_COOKIE = 'caiji_session';
const unsafe = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

const sameToken = (a: string, b: string) => a.length === b.length && timingSafeEqual(Buffer.from(a), Buffer.from(b));

/**
 * Loads the user behind the session cookie. Every state-changing request of a logged-in user
 * must echo the session's CSRF token in X-CSRF-Token: a page on another site can make the
 * browser send the cookie, but cannot read the token.
 */
export const session = createMiddleware(async (c, next) => {
  const token = getCookie(c, SESSION_COOKIE);
  const engine = c.get('engine');
  const user = token ? await engine.principals.get(token, (t) => engine.storage.sessions.session(engine.storage.db, t)) : undefined;
  c.set('user', user);
  if (user && unsafe.has(c.req.method) && c.req.path !== '/api/login') {
    const sent = c.req.header('x-csrf-token') ?? '';
    if (!sameToken(sent, user.csrf)) throw new HttpError(403, 'csrf', '请求缺少有效的 CSRF 令牌，请刷新页面后重试');
  }
  await next();
});

/** 401 for anonymous requests. */
export const requireUser = createMiddleware(async (c, next) => {
  if (!c.get('user')) throw new HttpError(401, 'unauthenticated', '请先登录');
  await next();
});

/** What a user whose password someone else set may still do: see who they are, replace it, leave. */
const BEFORE_PASSWORD_CHANGE = new Set(['GET /api/me', 'POST /api/me/password', 'POST /api/logout', 'POST /api/login', 'GET /api/app', 'GET /api/health']);

/**
 * A first or reset password is known to the admin who handed it out: until its holder replaces it,
 * every other API request is refused (403), whatever the user interface shows.
 */
export const passwordChangeFirst = createMiddleware(async (c, next) => {
  if (c.get('user')?.mustChangePassword && !BEFORE_PASSWORD_CHANGE.has(`${c.req.method} ${c.req.path}`)) {
    throw new HttpError(403, 'password_change_required', '请先修改初始密码（管理员设置的密码须在首次登录时修改）');
  }
  await next();
});
