import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { startTestServer, type TestServer } from '../helpers/server.js';
import type { Client } from '../helpers/client.js';
import { memberData, nodeId } from '../helpers/demo.js';
import { fixtureApp } from '../helpers/paths.js';

type Detail = { path: string; message: string };
const T = '「家庭主要成员及社会关系」';

/** Child tables through the real server (issue 21): row-path errors, bad input, audit by row, conflicts, completeness. */
describe('child tables (family on the member form)', () => {
  let s: TestServer;
  let admin: Client;
  let org: string;
  const count = async () => (await admin.get(`/api/records/member?node=${org}`)).body.total as number;

  beforeAll(async () => {
    s = await startTestServer();
    admin = await s.login('pdl_admin');
    org = await nodeId(admin, '潘东亮支部乙');
  });
  afterAll(async () => { await s.stop(); });

  /** Posts a member that must be refused with 4xx; nothing stored; returns its details. */
  async function refused(family: unknown, status = 422): Promise<Detail[]> {
    const before = await count();
    const res = await admin.post('/api/records/member', { ...memberData(org), family });
    expect(res.status).toBe(status);
    expect(await count()).toBe(before);
    return res.body.error.details;
  }

  const spouse = { name: '李娜', relation: '12', politicalStatus: '01', birthDate: '1989-03-14', workUnit: '某街道办事处 科员' };
  const father = { name: '潘建华', relation: '51', politicalStatus: '13', birthDate: '1960-11-02' };

  it('stores rows inside the record; the demo members have rows', async () => {
    const res = await admin.post('/api/records/member', memberData(org, { family: [spouse, father] }));
    expect(res.status).toBe(201);
    expect(res.body.data.family).toEqual([spouse, father]);
    expect(res.body.complete).toBe(true);
    const back = await admin.get(`/api/records/member/${res.body.id}`);
    expect(back.body.data.family).toEqual([spouse, father]);
    // Search and the list still work on records with rows; a demo member carries its rows.
    const demo = await admin.get(`/api/records/member?q=${encodeURIComponent('潘东亮')}&deep=1&node=${org}`);
    expect(demo.body.items.map((r: any) => r.data.family?.length)).toContain(3);
  });

  it('names table, row and column at the row pointer, for each rule', async () => {
    const details = await refused([
      spouse,
      { name: '', relation: '99x', birthDate: '2999-01-01', politicalStatus: '01' },
      { relation: '51', birthDate: '1960-02-30', workUnit: 'x'.repeat(101) },
      { name: '王五', relation: '11' },
    ]);
    expect(details).toEqual(expect.arrayContaining([
      { path: '/family/1/relation', message: `${T}第2行「与该人关系」的代码“99x”不在代码表中` },
      { path: '/family/1/birthDate', message: `${T}第2行「出生日期」不能晚于今天` },
      { path: '/family/2/name', message: `${T}第3行「姓名」为必填项` },
      { path: '/family/2/workUnit', message: `${T}第3行「工作单位及职务」最多100个字符` },
      { path: '/family/3/relation', message: `${T}第4行「与该人关系」：只能有一行为配偶（第1行已是）` },
    ]));
    expect(details.find((d) => d.path === '/family/2/birthDate')?.message).toMatch(/^「家庭主要成员及社会关系」第3行「出生日期」/);
  });

  it('refuses bad input with the Chinese message at the row path, storing nothing', async () => {
    expect(await refused(['张三', 5])).toEqual([
      { path: '/family/0', message: `${T}第1行应为对象` },
      { path: '/family/1', message: `${T}第2行应为对象` },
    ]);
    expect(await refused([{ ...father, salary: 1 }])).toEqual([{ path: '/family/0/salary', message: `${T}第1行「salary」不是该表的列` }]);
    expect(await refused(Array.from({ length: 31 }, () => father))).toEqual([{ path: '/family', message: `${T}最多30行` }]);
    // 10 000 rows in one request: refused as one message, not ten thousand.
    expect(await refused(Array.from({ length: 10_000 }, (_, i) => ({ name: `甲${i}`, relation: '99', junk: i })))).toEqual([{ path: '/family', message: `${T}最多30行` }]);
    expect(await refused('not a table')).toEqual([{ path: '/family', message: `${T}应为列表` }]);
    // "__proto__" as a column key (a JSON body can carry it as an own key).
    const body = JSON.parse(`{"family":[{"name":"甲","relation":"51","__proto__":{"polluted":true}}]}`);
    const before = await count();
    const res = await admin.post('/api/records/member', Object.assign(memberData(org), body));
    expect(res.status).toBe(422);
    expect(res.body.error.details).toEqual([{ path: '/family/0/__proto__', message: `${T}第1行「__proto__」不是该表的列` }]);
    expect(await count()).toBe(before);
    expect(({} as any).polluted).toBeUndefined();
  });

  it('audits an update by row: added, removed and the cells that changed; the history says it in words', async () => {
    const created = await admin.post('/api/records/member', memberData(org, { family: [spouse, father, { name: '潘子涵', relation: '21' }] }));
    const id = created.body.id;
    const next = [{ ...spouse, birthDate: '1989-04-14' }, { name: '潘子涵', relation: '21' }, { name: '刘芳', relation: '52' }];
    const put = await admin.put(`/api/records/member/${id}`, { ...created.body.data, family: next }, created.body.version);
    expect(put.status).toBe(200);
    const history = await admin.get(`/api/records/member/${id}/history`);
    const update = history.body.items.find((h: any) => h.action === 'update');
    expect(update.diff).toEqual({
      family: { rows: [
        { row: 1, change: 'changed', cells: { birthDate: ['1989-03-14', '1989-04-14'] } },
        { row: 2, change: 'removed', cells: { name: ['潘建华', null], relation: ['51', null], politicalStatus: ['13', null], birthDate: ['1960-11-02', null] } },
        { row: 3, change: 'added', cells: { name: [null, '刘芳'], relation: [null, '52'] } },
      ] },
    });
    // The audit view (系统审核) says the same in words, with code labels.
    const audit = await (await s.login('pdl_admin')).get(`/api/audit?limit=200`);
    const line = audit.body.items.find((e: any) => e.recordId === id && e.kind === 'update');
    expect(line.changes).toEqual([{
      field: 'family', title: '家庭主要成员及社会关系', from: '',
      to: '第1行 修改：出生日期 1989-03-14 → 1989-04-14；原第2行 删除：姓名 潘建华、与该人关系 父亲、政治面貌 群众、出生日期 1960-11-02；第3行 新增：姓名 刘芳、与该人关系 母亲',
    }]);
  });

  it('a stale save gets 409 with the current record, its rows included', async () => {
    const created = await admin.post('/api/records/member', memberData(org, { family: [spouse] }));
    const { id, version, data } = created.body;
    expect((await admin.put(`/api/records/member/${id}`, { ...data, family: [spouse, father] }, version)).status).toBe(200);
    const stale = await admin.put(`/api/records/member/${id}`, { ...data, family: [] }, version);
    expect(stale.status).toBe(409);
    expect(JSON.stringify(stale.body)).toContain('潘建华');
    expect((await admin.get(`/api/records/member/${id}`)).body.data.family).toEqual([spouse, father]);
  });
});

