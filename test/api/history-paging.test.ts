import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { startTestServer, type TestServer } from '../helpers/server.js';
import type { Client } from '../helpers/client.js';
import { memberData, nodeId } from '../helpers/demo.js';

/**
 * GET /api/records/:collection/:id/history?limit=&before=: a long history is read from its end a
 * page at a time (issue 20, point 9); without the parameters the whole history, as before.
 */
describe('history paging', () => {
  let s: TestServer;
  let admin: Client;
  let id: string;
  const path = () => `/api/records/member/${id}/history`;
  beforeAll(async () => {
    s = await startTestServer();
    admin = await s.login('ft_admin');
    const created = await admin.post('/api/records/member', memberData(await nodeId(admin, '惠民党支部')));
    id = created.body.id;
    // 1 create + 24 updates: 25 entries, each update with an address of its own number.
    let r = created.body;
    for (let i = 1; i <= 24; i++) r = (await admin.put(path().replace('/history', ''), { ...r.data, address: `测试路${i}号` }, r.version)).body;
  });
  afterAll(async () => { await s.stop(); });

  const addresses = (items: any[]) => items.map((e) => (e.action === 'create' ? 'create' : e.diff.address[1]));

  it('without parameters: every entry, oldest first, as before', async () => {
    const all = await admin.get(path());
    expect(all.status).toBe(200);
    expect(all.body.items).toHaveLength(25);
    expect(addresses(all.body.items).slice(0, 3)).toEqual(['create', '测试路1号', '测试路2号']);
    expect(all.body.nextBefore).toBeNull();
    expect(all.body.total).toBe(25);
  });

  it('limit: the latest entries, oldest first; nextBefore pages back until nothing older remains', async () => {
    const first = await admin.get(`${path()}?limit=10`);
    expect(first.status).toBe(200);
    expect(addresses(first.body.items)).toEqual([15, 16, 17, 18, 19, 20, 21, 22, 23, 24].map((n) => `测试路${n}号`));
    expect(first.body.total).toBe(25);
    expect(first.body.nextBefore).toBe(first.body.items[0].id);

    const second = await admin.get(`${path()}?limit=10&before=${first.body.nextBefore}`);
    expect(addresses(second.body.items)).toEqual([5, 6, 7, 8, 9, 10, 11, 12, 13, 14].map((n) => `测试路${n}号`));
    const third = await admin.get(`${path()}?limit=10&before=${second.body.nextBefore}`);
    expect(addresses(third.body.items)).toEqual(['create', '测试路1号', '测试路2号', '测试路3号', '测试路4号']);
    expect(third.body.nextBefore).toBeNull();

    // Exactly as many as are left: nothing more to read.
    const exact = await admin.get(`${path()}?limit=25`);
    expect(exact.body.items).toHaveLength(25);
    expect(exact.body.nextBefore).toBeNull();
  });

  it('refuses parameters that are not whole numbers in range, in Chinese', async () => {
    for (const q of ['limit=0', 'limit=501', 'limit=abc', 'limit=2.5', 'limit=10&before=-3', 'before=12']) {
      const res = await admin.get(`${path()}?${q}`);
      expect(res.status, q).toBe(400);
      expect(res.body.error.message, q).toMatch(/limit|before/);
    }
    // A history the user may not read stays unknown, paged or not.
    const outsider = await s.login('pdl_admin');
    expect((await outsider.get(`${path()}?limit=10`)).status).toBe(404);
  });
});
