import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { startTestServer, type TestServer } from '../helpers/server.js';
import type { Client } from '../helpers/client.js';
import { nodeId } from '../helpers/demo.js';

/** Roles per organization (manual 二、第三步) and the organization fields derived from them. */
describe('grants: 书记, 支部委员, 管理员 and the derived secretary / contact / phone', () => {
  let s: TestServer;
  let tnl: Client;
  let grid1: string;
  let wangli: any;

  const org = async (id: string) => (await tnl.get(`/api/records/organization/${id}`)).body;

  beforeAll(async () => {
    s = await startTestServer();
    tnl = await s.login('tnl_admin');
    grid1 = await nodeId(tnl, '丰台区太平桥街道太南里社区第一网格党支部');
    wangli = (await tnl.get(`/api/records/member?node=${grid1}&q=${encodeURIComponent('王丽')}`)).body.items[0];
  });
  afterAll(async () => { await s.stop(); });

  it('the demo grants already fill 党组织书记, 党组织联系人 and 联系电话', async () => {
    const ft = await s.login('ft_admin');
    const caihong = (await ft.get(`/api/records/organization/${await nodeId(ft, '彩虹北社区第二支部')}`)).body;
    expect(caihong.data).toMatchObject({ secretary: '赵国明', contact: '张鹏', contactPhone: '13911112222' });
    const list = await ft.get(`/api/grants?node=${caihong.id}`);
    expect(list.status).toBe(200);
    expect(list.body.items.map((g: any) => [g.username, g.roleTitle])).toEqual([['zhaoguoming', '支部书记'], ['zhangpeng', '支部委员']]);
    // A branch is offered the branch's roles only (not 党委书记, 总支书记, nor the global 配置管理员).
    expect(list.body.roles.map((r: any) => r.title)).toEqual(['管理员', '支部书记', '支部委员']);
    expect(list.body.roles.map((r: any) => r.title)).not.toContain('党员');
  });

  it('the overview lists every role held below a node, with the accounts’ state; only for those who may grant there', async () => {
    const ft = await s.login('ft_admin');
    const fengtai = (await ft.get('/api/tree')).body.roots[0];
    const res = await ft.get(`/api/grants/overview?node=${fengtai.id}`);
    expect(res.status).toBe(200);
    const rows = res.body.items.map((g: any) => `${g.nodeLabel}·${g.roleTitle}·${g.username}`);
    expect(rows).toEqual(expect.arrayContaining([
      '丰台区委·管理员·ft_admin', '丰台区太平桥街道太南里社区党委·管理员·tnl_admin', '彩虹北社区第二支部·支部书记·zhaoguoming',
    ]));
    // Nothing above the node (the city's admins) and nothing beside it (another district's).
    expect(res.body.items.map((g: any) => g.username)).not.toContain('bj_admin');
    expect(res.body.items.map((g: any) => g.username)).not.toContain('pdl_admin');
    // A member's account links to the member's own record; an account's state is told.
    const secretary = res.body.items.find((g: any) => g.username === 'zhaoguoming');
    expect(secretary.record.collection).toBe('member');
    expect(secretary).toMatchObject({ displayName: '赵国明（彩虹北社区第二支部书记）', locked: false, mustChangePassword: false });
    expect(res.body.truncated).toBe(false);
    // Tree order: a node's roles come before those of the nodes below it.
    expect(rows.indexOf('丰台区委·管理员·ft_admin')).toBe(0);
    // A branch admin may not look at the district; a read-only secretary not even at their branch.
    const pdl = await s.login('pdl_admin');
    expect((await pdl.get(`/api/grants/overview?node=${fengtai.id}`)).status).toBe(404);
    const zgm = await s.login('zhaoguoming');
    expect((await zgm.get(`/api/grants/overview?node=${secretary.node}`)).status).toBe(403);
  });

  it('an admin of the organization or above sets 支部书记 and 管理员; the fields follow in the same request', async () => {
    const sec = await tnl.post('/api/grants', { record: wangli.id, role: 'secretary', node: grid1 });
    expect(sec.status).toBe(201);
    expect(sec.body).toMatchObject({ username: 'wangli', roleTitle: '支部书记', node: grid1 });
    expect((await org(grid1)).data.secretary).toBe('王丽');
    const adm = await tnl.post('/api/grants', { username: 'wangli', role: 'admin', node: grid1 });
    expect(adm.status).toBe(201);
    expect((await org(grid1)).data).toMatchObject({ secretary: '王丽', contact: '王丽', contactPhone: '15010203040' });
    // Granting again changes nothing.
    expect((await tnl.post('/api/grants', { username: 'wangli', role: 'admin', node: grid1 })).status).toBe(200);
    // The grant takes effect: 王丽 now maintains her branch.
    const w = await s.login('wangli');
    expect((await w.get(`/api/records/organization/${grid1}/events`)).body.events.map((e: any) => e.type)).toEqual(['UNMARK_SAME_LEGAL_UNIT']);
    const h = await tnl.get(`/api/records/organization/${grid1}/history`);
    expect(h.body.items.filter((e: any) => e.action === 'grant').map((e: any) => e.note)).toEqual(['王丽（wangli）授予支部书记', '王丽（wangli）授予管理员']);
  });

  it('a change of the contact person\'s 手机号码 updates 联系电话', async () => {
    const m = (await tnl.get(`/api/records/member/${wangli.id}`)).body;
    const res = await tnl.put(`/api/records/member/${wangli.id}`, { ...m.data, mobile: '15010209999' }, m.version);
    expect(res.status).toBe(200);
    expect((await org(grid1)).data.contactPhone).toBe('15010209999');
  });

  it('revoking a grant clears the derived field', async () => {
    const del = await tnl.delete(`/api/grants?node=${grid1}&role=secretary&username=wangli`);
    expect(del.status).toBe(200);
    const after = await org(grid1);
    expect(after.data.secretary).toBeUndefined();
    expect(after.data.contact).toBe('王丽');
    expect((await tnl.delete(`/api/grants?node=${grid1}&role=secretary&username=wangli`)).status).toBe(404);
  });

  it('a grant, its revocation and a logout apply to an open session at its very next request', async () => {
    const w = await s.login('wangli');
    const grid2 = await nodeId(tnl, '丰台区太平桥街道太南里社区第二网格党支部');
    const readGrid2 = async () => (await w.get(`/api/records/organization/${grid2}`)).status;
    // Asked twice so the session is surely held in the server's principal cache.
    expect([await readGrid2(), await readGrid2()]).toEqual([404, 404]);
    expect((await tnl.post('/api/grants', { username: 'wangli', role: 'admin', node: grid2 })).status).toBe(201);
    expect(await readGrid2()).toBe(200);
    expect((await tnl.delete(`/api/grants?node=${grid2}&role=admin&username=wangli`)).status).toBe(200);
    expect(await readGrid2()).toBe(404);
    const other = s.anonymous();
    other.cookie = w.cookie;
    expect((await other.get('/api/me')).status).toBe(200);
    expect((await w.post('/api/logout')).status).toBe(200);
    expect((await other.get('/api/me')).status).toBe(401);
  });

  it('refuses grants outside one\'s own organizations, without grant permission, and bad roles or people', async () => {
    const meiyu = await s.login('meiyu_admin');
    expect((await meiyu.post('/api/grants', { username: 'luhuiqian', role: 'admin', node: grid1 })).status).toBe(404);
    expect((await meiyu.get(`/api/grants?node=${grid1}`)).status).toBe(404);
    const secretary = await s.login('zhaoguoming');
    const caihong = await nodeId(secretary, '彩虹北社区第二支部');
    expect((await secretary.post('/api/grants', { username: 'zhaoguoming', role: 'admin', node: caihong })).status).toBe(403);
    expect((await secretary.get(`/api/grants?node=${caihong}`)).status).toBe(403);
    const selfRole = await tnl.post('/api/grants', { username: 'wangli', role: 'self', node: grid1 });
    expect(selfRole.status).toBe(422);
    expect(selfRole.body.error.details[0].path).toBe('/role');
    expect((await tnl.post('/api/grants', { username: 'nobody', role: 'admin', node: grid1 })).status).toBe(422);
    const noAccount = (await tnl.get(`/api/records/member?q=${encodeURIComponent('李建国')}`)).body.items[0];
    const na = await tnl.post('/api/grants', { record: noAccount.id, role: 'committee', node: grid1 });
    expect(na.status).toBe(422);
    expect(na.body.error.message).toContain('尚无系统账号');
    // An admin below cannot grant on the node above.
    const w = await s.login('wangli');
    expect((await w.post('/api/grants', { username: 'wangli', role: 'admin', node: await nodeId(tnl, '丰台区太平桥街道太南里社区党委') })).status).toBe(404);
  });

  it('offers and grants only the roles that fit the node\'s kind (组织类别); a role that no longer fits may still be revoked', async () => {
    const committee = await nodeId(tnl, '丰台区太平桥街道太南里社区党委');
    const titles = async (node: string) => (await tnl.get(`/api/grants?node=${node}`)).body.roles.map((r: any) => r.title);
    expect(await titles(grid1)).toEqual(['管理员', '支部书记', '支部委员']);
    expect(await titles(committee)).toEqual(['管理员', '党委书记']);
    const wrong = await tnl.post('/api/grants', { username: 'wangli', role: 'secretary', node: committee });
    expect(wrong.status).toBe(422);
    expect(wrong.body.error.details[0]).toMatchObject({ path: '/role' });
    expect(wrong.body.error.message).toContain('「支部书记」不适用于该党组织，可授予：管理员、党委书记');
    expect((await tnl.post('/api/grants', { username: 'wangli', role: 'committeeSecretary', node: committee })).status).toBe(201);
    expect((await tnl.request('DELETE', `/api/grants?node=${committee}&role=committeeSecretary&username=wangli`)).status).toBe(200);
  });

  it('a person without an account gets one in the same step when asked: first password shown once, the role and the sheet\'s fields follow', async () => {
    const grid2 = await nodeId(tnl, '丰台区太平桥街道太南里社区第二网格党支部');
    const people = (await tnl.get(`/api/records/member?node=${grid2}&limit=100`)).body.items;
    const without = [];
    for (const p of people) if (!(await tnl.get(`/api/accounts?record=${p.id}`)).body.account) without.push(p);
    const person = without[0];
    expect(person).toBeTruthy();
    const asked = await tnl.post('/api/grants', { node: grid2, role: 'secretary', record: person.id });
    expect(asked.status).toBe(422);
    expect(asked.body.error.code).toBe('account_required');
    expect((await tnl.get(`/api/accounts?record=${person.id}`)).body.account).toBeNull();
    const res = await tnl.post('/api/grants', { node: grid2, role: 'secretary', record: person.id, openAccount: true });
    expect(res.status).toBe(201);
    expect(res.body.password).toMatch(/^\S{12,}$/);
    const account = (await tnl.get(`/api/accounts?record=${person.id}`)).body.account;
    expect(account).toMatchObject({ username: res.body.username, mustChangePassword: true });
    expect((await tnl.get(`/api/records/organization/${grid2}`)).body.data.secretary).toBe(person.data.name);
    // The first password opens the password change only; the role is there once it is replaced.
    const holder = await s.login(res.body.username, res.body.password);
    expect((await holder.get('/api/me')).body.grants.map((g: any) => g.role)).toEqual(['secretary']);
    // Asking again for somebody who has an account opens nothing more.
    const again = await tnl.post('/api/grants', { node: grid2, role: 'committee', record: person.id, openAccount: true });
    expect(again.status).toBe(201);
    expect(again.body.password).toBeUndefined();
  });
});
