import { describe, it, expect, beforeAll, afterAll, vi } from 'vitest';
import { startTestServer, type TestServer } from '../helpers/server.js';
import { rawDb } from '../helpers/raw-db.js';

describe('login, sessions and passwords', () => {
  let s: TestServer;
  beforeAll(async () => { s = await startTestServer(); });
  afterAll(async () => { await s.stop(); });

  it('logs in with an HttpOnly SameSite cookie and answers /api/me', async () => {
    const c = s.anonymous();
    const res = await c.post('/api/login', { username: 'pdl_admin', password: 'caiji-demo' });
    expect(res.status).toBe(200);
    const cookie = res.headers.get('set-cookie')!;
    expect(cookie).toMatch(/caiji_session=/);
    expect(cookie).toMatch(/HttpOnly/i);
    expect(cookie).toMatch(/SameSite=Strict/i);
    expect(res.body.grants[0]).toMatchObject({ role: 'admin', roleTitle: '管理员', nodeLabel: '潘东亮支部乙' });
    const me = await c.get('/api/me');
    expect(me.body.username).toBe('pdl_admin');
    expect(me.body.csrfToken).toBe(res.body.csrfToken);
  });

  it('refuses bad passwords and unknown users alike, with a Chinese message', async () => {
    const c = s.anonymous();
    const bad = await c.post('/api/login', { username: 'pdl_admin', password: 'wrong' });
    const unknown = await c.post('/api/login', { username: 'nobody', password: 'wrong' });
    expect(bad.status).toBe(401);
    expect(unknown.status).toBe(401);
    expect(bad.body.error.message).toBe('用户名或密码错误');
    expect(unknown.body.error.message).toBe(bad.body.error.message);
    const empty = await c.post('/api/login', {});
    expect(empty.status).toBe(422);
    expect(empty.body.error.details.map((d: any) => d.path)).toEqual(['/username', '/password']);
  });

  it('throttles repeated failures for one username for a short while, saying how long', async () => {
    // Only Date is faked: the wait passes without sleeping.
    vi.useFakeTimers({ toFake: ['Date'] });
    try {
      const c = s.anonymous();
      let last = await c.post('/api/login', { username: 'meiyu_admin', password: 'guess' });
      for (let i = 0; i < 10; i++) last = await c.post('/api/login', { username: 'meiyu_admin', password: 'guess' + i });
      expect(last.status).toBe(429);
      expect(last.body.error.message).toMatch(/^登录失败次数过多，请\d+秒后再试$/);
      const wait = Number(last.headers.get('retry-after'));
      expect(wait).toBeGreaterThan(0);
      expect((await c.post('/api/login', { username: 'meiyu_admin', password: 'caiji-demo' })).status).toBe(429);
      vi.setSystemTime(new Date(Date.now() + wait * 1000));
      expect((await c.post('/api/login', { username: 'meiyu_admin', password: 'caiji-demo' })).status).toBe(200);
    } finally {
      vi.useRealTimers();
    }
  });

  it('logout ends the session on the server', async () => {
    const c = await s.login('tnl_admin');
    const cookie = c.cookie;
    expect((await c.post('/api/logout')).status).toBe(200);
    const replay = s.anonymous();
    replay.cookie = cookie;
    expect((await replay.get('/api/me')).status).toBe(401);
  });

  it('stores scrypt hashes and only hashes of session tokens', async () => {
    const c = await s.login('bj_admin');
    const token = c.cookie.split('=')[1];
    const users = await s.engine.storage.accounts.all(s.engine.storage.db);
    expect(users.every((u) => /^scrypt\$16384\$8\$1\$/.test(u.password_hash) && !u.password_hash.includes('caiji-demo'))).toBe(true);
    // The sessions table as stored (the port only looks a session up by its token).
    const sessions = await rawDb(s).all<{ id: string }>('SELECT id FROM sessions');
    expect(sessions.length).toBeGreaterThan(0);
    expect(sessions.some((x) => x.id === token)).toBe(false);
  });
});