describe('child tables on the leave fixture (行程安排): essential column, completeness', () => {
  let s: TestServer;
  let admin: Client;
  beforeAll(async () => {
    s = await startTestServer(fixtureApp);
    admin = await s.login('boss');
  });
  afterAll(async () => { await s.stop(); });

  it('a row without its essential column keeps the record incomplete; filling it completes it', async () => {
    const list = await admin.get('/api/records/leave?deep=1');
    const l1 = list.body.items.find((r: any) => r.data.ticket === 'L0001');
    expect(l1.data.itinerary).toHaveLength(2);
    const base = { departmentId: l1.data.departmentId, employee: '赵六', kind: 'A', from: '2024-05-01', to: '2024-05-03' };
    const res = await admin.post('/api/records/leave', { ...base, itinerary: [{ date: '2024-05-01', place: '杭州' }] });
    expect(res.status).toBe(201);
    expect(res.body.complete).toBe(false);
    const check = await admin.post('/api/forms/leave/validate', { data: res.body.data });
    expect(check.body.incomplete).toEqual([{ path: '/itinerary/0/purpose', message: '「行程安排」第1行「事由」为必填项' }]);
    const put = await admin.put(`/api/records/leave/${res.body.id}`, { ...res.body.data, itinerary: [{ date: '2024-05-01', place: '杭州', purpose: '探亲' }] }, res.body.version);
    expect(put.status).toBe(200);
    expect(put.body.complete).toBe(true);
    const bad = await admin.post('/api/records/leave', { ...base, itinerary: [{ date: '2024-05-01', place: '' }, { place: '苏州', date: '5月2日' }] });
    expect(bad.status).toBe(422);
    expect(bad.body.error.details).toEqual(expect.arrayContaining([
      { path: '/itinerary/0/place', message: '「行程安排」第1行「地点」不能为空' },
      { path: '/itinerary/1/date', message: expect.stringMatching(/^「行程安排」第2行「日期」/) },
    ]));
  });
});
