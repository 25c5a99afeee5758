import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { startTestServer, type TestServer } from '../helpers/server.js';
import type { Client } from '../helpers/client.js';
import { memberData, nodeId } from '../helpers/demo.js';

/** The one permission predicate: subtree scoping for admins, self-only for members, nothing for strangers. */
describe('access control', () => {
  let s: TestServer;
  let root: Client;
  let ids: Record<string, string>;
  beforeAll(async () => {
    s = await startTestServer();
    root = await s.login('bj_admin');
    ids = {
      pdlYi: await nodeId(root, '潘东亮支部乙'),
      meiyu: await nodeId(root, '美域家园社区第二支部'),
      fengtai: await nodeId(root, '丰台区委'),
    };
  });
  afterAll(async () => { await s.stop(); });

  it('anonymous requests get 401 and no data', async () => {
    const anon = s.anonymous();
    for (const path of ['/api/records/member', `/api/records/member/${ids.pdlYi}`, '/api/tree', `/api/tree/${ids.pdlYi}`, '/api/forms/member', '/api/codes/nation', '/api/me']) {
      const res = await anon.get(path);
      expect(res.status, path).toBe(401);
      expect(JSON.stringify(res.body)).not.toContain('潘东亮');
    }
    expect((await anon.post('/api/records/member', memberData(ids.pdlYi))).status).toBe(401);
    expect((await anon.get('/api/health')).status).toBe(200);
    expect((await anon.get('/api/app')).body).toEqual({ name: 'party-info', title: '党组织和党员基本信息采集', loginNote: '党员的用户名一般为本人身份证号码。忘记密码或账号被停用，请联系所在党组织的管理员。' });
  });

  it('a branch admin sees and changes only the own subtree; others answer 404 without detail', async () => {
    const pdl = await s.login('pdl_admin');
    const list = await pdl.get('/api/records/member');
    expect(list.body.items.length).toBeGreaterThan(0);
    expect(list.body.items.every((r: any) => r.node === ids.pdlYi)).toBe(true);
    const meiyuMembers = await root.get(`/api/records/member?node=${ids.meiyu}`);
    const foreign = meiyuMembers.body.items[0];
    const read = await pdl.get(`/api/records/member/${foreign.id}`);
    expect(read.status).toBe(404);
    expect(JSON.stringify(read.body)).not.toContain(foreign.data.name);
    expect((await pdl.put(`/api/records/member/${foreign.id}`, { ...foreign.data, address: 'x' }, foreign.version)).status).toBe(404);
    expect((await pdl.delete(`/api/records/member/${foreign.id}`)).status).toBe(404);
    expect((await pdl.get(`/api/records/member/${foreign.id}/history`)).status).toBe(404);
    expect((await pdl.get(`/api/records/member?node=${ids.meiyu}`)).status).toBe(404);
    expect((await pdl.get(`/api/tree/${ids.meiyu}`)).status).toBe(404);
    // Creating in a foreign branch, or moving an own member there, is refused and stores nothing.
    const create = await pdl.post('/api/records/member', memberData(ids.meiyu));
    expect(create.status).toBe(422);
    expect(create.body.error.details[0].path).toBe('/orgId');
    const own = list.body.items[0];
    const move = await pdl.put(`/api/records/member/${own.id}`, { ...own.data, orgId: ids.meiyu }, own.version);
    expect(move.status).toBe(422);
    expect((await root.get(`/api/records/member/${own.id}`)).body.node).toBe(ids.pdlYi);
    // The same record id under another collection name is not found either.
    expect((await pdl.get(`/api/records/organization/${own.id}`)).status).toBe(404);
  });

  it('an admin higher up sees the whole subtree; read-only roles cannot write (403)', async () => {
    const ft = await s.login('ft_admin');
    const all = await ft.get(`/api/records/member?node=${ids.fengtai}&deep=1&limit=500`);
    expect(all.body.items.some((r: any) => r.node === ids.meiyu)).toBe(true);
    expect(all.body.items.some((r: any) => r.node === ids.pdlYi)).toBe(false);
    const secretary = await s.login('zhaoguoming');
    const mine = await secretary.get('/api/records/member');
    expect(mine.body.items.length).toBeGreaterThan(0);
    const r = mine.body.items[0];
    const write = await secretary.put(`/api/records/member/${r.id}`, { ...r.data, address: '书记改的' }, r.version);
    expect(write.status).toBe(403);
    expect(write.body.error.message).toMatch(/无权/);
  });

  it('a member account sees only its own record and cannot change it', async () => {
    const me = await s.login('pandongliang');
    const list = await me.get('/api/records/member');
    expect(list.body.items.map((r: any) => r.data.name)).toEqual(['潘东亮']);
    const own = list.body.items[0];
    expect((await me.get(`/api/records/member/${own.id}`)).status).toBe(200);
    expect((await me.put(`/api/records/member/${own.id}`, { ...own.data, address: '自己改' }, own.version)).status).toBe(403);
    expect((await me.get(`/api/records/organization`)).body.items).toEqual([]);
    expect((await me.get(`/api/tree/${ids.pdlYi}`)).status).toBe(404);
    const others = await root.get(`/api/records/member?node=${ids.meiyu}`);
    expect((await me.get(`/api/records/member/${others.body.items[0].id}`)).status).toBe(404);
  });

  it('state changes need the CSRF token of the session', async () => {
    const pdl = await s.login('pdl_admin');
    const noToken = await pdl.post('/api/records/member', memberData(ids.pdlYi), { 'x-csrf-token': '' });
    expect(noToken.status).toBe(403);
    expect(noToken.body.error.code).toBe('csrf');
    const other = await s.login('bj_admin');
    const wrong = await pdl.post('/api/records/member', memberData(ids.pdlYi), { 'x-csrf-token': other.csrf });
    expect(wrong.status).toBe(403);
    const form = await pdl.post('/api/records/member', 'name=x', { 'content-type': 'application/x-www-form-urlencoded' });
    expect(form.status).toBe(415);
  });
});
