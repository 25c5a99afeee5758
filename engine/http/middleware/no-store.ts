import type { MiddlewareHandler } from 'hono';

/**
 * `Cache-Control: no-store` on every /api/ answer: they carry records, lists, accounts, config
 * and produced files (xlsx, pdf) — personal data no browser, proxy or shared machine may keep.
 * Set before the answer exists (free; see the X-Config-Generation note in app.ts), so a route
 * that means otherwise (the compiled validator module) simply sets its own header.
 */
export const noStore: MiddlewareHandler = async (c, next) => {
  c.header('Cache-Control', 'no-store');
  await next();
};
