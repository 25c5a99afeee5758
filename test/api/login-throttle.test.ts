/**
 * Login throttling per account and per client address (engine/http/login-throttle.ts): an
 * attacker's burst delays the real person only briefly, one address cannot try username after
 * username, the counters live in the database (shared by every server on it, pruned as they
 * expire), and X-Forwarded-For names the client only behind a trusted proxy.
 *
 * The clock is Node's Date, faked (only Date: timers and I/O run as usual), so minutes of
 * backoff pass in a moment for the in-process server.
 */
import { describe, it, expect, beforeAll, afterAll, afterEach, vi } from 'vitest';
import { startServer, type RunningServer } from '../../engine/server.js';
import { startTestServer, type TestServer } from '../helpers/server.js';
import { Client } from '../helpers/client.js';
import { repoRoot } from '../helpers/paths.js';
import { rawDb } from '../helpers/raw-db.js';

describe('login throttling', () => {
  let s: TestServer;
  beforeAll(async () => { s = await startTestServer(); });
  afterAll(async () => { await s.stop(); });
  afterEach(() => {
    vi.useRealTimers();
    delete process.env.CAIJI_TRUST_PROXY;
  });

  const advance = (ms: number) => vi.setSystemTime(new Date(Date.now() + ms));
  /** A login from a given client address, as a trusted proxy reports it. */
  const loginFrom = (address: string, username: string, password: string, base = s.url) =>
    new Client(base).post('/api/login', { username, password }, { 'x-forwarded-for': `${address}, 10.0.0.1` });
  const retryAfter = (res: { headers: Headers }) => Number(res.headers.get('retry-after'));
  // Every stored counter, whatever its key (the port reads counters by key only).
  const rows = async () => (await rawDb(s).get<{ n: number }>('SELECT count(*) AS n FROM login_failures'))!.n;

  it("lets the real user in soon after an attacker's burst, whose wait never grows past a few minutes", async () => {
    process.env.CAIJI_TRUST_PROXY = '1';
    vi.useFakeTimers({ toFake: ['Date'] });
    // The attacker guesses on and on, each time as soon as allowed: the wait doubles, then stays capped.
    const waits: number[] = [];
    for (let i = 0; i < 16; i++) {
      const res = await loginFrom('203.0.113.7', 'meiyu_admin', `guess-${i}`);
      if (res.status === 429) {
        expect(res.body.error.message).toMatch(/^登录失败次数过多，请\d+(秒|分钟)后再试$/);
        expect(retryAfter(res)).toBeGreaterThan(0);
        waits.push(retryAfter(res));
        advance(retryAfter(res) * 1000);
        i--; // the refused attempt was not a guess: try the same one again
      } else {
        expect(res.status).toBe(401);
      }
    }
    expect(waits.length).toBeGreaterThan(5);
    expect(waits[1]).toBeGreaterThan(waits[0]);
    expect(Math.max(...waits)).toBeLessThanOrEqual(300);
    // Right after the burst the person waits too (from another address; nothing is checked meanwhile) …
    const early = await loginFrom('198.51.100.20', 'meiyu_admin', 'caiji-demo');
    expect(early.status).toBe(429);
    expect(retryAfter(early)).toBeGreaterThan(0);
    expect(retryAfter(early)).toBeLessThanOrEqual(300);
    // … but no longer than it says, and then the right password gets in.
    advance(retryAfter(early) * 1000);
    expect((await loginFrom('198.51.100.20', 'meiyu_admin', 'caiji-demo')).status).toBe(200);
    // The success forgot the account's count: one wrong guess is not refused for the earlier ones.
    expect((await loginFrom('198.51.100.20', 'meiyu_admin', 'typo')).status).toBe(401);
    expect((await loginFrom('198.51.100.20', 'meiyu_admin', 'caiji-demo')).status).toBe(200);
  });

  it('refuses one address trying many usernames, with Retry-After, while other addresses log in', async () => {
    process.env.CAIJI_TRUST_PROXY = '1';
    let refused: Awaited<ReturnType<typeof loginFrom>> | undefined;
    for (let i = 0; i < 80 && !refused; i++) {
      const res = await loginFrom('203.0.113.50', `1101051990010${String(i).padStart(5, '0')}`, 'caiji-demo');
      if (res.status === 429) refused = res;
      else expect(res.status).toBe(401);
    }
    expect(refused, 'no 429 after 80 usernames from one address').toBeDefined();
    expect(refused!.body.error.code).toBe('too_many_attempts');
    expect(refused!.body.error.message).toMatch(/^登录失败次数过多，请\d+分钟后再试$/);
    expect(retryAfter(refused!)).toBeGreaterThan(60);
    // The address is refused even with a right password; another address is not.
    expect((await loginFrom('203.0.113.50', 'ft_admin', 'caiji-demo')).status).toBe(429);
    expect((await loginFrom('198.51.100.21', 'ft_admin', 'caiji-demo')).status).toBe(200);
  });

  it('keeps only live counters: expired ones are pruned', async () => {
    process.env.CAIJI_TRUST_PROXY = '1';
    vi.useFakeTimers({ toFake: ['Date'] });
    for (let i = 0; i < 20; i++) await loginFrom(`203.0.113.${100 + i}`, `nobody-${i}`, 'wrong');
    expect(await rows()).toBeGreaterThanOrEqual(40);
    advance(2 * 3600_000);
    await loginFrom('203.0.113.200', 'nobody-else', 'wrong');
    // Only the last failure's two counters (its account, its address) are left.
    expect(await rows()).toBe(2);
  });

  it('counts in the database: a second server on the same file refuses the same account', async () => {
    process.env.CAIJI_TRUST_PROXY = '1';
    vi.useFakeTimers({ toFake: ['Date'] }); // the first second of backoff must not pass unseen
    const other: RunningServer = await startServer({ appRoot: repoRoot, database: s.dbFile, port: 0, demo: false });
    try {
      for (let i = 0; i < 6; i++) expect((await loginFrom('203.0.113.60', 'lianhe_admin', `guess-${i}`)).status).toBe(401);
      const there = await loginFrom('198.51.100.22', 'lianhe_admin', 'caiji-demo', other.url);
      expect(there.status).toBe(429);
      expect(retryAfter(there)).toBeGreaterThan(0);
    } finally {
      await other.close();
    }
  });

  // Last: without a trusted proxy this spends the budget of the test's own address (127.0.0.1).
  it('ignores X-Forwarded-For unless CAIJI_TRUST_PROXY=1: a client cannot pose as many addresses', async () => {
    let refused = false;
    for (let i = 0; i < 80 && !refused; i++) {
      refused = (await loginFrom(`192.0.2.${i}`, `spoof-${i}`, 'wrong')).status === 429;
    }
    expect(refused).toBe(true);
    expect((await s.anonymous().post('/api/login', { username: 'zhaoguoming', password: 'caiji-demo' })).status).toBe(429);
    process.env.CAIJI_TRUST_PROXY = '1';
    expect((await loginFrom('198.51.100.23', 'zhaoguoming', 'caiji-demo')).status).toBe(200);
  });
});
