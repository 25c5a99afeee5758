/**
 * The password policy (engine/auth/password-policy.ts) on a password a person chooses for
 * themselves: common passwords, the username, the bound record's identifier (the self role's
 * `username` field: here the 身份证号码), one character repeated, runs and repeated groups are
 * refused on /newPassword with a Chinese message, nothing is stored; a good password is taken.
 * The demo's own caiji-demo still logs in: the policy judges new passwords only.
 */
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { startTestServer, type TestServer } from '../helpers/server.js';

describe('password policy', () => {
  let s: TestServer;
  beforeAll(async () => { s = await startTestServer(); });
  afterAll(async () => { await s.stop(); });

  const hashOf = async (username: string) =>
    (await s.engine.storage.accounts.byName(s.engine.storage.db, username))!.password_hash;

  it('refuses each kind of weak password with its Chinese message, and takes a good one', async () => {
    const c = await s.login('zhaomin');
    const idNumber = (await c.get('/api/self')).body.record.data.idNumber as string;
    expect(idNumber).toMatch(/^\d{17}[\dX]$/);
    const before = await hashOf('zhaomin');
    const common = '「新密码」是最常见的密码之一，很容易被猜中，请换一个';
    const run = '「新密码」不能是连续的字符（如 12345678、abcdefgh、987654）';
    const cases: [string, string][] = [
      ['woaini1314', common],
      ['qq123456', common],
      ['PassWord', common],
      ['5201314520', common],
      ['a12345678', common],
      ['zhaomin2026', '「新密码」不能包含用户名'],
      ['我是ZhaoMin', '「新密码」不能包含用户名'],
      [idNumber, '「新密码」不能包含本人的身份证号码'],
      [`sfz${idNumber.toLowerCase()}!`, '「新密码」不能包含本人的身份证号码'],
      ['aaaaaaaaaa', '「新密码」不能全是同一个字符'],
      ['8888888888', '「新密码」不能全是同一个字符'],
      ['123456789', run],
      ['abcdefgh', run],
      ['98765432', run],
      ['12121212', '「新密码」不能是几个字符的简单重复（如 12121212、abcabcab）'],
      ['short1', '「新密码」至少8个字符'],
    ];
    for (const [newPassword, message] of cases) {
      const res = await c.post('/api/me/password', { currentPassword: 'caiji-demo', newPassword });
      expect(res.status, newPassword).toBe(422);
      expect(res.body.error.details, newPassword).toEqual([{ path: '/newPassword', message }]);
    }
    expect(await hashOf('zhaomin')).toBe(before);
    // A refused new password is not a wrong guess at the current one: nothing was throttled.
    const good = await c.post('/api/me/password', { currentPassword: 'caiji-demo', newPassword: '晨跑后去图书馆-27' });
    expect(good.status).toBe(200);
    expect((await s.anonymous().post('/api/login', { username: 'zhaomin', password: '晨跑后去图书馆-27' })).status).toBe(200);
  });

  it('leaves the demo password alone for logins: only new passwords are judged', async () => {
    expect((await s.anonymous().post('/api/login', { username: 'pdl_admin', password: 'caiji-demo' })).status).toBe(200);
    // An admin without a bound record is held to the rest of the rule.
    const c = await s.login('pdl_admin');
    const res = await c.post('/api/me/password', { currentPassword: 'caiji-demo', newPassword: 'pdl_admin-1' });
    expect(res.body.error.details).toEqual([{ path: '/newPassword', message: '「新密码」不能包含用户名' }]);
  });
});
