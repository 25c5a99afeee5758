import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { startTestServer, type TestServer } from '../helpers/server.js';
import type { Client } from '../helpers/client.js';

/** The member confirmation lifecycle (manual 一、第一步–第三步) through the HTTP API with real logins. */
describe('workflow: member confirmation', () => {
  let s: TestServer;
  let ft: Client;          // 丰台区委管理员: covers 美域家园, 演示支部乙, 太南里 …
  let meiyuAdmin: Client;  // 美域家园社区第二支部管理员 only
  const id: Record<string, string> = {};

  const find = async (c: Client, name: string) => {
    const res = await c.get(`/api/records/member?q=${encodeURIComponent(name)}`);
    const hit = res.body.items.find((r: any) => r.data.name === name);
    if (!hit) throw new Error(`member ${name} not visible`);
    return hit;
  };

  beforeAll(async () => {
    s = await startTestServer();
    ft = await s.login('ft_admin');
    meiyuAdmin = await s.login('meiyu_admin');
    for (const name of ['芦会倩', '演示九', '孙伟', '黄静', '王丽']) id[name] = (await find(ft, name)).id;
  });
  afterAll(async () => { await s.stop(); });

  it('new records start 未提交 and the record JSON names the machine', async () => {
    const r = await ft.get(`/api/records/member/${id['芦会倩']}`);
    expect(r.body.state).toBe('draft');
    expect(r.body.workflow).toBe('member-confirmation@1');
    const ev = await ft.get(`/api/records/member/${id['芦会倩']}/events`);
    expect(ev.status).toBe(200);
    expect(ev.body).toMatchObject({ state: 'draft', stateTitle: '未提交', workflow: 'member-confirmation@1' });
    expect(ev.body.events.map((e: any) => [e.type, e.title])).toEqual([['SUBMIT', '提交确认'], ['OFFLINE_CONFIRM', '线下确认']]);
    expect(ev.body.events[1].payload.required).toEqual(['signedDate', 'note']);
    // The member sees no event on a draft; the incomplete record lists SUBMIT as blocked, with the fields.
    const member = await s.login('luhuiqian');
    expect((await member.get(`/api/records/member/${id['芦会倩']}/events`)).body.events).toEqual([]);
    const sun = await ft.get(`/api/records/member/${id['孙伟']}/events`);
    expect(sun.body.events).toEqual([]);
    expect(sun.body.blocked.find((b: any) => b.type === 'SUBMIT').error.details.map((d: any) => d.path)).toContain('/mobile');
  });

  it('batch SUBMIT: one request, a result per id; the incomplete member is refused with its fields named', async () => {
    const res = await ft.post('/api/records/member/events', { type: 'SUBMIT', ids: [id['芦会倩'], id['王丽'], id['孙伟']] });
    expect(res.status).toBe(200);
    const [a, b, c] = res.body.results;
    expect(a).toMatchObject({ id: id['芦会倩'], ok: true, state: 'pending', stateTitle: '待确认' });
    expect(b).toMatchObject({ id: id['王丽'], ok: true, state: 'pending' });
    expect(c.ok).toBe(false);
    expect(c.error.code).toBe('invalid');
    const paths = c.error.details.map((d: any) => d.path);
    expect(paths).toEqual(expect.arrayContaining(['/nation', '/mobile', '/address', '/joinDate', '/education']));
    expect(c.error.message).toContain('「手机号码」为必填项');
    expect((await ft.get(`/api/records/member/${id['孙伟']}`)).body.state).toBe('draft');
    // The transition is in the audit log: actor, time, from, to.
    const h = await ft.get(`/api/records/member/${id['芦会倩']}/history`);
    const submit = h.body.items.find((e: any) => e.action === 'SUBMIT');
    expect(submit).toMatchObject({ actor: 'ft_admin', fromState: 'draft', toState: 'pending' });
    expect(submit.at).toMatch(/^\d{4}-\d\d-\d\dT/);
  });

  it('a single SUBMIT of an incomplete record answers 422 listing each field', async () => {
    const res = await ft.post(`/api/records/member/${id['孙伟']}/events`, { type: 'SUBMIT' });
    expect(res.status).toBe(422);
    expect(res.body.error.details.map((d: any) => d.path)).toEqual(expect.arrayContaining(['/mobile', '/address']));
  });

  it('the member confirms their own record; a second CONFIRM is a wrong-state 409', async () => {
    const member = await s.login('luhuiqian');
    const ev = await member.get(`/api/records/member/${id['芦会倩']}/events`);
    expect(ev.body.events.map((e: any) => [e.type, e.title])).toEqual([['CONFIRM', '确认信息'], ['REQUEST_CHANGE', '修改信息']]);
    const ok = await member.post(`/api/records/member/${id['芦会倩']}/events`, { type: 'CONFIRM' });
    expect(ok.status).toBe(200);
    expect(ok.body.state).toBe('confirmed');
    expect(ok.body.workflowContext).toMatchObject({ offline: false, confirmedBy: 'luhuiqian' });
    const again = await member.post(`/api/records/member/${id['芦会倩']}/events`, { type: 'CONFIRM' });
    expect(again.status).toBe(409);
    expect(again.body.error.code).toBe('wrong_state');
    expect(again.body.error.message).toContain('已确认');
  });

  it('a member cannot send events on another member\'s record, nor admin events on their own', async () => {
    const member = await s.login('luhuiqian');
    const other = await member.post(`/api/records/member/${id['王丽']}/events`, { type: 'CONFIRM' });
    expect(other.status).toBe(404);
    expect((await member.get(`/api/records/member/${id['王丽']}/events`)).status).toBe(404);
    const batch = await member.post('/api/records/member/events', { type: 'CONFIRM', ids: [id['王丽']] });
    expect(batch.body.results[0]).toMatchObject({ ok: false, error: { code: 'not_found' } });
    const w = await s.login('wangli');
    const submitOwn = await w.post(`/api/records/member/${id['王丽']}/events`, { type: 'OFFLINE_CONFIRM', signedDate: '2017-06-01', note: 'x' });
    expect(submitOwn.status).toBe(403);
    // The admin may not confirm in the member's place.
    const byAdmin = await ft.post(`/api/records/member/${id['王丽']}/events`, { type: 'CONFIRM' });
    expect(byAdmin.status).toBe(403);
    expect(byAdmin.body.error.message).toContain('只能由党员本人确认自己的信息');
    expect((await ft.get(`/api/records/member/${id['王丽']}`)).body.state).toBe('pending');
  });

  it('REQUEST_CHANGE carries a reason the admin sees; the admin corrects, resubmits, the member confirms', async () => {
    const w = id['王丽'];
    const member = await s.login('wangli');
    const noReason = await member.post(`/api/records/member/${w}/events`, { type: 'REQUEST_CHANGE' });
    expect(noReason.status).toBe(422);
    expect(noReason.body.error.details).toEqual([{ path: '/reason', message: '「需要修改的内容」为必填项' }]);
    const badField = await member.post(`/api/records/member/${w}/events`, { type: 'REQUEST_CHANGE', reason: 'x', fields: ['salary'] });
    expect(badField.status).toBe(422);
    expect(badField.body.error.message).toContain('salary');
    const req = await member.post(`/api/records/member/${w}/events`, {
      type: 'REQUEST_CHANGE', reason: '手机号码已更换为15010203099', fields: ['mobile'],
    });
    expect(req.status).toBe(200);
    expect(req.body.state).toBe('changes_requested');
    const seen = await ft.get(`/api/records/member/${w}`);
    expect(seen.body.workflowContext).toMatchObject({ changeReason: '手机号码已更换为15010203099', changeFields: ['mobile'], changeRequestedBy: 'wangli' });
    const history = await ft.get(`/api/records/member/${w}/history`);
    expect(history.body.items.at(-1)).toMatchObject({ action: 'REQUEST_CHANGE', actor: 'wangli', fromState: 'pending', toState: 'changes_requested', note: '手机号码已更换为15010203099' });
    // The member cannot confirm while changes are requested.
    expect((await member.post(`/api/records/member/${w}/events`, { type: 'CONFIRM' })).status).toBe(409);
    // The admin corrects: the record stays 待修改 until submitted again.
    const fixed = await ft.put(`/api/records/member/${w}`, { ...seen.body.data, mobile: '15010203099' }, seen.body.version);
    expect(fixed.status).toBe(200);
    expect(fixed.body.state).toBe('changes_requested');
    const resubmit = await ft.post(`/api/records/member/${w}/events`, { type: 'SUBMIT' });
    expect(resubmit.body.state).toBe('pending');
    expect(resubmit.body.workflowContext).toBeNull();
    const confirm = await member.post(`/api/records/member/${w}/events`, { type: 'CONFIRM' });
    expect(confirm.status).toBe(200);
    expect(confirm.body.state).toBe('confirmed');
    expect(confirm.body.data.mobile).toBe('15010203099');
    // Saving without a change keeps the confirmation.
    const same = await ft.put(`/api/records/member/${w}`, confirm.body.data, confirm.body.version);
    expect(same.body.state).toBe('confirmed');
  });

  it('OFFLINE_CONFIRM: the admin records the signing date and a note → 已确认, marked offline', async () => {
    const hj = id['黄静'];
    const noDate = await meiyuAdmin.post(`/api/records/member/${hj}/events`, { type: 'OFFLINE_CONFIRM', note: '已签字' });
    expect(noDate.status).toBe(422);
    expect(noDate.body.error.details[0]).toEqual({ path: '/signedDate', message: '「签字日期」为必填项' });
    const future = await meiyuAdmin.post(`/api/records/member/${hj}/events`, { type: 'OFFLINE_CONFIRM', signedDate: '2999-01-01', note: '已签字' });
    expect(future.status).toBe(422);
    const member = await s.login('luhuiqian');
    const notAdmin = await member.post(`/api/records/member/${id['芦会倩']}/events`, { type: 'OFFLINE_CONFIRM', signedDate: '2017-06-01', note: 'x' });
    expect([403, 409]).toContain(notAdmin.status);
    const ok = await meiyuAdmin.post(`/api/records/member/${hj}/events`, {
      type: 'OFFLINE_CONFIRM', signedDate: '2017-06-01', note: '本人不便登录，打印采集表线下签字', scan: 'data:application/pdf;base64,JVBERi0xLjQK',
    });
    expect(ok.status).toBe(200);
    expect(ok.body.state).toBe('confirmed');
    expect(ok.body.workflowContext).toMatchObject({ offline: true, signedDate: '2017-06-01', offlineNote: '本人不便登录，打印采集表线下签字', confirmedBy: 'meiyu_admin' });
    const h = await meiyuAdmin.get(`/api/records/member/${hj}/history`);
    expect(h.body.items.at(-1)).toMatchObject({ action: 'OFFLINE_CONFIRM', fromState: 'draft', toState: 'confirmed', note: '本人不便登录，打印采集表线下签字' });
    expect(h.body.items.at(-1).diff.signedDate).toEqual([null, '2017-06-01']);
  });

  it('an admin edit after confirmation returns the record to 未提交 and clears the confirmation', async () => {
    const r = await ft.get(`/api/records/member/${id['芦会倩']}`);
    expect(r.body.state).toBe('confirmed');
    const edited = await ft.put(`/api/records/member/${id['芦会倩']}`, { ...r.body.data, address: '北京市丰台区卢沟桥街道美域家园小区5号楼2单元302号' }, r.body.version);
    expect(edited.status).toBe(200);
    expect(edited.body.state).toBe('draft');
    expect(edited.body.workflowContext).toBeNull();
    const h = await ft.get(`/api/records/member/${id['芦会倩']}/history`);
    expect(h.body.items.at(-1)).toMatchObject({ action: 'update', fromState: 'confirmed', toState: 'draft' });
  });

  it('an edit of a 待确认 record returns it to 未提交 too', async () => {
    const y = id['演示九'];
    // A deprecated 工作岗位 code keeps the record from being submitted until re-entered.
    const refused = await ft.post(`/api/records/member/${y}/events`, { type: 'SUBMIT' });
    expect(refused.status).toBe(422);
    expect(refused.body.error.details.map((d: any) => d.path)).toEqual(['/jobPosition']);
    const r = await ft.get(`/api/records/member/${y}`);
    const fixed = await ft.put(`/api/records/member/${y}`, { ...r.body.data, jobPosition: '0111' }, r.body.version);
    expect(fixed.body.state).toBe('draft');
    expect((await ft.post(`/api/records/member/${y}/events`, { type: 'SUBMIT' })).body.state).toBe('pending');
    const edited = await ft.put(`/api/records/member/${y}`, { ...fixed.body.data, address: '北京市丰台区丰台北路18号院2号楼1002号' }, fixed.body.version + 1);
    expect(edited.body.state).toBe('draft');
    expect((await (await s.login('yanshijiu')).post(`/api/records/member/${y}/events`, { type: 'CONFIRM' })).status).toBe(409);
  });

  it('an admin of branch A can neither see nor change branch B, also not through the batch path', async () => {
    const yi = id['演示九']; // 演示支部乙, outside 美域家园
    const before = await ft.get(`/api/records/member/${yi}`);
    expect((await meiyuAdmin.get(`/api/records/member/${yi}/events`)).status).toBe(404);
    const single = await meiyuAdmin.post(`/api/records/member/${yi}/events`, { type: 'OFFLINE_CONFIRM', signedDate: '2017-06-01', note: 'x' });
    expect(single.status).toBe(404);
    expect(single.body.error.message).not.toContain('演示九');
    const created = await meiyuAdmin.post('/api/records/member', { orgId: (await ft.get(`/api/records/member/${id['黄静']}`)).body.data.orgId, name: '批量对照' });
    const batch = await meiyuAdmin.post('/api/records/member/events', { type: 'SUBMIT', ids: [yi, created.body.id] });
    expect(batch.status).toBe(200);
    expect(batch.body.results[0]).toEqual({ id: yi, ok: false, error: expect.objectContaining({ code: 'not_found' }) });
    expect(JSON.stringify(batch.body.results[0])).not.toContain('演示九');
    expect(batch.body.results[1]).toMatchObject({ ok: false, error: { code: 'invalid' } });
    const after = await ft.get(`/api/records/member/${yi}`);
    expect(after.body.version).toBe(before.body.version);
    expect(after.body.state).toBe(before.body.state);
  });

  it('the member\'s self-service view: own record, 必核 items marked, the events they may send', async () => {
    const w = id['芦会倩'];
    expect((await ft.post(`/api/records/member/${w}/events`, { type: 'SUBMIT' })).body.state).toBe('pending');
    const me = await (await s.login('luhuiqian')).get('/api/self');
    expect(me.status).toBe(200);
    expect(me.body.record.id).toBe(w);
    expect(me.body).toMatchObject({ state: 'pending', stateTitle: '待确认' });
    expect(me.body.events.map((e: any) => e.title)).toEqual(['确认信息', '修改信息']);
    const byField = Object.fromEntries(me.body.fields.map((f: any) => [f.field, f]));
    expect(byField.name).toMatchObject({ title: '姓名', text: '芦会倩', essential: true });
    expect(byField.gender).toMatchObject({ value: '2', text: '女', essential: true });
    expect(byField.email.essential).toBe(false);
    expect(me.body.fields[0].field).toBe('orgId');
    // The member cannot browse the tree, but sees the path of the branch the record hangs on.
    expect(byField.orgId.text).toBe('中共北京市委>>丰台区委>>中共丰台区卢沟桥街道工委>>美域家园社区第二支部');
    expect(me.body.node).toMatchObject({ label: '美域家园社区第二支部', path: ['中共北京市委', '丰台区委', '中共丰台区卢沟桥街道工委', '美域家园社区第二支部'] });
    expect((await ft.get('/api/self')).status).toBe(404);
  });

  it('unknown events and malformed batches are 400', async () => {
    expect((await ft.post(`/api/records/member/${id['芦会倩']}/events`, { type: 'APPROVE' })).status).toBe(400);
    expect((await ft.post(`/api/records/member/${id['芦会倩']}/events`, { type: 'EDITED' })).status).toBe(400);
    expect((await ft.post('/api/records/member/events', { type: 'SUBMIT', ids: [] })).status).toBe(400);
    expect((await ft.post('/api/records/member/events', { type: 'SUBMIT' })).status).toBe(400);
  });
});
