import type { Context } from 'hono';
import { HttpError } from './errors.js';

/** "30秒" or "5分钟": a wait as a person reads it. */
function waitText(ms: number): string {
  const s = Math.ceil(ms / 1000);
  return s < 60 ? `${s}秒` : `${Math.ceil(s / 60)}分钟`;
}

/**
 * The 429 answer to a throttled attempt: Retry-After in seconds, and how long to wait in the
 * message (`what` names what failed too often, e.g. 登录).
 */
export function tooManyAttempts(c: Context, waitMs: number, what: string): Response {
  const seconds = Math.ceil(waitMs / 1000);
  const err = new HttpError(429, 'too_many_attempts', `${what}失败次数过多，请${waitText(waitMs)}后再试`, [], { retryAfter: seconds });
  return c.json(err.toJSON(), 429, { 'Retry-After': String(seconds) });
}
