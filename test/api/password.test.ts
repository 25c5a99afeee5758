/**
 * A user changes their own password: the current one is asked again, the new one must be long
 * enough and different (the rest of the policy: password-policy.test.ts), wrong guesses are
 * throttled like logins, and the change ends every other session.
 */
import { describe, it, expect, beforeAll, afterAll, vi } from 'vitest';
import { startTestServer, type TestServer } from '../helpers/server.js';

describe('changing one’s own password', () => {
  let s: TestServer;
  beforeAll(async () => { s = await startTestServer(); });
  afterAll(async () => { await s.stop(); });

  const hashOf = async (username: string) =>
    (await s.engine.storage.accounts.byName(s.engine.storage.db, username))!.password_hash;
  const change = (c: Awaited<ReturnType<TestServer['login']>>, currentPassword: unknown, newPassword: unknown) =>
    c.post('/api/me/password', { currentPassword, newPassword });

  it('refuses bad input with a Chinese message naming the field, and stores nothing', async () => {
    const c = await s.login('zhaomin');
    const before = await hashOf('zhaomin');
    const cases: [unknown, unknown, string, string][] = [
      ['', 'abcdefgh1', '/currentPassword', '「当前密码」为必填项'],
      ['caiji-demo', '', '/newPassword', '「新密码」为必填项'],
      ['caiji-demo', 'short1', '/newPassword', '「新密码」至少8个字符'],
      ['caiji-demo', 'x'.repeat(129), '/newPassword', '「新密码」最多128个字符'],
      ['caiji-demo', ' spaced-out ', '/newPassword', '「新密码」首尾不能是空格'],
      ['caiji-demo', 'caiji-demo', '/newPassword', '「新密码」不能与当前密码相同'],
      ['wrong-password', 'a-good-new-one', '/currentPassword', '「当前密码」不正确'],
    ];
    for (const [cur, next, path, message] of cases) {
      const res = await change(c, cur, next);
      expect(res.status, message).toBe(422);
      expect(res.body.error.details).toEqual([{ path, message }]);
      expect(res.body.error.message).toContain(message);
    }
    expect(await hashOf('zhaomin')).toBe(before);
    expect((await s.anonymous().post('/api/login', { username: 'zhaomin', password: 'caiji-demo' })).status).toBe(200);
  });

  it('needs a session and the CSRF token', async () => {
    expect((await s.anonymous().post('/api/me/password', { currentPassword: 'caiji-demo', newPassword: 'a-good-new-one' })).status).toBe(401);
    const c = await s.login('zhoutao');
    const before = await hashOf('zhoutao');
    const res = await c.post('/api/me/password', { currentPassword: 'caiji-demo', newPassword: 'a-good-new-one' }, { 'x-csrf-token': 'forged' });
    expect(res.status).toBe(403);
    expect(await hashOf('zhoutao')).toBe(before);
  });

  it('changes the password: the old one no longer logs in, other sessions end, this one goes on', async () => {
    const here = await s.login('hejun');
    const elsewhere = await s.login('hejun');
    const res = await change(here, 'caiji-demo', '新的密码-2026');
    expect(res.status).toBe(200);
    expect(await hashOf('hejun')).toMatch(/^scrypt\$/);
    expect((await here.get('/api/me')).status).toBe(200);
    expect((await elsewhere.get('/api/me')).status).toBe(401);
    expect((await s.anonymous().post('/api/login', { username: 'hejun', password: 'caiji-demo' })).status).toBe(401);
    expect((await s.anonymous().post('/api/login', { username: 'hejun', password: '新的密码-2026' })).status).toBe(200);
  });

  it('throttles guessing the current password like a login (one count per account), for a short while', async () => {
    vi.useFakeTimers({ toFake: ['Date'] }); // only Date: the wait passes without sleeping
    try {
      const c = await s.login('wangli');
      let last = await change(c, 'guess', 'a-good-new-one');
      for (let i = 0; i < 10; i++) last = await change(c, `guess-${i}`, 'a-good-new-one');
      expect(last.status).toBe(429);
      expect(last.body.error.message).toMatch(/^验证当前密码失败次数过多，请\d+秒后再试$/);
      const wait = Number(last.headers.get('retry-after'));
      expect(wait).toBeGreaterThan(0);
      // Even the right password waits now, and so does a login to the same account.
      expect((await change(c, 'caiji-demo', 'a-good-new-one')).status).toBe(429);
      expect((await s.anonymous().post('/api/login', { username: 'wangli', password: 'caiji-demo' })).status).toBe(429);
      vi.setSystemTime(new Date(Date.now() + wait * 1000));
      expect((await change(c, 'caiji-demo', 'a-good-new-one')).status).toBe(200);
    } finally {
      vi.useRealTimers();
    }
  });

  it('of two changes racing with the same current password, exactly one wins', async () => {
    const a = await s.login('yanshijiu');
    const b = await s.login('yanshijiu');
    const results = await Promise.all([change(a, 'caiji-demo', 'first-new-pass'), change(b, 'caiji-demo', 'second-new-pass')]);
    expect(results.filter((r) => r.status === 200)).toHaveLength(1);
    // The other is refused: its session ended with the change (401), its current password no longer
    // matched (422), or it had matched the very hash the first one replaced (409).
    expect([401, 409, 422]).toContain(results.find((r) => r.status !== 200)!.status);
    const winner = results[0].status === 200 ? 'first-new-pass' : 'second-new-pass';
    const loser = winner === 'first-new-pass' ? 'second-new-pass' : 'first-new-pass';
    expect((await s.anonymous().post('/api/login', { username: 'yanshijiu', password: winner })).status).toBe(200);
    expect((await s.anonymous().post('/api/login', { username: 'yanshijiu', password: loser })).status).toBe(401);
  });
});
