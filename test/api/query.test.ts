import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import ExcelJS from 'exceljs';
import { startTestServer, type TestServer } from '../helpers/server.js';
import type { Client } from '../helpers/client.js';
import { memberData, nodeId } from '../helpers/demo.js';

/**
 * 查询 (the query builder): each operator against the same filter applied by hand to the list the
 * user reads, the code hierarchy, ages at a reference date, the scope, saved queries, the export,
 * and bad input refused in Chinese with nothing run.
 */
describe('query builder', () => {
  let s: TestServer;
  let admin: Client;
  let branch: string;
  let all: any[];

  const run = (c: Client, body: unknown) => c.post('/api/query/member', body);
  /** Ids a query finds in the branch, every page. */
  async function ids(where: unknown): Promise<string[]> {
    const res = await run(admin, { node: branch, where, limit: 500 });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body.more).toBe(false);
    return res.body.items.map((r: any) => r.id).sort();
  }
  const expected = (pred: (d: any) => boolean) => all.filter((r) => pred(r.data)).map((r) => r.id).sort();

  beforeAll(async () => {
    s = await startTestServer();
    admin = await s.login('bj_admin');
    branch = await nodeId(admin, '演示党支部1');
    // Members whose values each operator tells apart.
    const docs = [
      memberData(branch, { education: '21', birthDate: '1980-06-15', gender: '2', workUnit: '北京测试科技有限公司', floating: true, floatDestination: '上海' }),
      memberData(branch, { education: '31', birthDate: '1980-06-16', gender: '1', workUnit: '北京市某局' }),
      memberData(branch, { education: '11', birthDate: '1990-01-01', gender: '2' }),
      memberData(branch, { education: '21', birthDate: '1960-02-29', gender: '1', title: undefined }),
    ];
    for (const d of docs) expect((await admin.post('/api/records/member', d)).status).toBe(201);
    const list = await admin.get(`/api/records/member?node=${branch}&deep=1&limit=500`);
    all = list.body.items;
    expect(all.length).toBeGreaterThanOrEqual(4);
  });
  afterAll(async () => { await s.stop(); });

  it('names the fields by their titles, with their kinds and codes', async () => {
    const res = await admin.get('/api/query/member/fields');
    expect(res.status).toBe(200);
    const edu = res.body.fields.find((f: any) => f.name === 'education');
    expect(edu).toMatchObject({ title: '最高学历', kind: 'code' });
    expect(edu.codes.find((c: any) => c.code === '21')).toMatchObject({ label: '大学本科毕业', parent: '20' });
    expect(res.body.fields.find((f: any) => f.name === 'birthDate').kind).toBe('date');
  });

  it('a code includes its sub-codes (学历「大学本科教育」: 本科毕业, 结业 …)', async () => {
    const got = await ids({ field: 'education', op: 'in', values: ['20'] });
    expect(got).toEqual(expected((d) => ['20', '21', '22', '23', '28'].includes(d.education) || String(d.education).startsWith('2')));
    expect(got.length).toBeGreaterThanOrEqual(2);
    expect(await ids({ field: 'education', op: 'in', values: ['21'] })).toEqual(expected((d) => d.education === '21'));
  });

  it('dates by range, text contains and equals, empty and not empty, yes/no', async () => {
    expect(await ids({ field: 'birthDate', op: 'between', from: '1980-01-01', to: '1980-06-15' })).toEqual(expected((d) => d.birthDate >= '1980-01-01' && d.birthDate <= '1980-06-15'));
    expect(await ids({ field: 'workUnit', op: 'contains', value: '测试' })).toEqual(expected((d) => String(d.workUnit ?? '').includes('测试')));
    expect(await ids({ field: 'workUnit', op: 'equals', value: '北京市某局' })).toEqual(expected((d) => d.workUnit === '北京市某局'));
    expect(await ids({ field: 'workUnit', op: 'empty' })).toEqual(expected((d) => !d.workUnit));
    expect(await ids({ field: 'workUnit', op: 'notEmpty' })).toEqual(expected((d) => !!d.workUnit));
    expect(await ids({ field: 'floating', op: 'equals', value: true })).toEqual(expected((d) => d.floating === true));
  });

  it('an age at a reference date: a birthday on the day counts, the day after does not', async () => {
    // At 2020-06-15 the member born 1980-06-15 is 40, the one born 1980-06-16 still 39.
    const forty = await ids({ field: 'birthDate', op: 'age', at: '2020-06-15', min: 40, max: 40 });
    expect(forty).toEqual(expected((d) => d.birthDate > '1979-06-15' && d.birthDate <= '1980-06-15'));
    expect(forty).toContain(all.find((r) => r.data.birthDate === '1980-06-15').id);
    expect(forty).not.toContain(all.find((r) => r.data.birthDate === '1980-06-16').id);
    // Born on 29 February: 60 on 2020-02-29, not yet 61 on 2021-02-28.
    const leap = all.find((r) => r.data.birthDate === '1960-02-29').id;
    expect(await ids({ field: 'birthDate', op: 'age', at: '2020-02-29', min: 60, max: 60 })).toContain(leap);
    expect(await ids({ field: 'birthDate', op: 'age', at: '2021-02-28', min: 61 })).not.toContain(leap);
  });

  it('且 / 或 groups combine conditions', async () => {
    const where = { op: 'or', items: [
      { op: 'and', items: [{ field: 'gender', op: 'in', values: ['2'] }, { field: 'education', op: 'in', values: ['10'] }] },
      { field: 'workUnit', op: 'equals', value: '北京市某局' },
    ] };
    expect(await ids(where)).toEqual(expected((d) => (d.gender === '2' && String(d.education).startsWith('1')) || d.workUnit === '北京市某局'));
  });

  it('chosen columns, sorting, paging and the count', async () => {
    const first = await run(admin, { node: branch, columns: ['name', 'birthDate', 'orgId'], sort: { field: 'birthDate', desc: true }, limit: 2 });
    expect(first.body.columns.map((c: any) => c.title)).toEqual(['姓名', '出生日期', '所在支部']);
    const dates = all.map((r) => r.data.birthDate).sort().reverse();
    expect(first.body.items.map((r: any) => r.data.birthDate)).toEqual(dates.slice(0, 2));
    expect(Object.keys(first.body.items[0].data).sort()).toEqual(['birthDate', 'name', 'orgId']);
    expect(first.body.items[0].labels.orgId).toBe('演示党支部1');
    expect(first.body.more).toBe(all.length > 2);
    const second = await run(admin, { node: branch, sort: { field: 'birthDate', desc: true }, limit: 2, offset: 2, columns: ['birthDate'] });
    expect(second.body.items.map((r: any) => r.data.birthDate)).toEqual(dates.slice(2, 4));
    const count = await admin.post('/api/query/member/count', { node: branch, where: { field: 'gender', op: 'in', values: ['2'] } });
    expect(count.body.total).toBe(expected((d) => d.gender === '2').length);
  });

  it('is scoped like the lists: a branch admin finds only their branch, outside is not found, members have no query', async () => {
    const pdl = await s.login('pdl_admin');
    const own = await run(pdl, { limit: 500 });
    expect(own.status).toBe(200);
    const list = await pdl.get('/api/records/member?limit=500');
    expect(own.body.items.map((r: any) => r.id).sort()).toEqual(list.body.items.map((r: any) => r.id).sort());
    expect(own.body.items.map((r: any) => r.id)).not.toContain(all[0].id);
    const outside = await run(pdl, { node: branch });
    expect(outside.status).toBe(404);
    expect(outside.body.error.message).toContain('不存在或无权访问');
    const member = await s.login('pandongliang');
    const refused = await run(member, {});
    expect(refused.status).toBe(403);
    expect(refused.body.error.message).toMatch(/[\u4e00-\u9fa5]/);
  });

  it('bad input: 4xx in Chinese naming the field, with the pointer', async () => {
    const cases: [unknown, number, string, string][] = [
      [{ field: 'nosuch', op: 'in', values: ['1'] }, 422, '/where/field', '没有名为「nosuch」的查询字段'],
      [{ field: 'birthDate', op: 'contains', value: '19' }, 422, '/where/op', '「出生日期」不能使用「包含」条件'],
      [{ field: 'birthDate', op: 'between', from: '2020-02-30' }, 422, '/where/from', '「出生日期」的起始日期「2020-02-30」不是有效日期'],
      [{ op: 'and', items: [{ field: 'education', op: 'in', values: ['99x'] }] }, 422, '/where/items/0/values', '「最高学历」没有代码「99x」'],
      [{ field: 'birthDate', op: 'age', at: 'yesterday', min: 3 }, 422, '/where/at', '不是有效日期'],
    ];
    for (const [where, status, path, message] of cases) {
      const res = await run(admin, { node: branch, where });
      expect(res.status, JSON.stringify(res.body)).toBe(status);
      expect(res.body.error.details[0].path).toBe(path);
      expect(res.body.error.message).toContain(message);
    }
    let deep: any = { field: 'gender', op: 'in', values: ['1'] };
    for (let i = 0; i < 50; i++) deep = { op: 'and', items: [deep] };
    const tooDeep = await run(admin, { node: branch, where: deep });
    expect(tooDeep.status).toBe(400);
    expect(tooDeep.body.error.message).toContain('最多嵌套 5 层');
    const badColumn = await run(admin, { node: branch, columns: ['nosuch'] });
    expect(badColumn.status).toBe(422);
  });

  it('saves queries per user, shared within a subtree, deleted only by their owner', async () => {
    const root = await nodeId(admin, '中共北京市委');
    const spec = { where: { field: 'gender', op: 'in', values: ['2'] }, columns: ['name'] };
    const mine = await admin.post('/api/query/saved/member', { name: '女党员', kind: 'query', spec });
    expect(mine.status).toBe(201);
    const shared = await admin.post('/api/query/saved/member', { name: '全市共享', kind: 'query', spec, node: root, shared: true });
    expect(shared.status).toBe(201);
    const own = await admin.get('/api/query/saved/member');
    expect(own.body.items.map((q: any) => q.name).sort()).toEqual(['全市共享', '女党员']);
    const ft = await s.login('ft_admin');
    const seen = await ft.get('/api/query/saved/member');
    expect(seen.body.items.map((q: any) => q.name)).toEqual(['全市共享']);
    expect(seen.body.items[0]).toMatchObject({ mine: false, shared: true, spec });
    expect((await ft.delete(`/api/query/saved/member/${shared.body.id}`)).status).toBe(404);
    const bad = await admin.post('/api/query/saved/member', { name: '坏', kind: 'query', spec: { where: { field: 'nosuch', op: 'empty' } } });
    expect(bad.status).toBe(422);
    expect((await admin.delete(`/api/query/saved/member/${mine.body.id}`)).status).toBe(204);
    expect((await admin.get('/api/query/saved/member')).body.items.map((q: any) => q.name)).toEqual(['全市共享']);
  });

  it('exports the result as a workbook: titles, labels, every matching row', async () => {
    const spec = { node: branch, where: { field: 'education', op: 'in', values: ['20'] }, columns: ['name', 'education', 'orgId', 'floating'] };
    const res = await fetch(`${s.url}/api/query/member/export.xlsx?spec=${encodeURIComponent(JSON.stringify(spec))}`, { headers: { cookie: admin.cookie } });
    expect(res.status).toBe(200);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(Buffer.from(await res.arrayBuffer()) as any);
    const sheet = wb.worksheets[0];
    expect(sheet.getRow(1).values).toEqual([undefined, '姓名', '最高学历', '所在支部', '是否为流动党员']);
    const hits = expected((d) => String(d.education).startsWith('2'));
    expect(sheet.rowCount - 1).toBe(hits.length);
    const labels = new Set<string>();
    sheet.eachRow((row, i) => { if (i > 1) labels.add(String(row.getCell(2).value)); });
    expect([...labels].every((l) => l.startsWith('大学本科'))).toBe(true);
    expect(sheet.getRow(2).getCell(3).value).toBe('演示党支部1');
    const outside = await fetch(`${s.url}/api/query/member/export.xlsx?spec=${encodeURIComponent(JSON.stringify(spec))}`, { headers: { cookie: (await s.login('pdl_admin')).cookie } });
    expect(outside.status).toBe(404);
  });
});
