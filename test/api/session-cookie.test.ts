/**
 * The session cookie: Secure when the request arrived over https — directly, or through a
 * trusted proxy that says so (X-Forwarded-Proto only with CAIJI_TRUST_PROXY=1) — and a login
 * replaces the session the same browser already had.
 */
import { describe, it, expect, beforeAll, afterAll, afterEach } from 'vitest';
import { startTestServer, type TestServer } from '../helpers/server.js';

describe('the session cookie', () => {
  let s: TestServer;
  beforeAll(async () => { s = await startTestServer(); });
  afterAll(async () => { await s.stop(); });
  afterEach(() => { delete process.env.CAIJI_TRUST_PROXY; });

  const loginCookie = async (headers: Record<string, string> = {}) => {
    const res = await s.anonymous().post('/api/login', { username: 'pdl_admin', password: 'caiji-demo' }, headers);
    expect(res.status).toBe(200);
    return res.headers.get('set-cookie')!;
  };

  it('is Secure behind a TLS proxy only when the proxy is trusted', async () => {
    expect(await loginCookie()).not.toMatch(/;\s*Secure/i);
    // Anyone can send the header: without CAIJI_TRUST_PROXY it means nothing.
    expect(await loginCookie({ 'x-forwarded-proto': 'https' })).not.toMatch(/;\s*Secure/i);
    process.env.CAIJI_TRUST_PROXY = '1';
    expect(await loginCookie({ 'x-forwarded-proto': 'https' })).toMatch(/;\s*Secure/i);
    expect(await loginCookie({ 'x-forwarded-proto': 'http' })).not.toMatch(/;\s*Secure/i);
  });

  it('a login from the same browser ends the session that browser had, and no other', async () => {
    const browser = await s.login('pdl_admin');
    const elsewhere = await s.login('pdl_admin');
    const old = browser.cookie;
    expect((await browser.post('/api/login', { username: 'pdl_admin', password: 'caiji-demo' })).status).toBe(200);
    expect(browser.cookie).not.toBe(old);
    expect((await browser.get('/api/me')).status).toBe(200);
    const replay = s.anonymous();
    replay.cookie = old;
    expect((await replay.get('/api/me')).status).toBe(401);
    expect((await elsewhere.get('/api/me')).status).toBe(200);
    // Also when the browser logs in as somebody else.
    const before = browser.cookie;
    expect((await browser.post('/api/login', { username: 'ft_admin', password: 'caiji-demo' })).status).toBe(200);
    replay.cookie = before;
    expect((await replay.get('/api/me')).status).toBe(401);
    expect((await browser.get('/api/me')).body.username).toBe('ft_admin');
  });
});
