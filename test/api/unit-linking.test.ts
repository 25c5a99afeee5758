import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import ExcelJS from 'exceljs';
import { startTestServer, type TestServer } from '../helpers/server.js';
import type { Client } from '../helpers/client.js';
import { nodeId } from '../helpers/demo.js';
import { gb11714CheckChar } from '../../engine/validation/formats/gb11714.js';
import { gb32100CheckChar } from '../../engine/validation/formats/gb32100.js';

/** A valid 组织机构代码 and the 统一社会信用代码 that embeds it. */
function codes(seq: number) {
  const body = String(71000000 + seq).padStart(8, '0');
  const orgCode = body + gb11714CheckChar(body);
  const credit17 = `91110106${orgCode}`;
  return { orgCode, creditCode: credit17 + gb32100CheckChar(credit17) };
}
/** The same code with a wrong check character. */
const broken = (code: string) => code.slice(0, 17) + (code[17] === '1' ? '2' : '1');

/** Unit linking (manual 二、第一步 3.(1)–(4), 第二步): the four variants, lookup, directory import, refusals. */
describe('workflow: unit linking', () => {
  let s: TestServer;
  let tnl: Client; // 太南里社区党委管理员
  let tainanli: string;
  let seq = 1;

  const newOrg = async (category: string, name: string) => {
    const res = await tnl.post('/api/records/organization', {
      parentId: tainanli, fullName: `中共${name}委员会`, shortName: name, category, orgCode: `0111009${String(seq++).padStart(5, '0')}`,
    });
    expect(res.status).toBe(201);
    expect(res.body.state).toBe('unlinked');
    return res.body.id as string;
  };
  const send = (c: Client, org: string, body: Record<string, unknown>) => c.post(`/api/records/organization/${org}/events`, body);
  const units = async (c: Client, org: string) => (await c.get(`/api/records/unit?node=${org}`)).body.items;

  beforeAll(async () => {
    s = await startTestServer();
    tnl = await s.login('tnl_admin');
    tainanli = await nodeId(tnl, '丰台区太平桥街道太南里社区党委');
  });
  afterAll(async () => { await s.stop(); });

  it('demo organizations start in the state their units say', async () => {
    const lianhe = await nodeId(tnl, '太南里社区非公联合党支部');
    const ev = await tnl.get(`/api/records/organization/${lianhe}/events`);
    expect(ev.body).toMatchObject({ state: 'joint', stateTitle: '联合党支部已关联单位', workflow: 'unit-linking@1' });
    expect(ev.body.events.map((e: any) => e.type)).toEqual(['LINK_UNIT', 'UNLINK_UNIT']);
    expect(ev.body.events[0]).toMatchObject({ title: '关联单位', form: 'unit' });
    expect(ev.body.blocked).toEqual([expect.objectContaining({ type: 'MARK_SAME_LEGAL_UNIT' })]);
    const grid = await tnl.get(`/api/records/organization/${await nodeId(tnl, '丰台区太平桥街道太南里社区第一网格党支部')}`);
    expect(grid.body.state).toBe('same_legal_unit');
  });

  it('lookup by 统一社会信用代码 or 组织机构代码 finds units already in the system', async () => {
    const byCredit = await tnl.get('/api/lookup/unit?creditCode=91110106700109904W');
    expect(byCredit.body).toMatchObject({ found: true, source: 'record', data: { fullName: '北京碧海洗浴有限公司', orgCode: '700109904' } });
    expect(byCredit.body.data.orgId).toBeUndefined();
    const byOrg = await tnl.get('/api/lookup/unit?orgCode=700109904');
    expect(byOrg.body).toMatchObject({ found: true, source: 'record', data: { fullName: '北京碧海洗浴有限公司' } });
    const lower = await tnl.get('/api/lookup/unit?creditCode=91110106700109904w');
    expect(lower.body.found).toBe(true);
    const bad = await tnl.get(`/api/lookup/unit?creditCode=${broken('91110106700109904W')}`);
    expect(bad.status).toBe(422);
    expect(bad.body.error.details[0].path).toBe('/creditCode');
    expect(bad.body.error.details[0].message).toContain('校验码');
    expect((await tnl.get(`/api/lookup/unit?creditCode=${codes(900).creditCode}`)).body).toEqual({ found: false });
    expect((await tnl.get('/api/lookup/unit?fullName=x')).status).toBe(400);
    // Units outside the user's subtree are not revealed, yet the admin learns at once that the
    // code is linked elsewhere (and whom to ask), not after filling in the whole form.
    const meiyu = await s.login('meiyu_admin');
    expect((await meiyu.get('/api/lookup/unit?creditCode=91110106700109904W')).body).toEqual({
      found: false, taken: { node: null, nodeLabel: null, message: '「信用代码」“91110106700109904W”已被其他党组织关联，请联系上级管理员' },
    });
    // Whoever reads the holder is told which organization holds it, also through a derived key.
    expect(byCredit.body.taken).toMatchObject({ nodeLabel: '太南里社区非公联合党支部', message: expect.stringContaining('已关联到「太南里社区非公联合党支部」') });
    expect(byOrg.body.taken.message).toContain('「组织机构代码」“700109904”已关联到「太南里社区非公联合党支部」');
  });

  it('the config admin imports the unit directory from CSV: titles or property names, labels for codes, per-row errors', async () => {
    const a = codes(1), b = codes(2), c = codes(3);
    const csv = [
      '信用代码,单位全称,单位简称,单位类别,建立党的基层组织的情况,orgCode',
      `${a.creditCode},北京甲乙丙科技有限公司,甲乙丙科技,非公有经济控制,未建立党组织,`,
      `${broken(b.creditCode)},校验码错误的公司,,23,,`,
      `,"北京丁戊""己""商贸有限公司",,23,,${c.orgCode}`,
      ',没有代码的单位,,23,,',
    ].join('\r\n');
    const member = await s.login('wangli');
    expect((await member.post('/api/directory/unit', csv, { 'content-type': 'text/csv' })).status).toBe(403);
    const config = await s.login('config_admin');
    const res = await config.post('/api/directory/unit', csv, { 'content-type': 'text/csv' });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ rows: 4, imported: 2, rejected: 2 });
    expect(res.body.errors.map((e: any) => e.row)).toEqual([3, 5]);
    expect(res.body.errors[0].errors[0]).toMatchObject({ path: '/creditCode' });
    expect(res.body.errors[1].errors[0].message).toContain('信用代码');
    const hit = await tnl.get(`/api/lookup/unit?creditCode=${a.creditCode}`);
    expect(hit.body).toMatchObject({ found: true, source: 'directory', data: { fullName: '北京甲乙丙科技有限公司', orgCode: a.orgCode, category: '23', partyOrgStatus: '9004' } });
    // A row known only by its 组织机构代码 is found by a credit code that embeds it.
    const cCredit = `91110106${c.orgCode}`;
    const viaCredit = await tnl.get(`/api/lookup/unit?creditCode=${cCredit + gb32100CheckChar(cCredit)}`);
    expect(viaCredit.body).toMatchObject({ found: true, source: 'directory', data: { fullName: '北京丁戊"己"商贸有限公司' } });
    expect((await config.post('/api/directory/unit', 'a,b\n1,2', { 'content-type': 'text/csv' })).status).toBe(400);
    expect((await config.post('/api/directory/unit', 'x', { 'content-type': 'application/pdf' })).status).toBe(415);
  });

  it('the directory imports from xlsx too', async () => {
    const d = codes(4);
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet('单位');
    ws.addRow(['组织机构代码', '单位全称', '单位类别']);
    ws.addRow([d.orgCode, '北京庚辛物业管理有限公司', '非公有经济控制']);
    const bytes = Buffer.from(await wb.xlsx.writeBuffer());
    const bj = await s.login('bj_admin');
    const res = await fetch(`${s.url}/api/directory/unit`, {
      method: 'POST', body: bytes,
      headers: { cookie: bj.cookie, 'x-csrf-token': bj.csrf, 'content-type': 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet' },
    });
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ rows: 1, imported: 1, rejected: 0 });
    expect((await tnl.get(`/api/lookup/unit?orgCode=${d.orgCode}`)).body.data.fullName).toBe('北京庚辛物业管理有限公司');
  });

  it('(1) 党支部 in a 法人单位: 关联单位 by credit code fills the name and derives the 组织机构代码; exactly one unit', async () => {
    const org = await newOrg('631', '甲乙丙科技党支部');
    const a = codes(1);
    const link = await send(tnl, org, { type: 'LINK_UNIT', creditCode: a.creditCode.toLowerCase(), category: '23', partyOrgStatus: '9002', enterpriseSize: '9004' });
    expect(link.status).toBe(200);
    expect(link.body.state).toBe('linked');
    expect(link.body.data).toMatchObject({ unitSituation: '2', sameLegalUnitAsParent: false });
    const [unit] = await units(tnl, org);
    expect(unit.data).toMatchObject({ fullName: '北京甲乙丙科技有限公司', creditCode: a.creditCode, orgCode: a.orgCode, partyOrgStatus: '9002', orgId: org });
    const h = await tnl.get(`/api/records/organization/${org}/history`);
    expect(h.body.items.at(-1)).toMatchObject({ action: 'LINK_UNIT', actor: 'tnl_admin', fromState: 'unlinked', toState: 'linked' });
    // A second unit on a 党支部 is refused, and so is the non-legal tick while a unit is linked.
    const second = await send(tnl, org, { type: 'LINK_UNIT', fullName: '第二个单位', category: '23', partyOrgStatus: '9002' });
    expect(second.status).toBe(409);
    expect(second.body.error.code).toBe('refused');
    expect(second.body.error.message).toContain('只能关联一个所在单位');
    expect((await units(tnl, org)).length).toBe(1);
    const tick = await send(tnl, org, { type: 'MARK_SAME_LEGAL_UNIT' });
    expect(tick.status).toBe(409);
    expect(tick.body.error.message).toContain('请先删除关联的单位');
    // 删除 the link: back to 未关联单位, and the unit can be linked again.
    const unlink = await send(tnl, org, { type: 'UNLINK_UNIT', unitId: unit.id });
    expect(unlink.body.state).toBe('unlinked');
    expect(unlink.body.data.unitSituation).toBeUndefined();
    expect(await units(tnl, org)).toEqual([]);
  });

  it('(1) 党委 in a 法人单位: 关联单位 by the 9-character 组织机构代码', async () => {
    const org = await newOrg('611', '庚辛物业党委');
    const d = codes(4);
    const link = await send(tnl, org, { type: 'LINK_UNIT', orgCode: d.orgCode, partyOrgStatus: '11' });
    expect(link.status).toBe(200);
    const [unit] = await units(tnl, org);
    expect(unit.data).toMatchObject({ fullName: '北京庚辛物业管理有限公司', orgCode: d.orgCode, category: '23', partyOrgStatus: '11' });
    expect(unit.data.creditCode).toBeUndefined();
  });

  it('(2) 党支部 in a 非法人单位: tick 与上级党组织在同一法人单位, no unit of its own', async () => {
    const org = await newOrg('631', '非法人单位党支部');
    const ev = await tnl.get(`/api/records/organization/${org}/events`);
    expect(ev.body.events.map((e: any) => e.type)).toEqual(['LINK_UNIT', 'MARK_SAME_LEGAL_UNIT']);
    const tick = await send(tnl, org, { type: 'MARK_SAME_LEGAL_UNIT' });
    expect(tick.status).toBe(200);
    expect(tick.body).toMatchObject({ state: 'same_legal_unit', data: { sameLegalUnitAsParent: true, unitSituation: '1' } });
    const link = await send(tnl, org, { type: 'LINK_UNIT', fullName: '某单位', category: '23', partyOrgStatus: '9002' });
    expect(link.status).toBe(409);
    expect(link.body.error.code).toBe('wrong_state');
    expect(link.body.error.message).toBe('当前状态为「与上级党组织在同一法人单位」，不能执行「关联单位」');
    expect(await units(tnl, org)).toEqual([]);
    const untick = await send(tnl, org, { type: 'UNMARK_SAME_LEGAL_UNIT' });
    expect(untick.body).toMatchObject({ state: 'unlinked', data: { sameLegalUnitAsParent: false } });
  });

  it('(3) 联合党支部: several legal units one at a time, each marked 联合党支部; 删除 one; no non-legal tick', async () => {
    const org = await newOrg('632', '商圈联合党支部');
    const tick = await send(tnl, org, { type: 'MARK_SAME_LEGAL_UNIT' });
    expect(tick.status).toBe(409);
    expect(tick.body.error.message).toContain('联合党支部由多个法人单位共建，不能勾选');
    const [x, y, z] = [codes(11), codes(12), codes(13)];
    const first = await send(tnl, org, { type: 'LINK_UNIT', creditCode: x.creditCode, fullName: '北京壹号餐饮有限公司', category: '23', partyOrgStatus: '9002' });
    expect(first.status).toBe(200);
    expect(first.body).toMatchObject({ state: 'joint', data: { unitSituation: '3' } });
    expect((await send(tnl, org, { type: 'LINK_UNIT', creditCode: y.creditCode, fullName: '北京贰号超市有限公司', category: '23' })).status).toBe(200);
    expect((await send(tnl, org, { type: 'LINK_UNIT', orgCode: z.orgCode, fullName: '北京叁号宾馆', category: '23' })).status).toBe(200);
    const linked = await units(tnl, org);
    expect(linked.map((u: any) => u.data.fullName)).toEqual(['北京壹号餐饮有限公司', '北京贰号超市有限公司', '北京叁号宾馆']);
    expect(linked.every((u: any) => u.data.partyOrgStatus === '9003')).toBe(true);
    expect(linked[0].data.orgCode).toBe(x.orgCode);
    // One unit linked twice is refused.
    const twice = await send(tnl, org, { type: 'LINK_UNIT', creditCode: y.creditCode, category: '23' });
    expect(twice.status).toBe(409);
    expect(twice.body.error.code).toBe('duplicate');
    expect(twice.body.error.message).toContain('已被另一条单位记录使用');
    expect((await tnl.post(`/api/records/organization/${org}/events`, { type: 'MARK_SAME_LEGAL_UNIT' })).status).toBe(409);
    // 删除 one: still joint with two units; removing the rest leaves it unlinked.
    const del = await send(tnl, org, { type: 'UNLINK_UNIT', unitId: linked[1].id });
    expect(del.body.state).toBe('joint');
    expect((await units(tnl, org)).length).toBe(2);
    await send(tnl, org, { type: 'UNLINK_UNIT', unitId: linked[0].id });
    const last = await send(tnl, org, { type: 'UNLINK_UNIT', unitId: linked[2].id });
    expect(last.body).toMatchObject({ state: 'unlinked' });
    expect(last.body.data.unitSituation).toBeUndefined();
  });

  it('(4) units with neither code (社区, 村): all other items, codes empty', async () => {
    const org = await newOrg('631', '网格六党支部');
    const link = await send(tnl, org, { type: 'LINK_UNIT', fullName: '北京市丰台区太平桥街道太南里社区第六网格', category: '9002', partyOrgStatus: '9002', subordination: '6' });
    expect(link.status).toBe(200);
    const [unit] = await units(tnl, org);
    expect(unit.data.creditCode).toBeUndefined();
    expect(unit.data.orgCode).toBeUndefined();
    expect(unit.data.fullName).toBe('北京市丰台区太平桥街道太南里社区第六网格');
  });

  it('refusals: failing checksum, codes that disagree, a unit linked elsewhere, a foreign unit, a missing name', async () => {
    const org = await newOrg('631', '拒绝用例党支部');
    const bad = await send(tnl, org, { type: 'LINK_UNIT', creditCode: broken(codes(21).creditCode), fullName: '某公司', category: '23' });
    expect(bad.status).toBe(422);
    expect(bad.body.error.details[0]).toMatchObject({ path: '/creditCode' });
    expect(bad.body.error.details[0].message).toContain('校验码错误');
    const disagree = await send(tnl, org, { type: 'LINK_UNIT', creditCode: codes(22).creditCode, orgCode: codes(23).orgCode, fullName: '某公司', category: '23' });
    expect(disagree.status).toBe(422);
    expect(disagree.body.error.details[0].path).toBe('/orgCode');
    const elsewhere = await send(tnl, org, { type: 'LINK_UNIT', creditCode: '91110106700109904W', category: '23' });
    expect(elsewhere.status).toBe(409);
    expect(elsewhere.body.error.code).toBe('duplicate');
    const noName = await send(tnl, org, { type: 'LINK_UNIT', category: '23' });
    expect(noName.status).toBe(422);
    expect(noName.body.error.details).toContainEqual({ path: '/fullName', message: '「单位全称」为必填项' });
    expect((await tnl.get(`/api/records/organization/${org}`)).body.state).toBe('unlinked');
    expect(await units(tnl, org)).toEqual([]);
    const lianhe = await nodeId(tnl, '太南里社区非公联合党支部');
    const foreign = (await units(tnl, lianhe))[0];
    const del = await send(tnl, org, { type: 'UNLINK_UNIT', unitId: foreign.id });
    expect(del.status).toBe(409);
    const noId = await send(tnl, lianhe, { type: 'UNLINK_UNIT' });
    expect(noId.status).toBe(422);
    expect(noId.body.error.details[0]).toEqual({ path: '/unitId', message: '「单位」为必填项' });
  });

  it('only admins of the organization or above may link; others are refused or see nothing', async () => {
    const caihong = await nodeId(await s.login('ft_admin'), '彩虹北社区第二支部');
    const secretary = await s.login('zhaoguoming'); // 支部书记: read only
    const ev = await secretary.get(`/api/records/organization/${caihong}/events`);
    expect(ev.status).toBe(200);
    expect(ev.body.events).toEqual([]);
    const tried = await secretary.post(`/api/records/organization/${caihong}/events`, { type: 'MARK_SAME_LEGAL_UNIT' });
    expect(tried.status).toBe(403);
    const lianheAdmin = await s.login('lianhe_admin');
    expect((await lianheAdmin.post(`/api/records/organization/${caihong}/events`, { type: 'UNLINK_UNIT', unitId: 'x' })).status).toBe(404);
  });

  it('a joint branch\'s unit keeps 建立党的基层组织的情况 = 联合党支部: an edit may change other items, not that one', async () => {
    const lianhe = await nodeId(tnl, '太南里社区非公联合党支部');
    const [first] = await units(tnl, lianhe);
    expect(first.data).toMatchObject({ fullName: '北京碧海洗浴有限公司', partyOrgStatus: '9003' });
    // The demo linked them through the workflow, as the branch admin: it is in the organization's history.
    const h = await tnl.get(`/api/records/organization/${lianhe}/history`);
    expect(h.body.items.filter((e: any) => e.action === 'LINK_UNIT' && e.actor === 'lianhe_admin').length).toBe(4);
    const changed = await tnl.put(`/api/records/unit/${first.id}`, { ...first.data, partyOrgStatus: '11' }, first.version);
    expect(changed.status).toBe(422);
    expect(changed.body.error.details).toEqual([{ path: '/partyOrgStatus', message: '「建立党的基层组织的情况」由流程设定，不能直接修改' }]);
    const other = await tnl.put(`/api/records/unit/${first.id}`, { ...first.data, shortName: '碧海' }, first.version);
    expect(other.status).toBe(200);
    expect(other.body.data).toMatchObject({ shortName: '碧海', partyOrgStatus: '9003' });
  });
});
