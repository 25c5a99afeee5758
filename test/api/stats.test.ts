import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import ExcelJS from 'exceljs';
import { startTestServer, type TestServer } from '../helpers/server.js';
import type { Client } from '../helpers/client.js';
import { nodeId } from '../helpers/demo.js';
import { fixtureApp } from '../helpers/paths.js';

/**
 * 统计: grouped counts and cross-tabs against the counts of the lists the same user reads, by
 * sub-organization, by age band and year, the workbook, scope and bad input.
 */
describe('statistics', () => {
  let s: TestServer;
  let admin: Client;
  let root: string;
  let members: any[];
  const stats = (c: Client, body: unknown) => c.post('/api/stats/member', body);
  const count = (pred: (d: any) => boolean) => members.filter((r) => pred(r.data)).length;

  beforeAll(async () => {
    s = await startTestServer();
    admin = await s.login('bj_admin');
    root = await nodeId(admin, '中共北京市委');
    members = (await admin.get(`/api/records/member?node=${root}&deep=1&limit=500`)).body.items;
    expect(members.length).toBeGreaterThan(10);
  });
  afterAll(async () => { await s.stop(); });

  it('counts by one code field: each row agrees with the list, the total with the list total', async () => {
    const res = await stats(admin, { node: root, rows: { by: 'code', field: 'gender' } });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body.rowTitle).toBe('性别');
    const byLabel = Object.fromEntries(res.body.rows.map((r: any, i: number) => [r.label, res.body.cells[i][0]]));
    expect(byLabel['男']).toBe(count((d) => d.gender === '1'));
    expect(byLabel['女']).toBe(count((d) => d.gender === '2'));
    expect(res.body.total).toBe(members.length);
  });

  it('a cross-tab of two code fields: cells, row and column totals agree with the list', async () => {
    const res = await stats(admin, { node: root, rows: { by: 'top', field: 'education' }, cols: { by: 'code', field: 'gender' } });
    expect(res.status).toBe(200);
    const t = res.body;
    expect(t.total).toBe(members.length);
    expect(t.rowTotals.reduce((a: number, b: number) => a + b, 0)).toBe(members.length);
    expect(t.colTotals.reduce((a: number, b: number) => a + b, 0)).toBe(members.length);
    // Rolled up to the table's top level: 大学本科教育 holds 本科毕业 (21) and its siblings.
    const ug = t.rows.findIndex((r: any) => r.key === '20');
    const female = t.cols.findIndex((c: any) => c.key === '2');
    expect(ug).toBeGreaterThanOrEqual(0);
    expect(t.rows[ug].label).toBe('大学本科教育');
    expect(t.cells[ug][female]).toBe(count((d) => String(d.education).startsWith('2') && d.gender === '2'));
    // The same cell through the query builder's count.
    const q = await admin.post('/api/query/member/count', { node: root, where: { op: 'and', items: [{ field: 'education', op: 'in', values: ['20'] }, { field: 'gender', op: 'in', values: ['2'] }] } });
    expect(q.body.total).toBe(t.cells[ug][female]);
  });

  it('one row per sub-organization, agreeing with each child list', async () => {
    const res = await stats(admin, { node: root, rows: { by: 'children' }, cols: { by: 'code', field: 'gender' } });
    expect(res.status).toBe(200);
    const tree = await admin.get(`/api/tree/${root}`);
    const children = tree.body.children;
    expect(res.body.rows.filter((r: any) => r.key !== '').map((r: any) => r.label)).toEqual(children.map((c: any) => c.label));
    for (const child of children) {
      const i = res.body.rows.findIndex((r: any) => r.key === child.id);
      const list = await admin.get(`/api/records/member?node=${child.id}&deep=1&limit=1`);
      expect(res.body.rowTotals[i], child.label).toBe(list.body.total);
    }
    expect(res.body.total).toBe(members.length);
  });

  it('by age band at a reference date and by year of a date field', async () => {
    const at = '2024-07-01';
    const res = await stats(admin, { node: root, rows: { by: 'age', field: 'birthDate', at, edges: [41, 51, 61] } });
    expect(res.status).toBe(200);
    expect(res.body.rows.map((r: any) => r.label).slice(0, 4)).toEqual(['40岁及以下', '41—50岁', '51—60岁', '61岁及以上']);
    const age = (b: string) => Number(at.slice(0, 4)) - Number(b.slice(0, 4)) - (at.slice(5) < b.slice(5) ? 1 : 0);
    const bands = [(a: number) => a <= 40, (a: number) => a >= 41 && a <= 50, (a: number) => a >= 51 && a <= 60, (a: number) => a >= 61];
    bands.forEach((inBand, i) => expect(res.body.cells[i][0]).toBe(count((d) => !!d.birthDate && inBand(age(d.birthDate)))));
    const years = await stats(admin, { node: root, rows: { by: 'year', field: 'joinDate' } });
    const y = years.body.rows.findIndex((r: any) => r.key === '2010');
    expect(years.body.cells[y]?.[0] ?? 0).toBe(count((d) => String(d.joinDate ?? '').startsWith('2010')));
  });

  it('conditions narrow a statistic; the scope is the user’s', async () => {
    const res = await stats(admin, { node: root, rows: { by: 'code', field: 'gender' }, where: { field: 'birthDate', op: 'between', to: '1969-12-31' } });
    expect(res.body.total).toBe(count((d) => d.birthDate && d.birthDate <= '1969-12-31'));
    const pdl = await s.login('pdl_admin');
    const own = await stats(pdl, { rows: { by: 'code', field: 'gender' } });
    expect(own.status).toBe(200);
    expect(own.body.total).toBe((await pdl.get('/api/records/member?limit=1')).body.total);
    expect((await stats(pdl, { node: root, rows: { by: 'code', field: 'gender' } })).status).toBe(404);
    expect((await stats(await s.login('pandongliang'), { rows: { by: 'code', field: 'gender' } })).status).toBe(403);
  });

  it('bad input is refused in Chinese with the pointer', async () => {
    const cases: [unknown, string, string][] = [
      [{ rows: { by: 'code', field: 'nosuch' } }, '/rows/field', '没有名为「nosuch」的统计字段'],
      [{ rows: { by: 'code', field: 'birthDate' } }, '/rows/by', '「出生日期」不是代码字段'],
      [{ rows: { by: 'age', field: 'birthDate', at: '2024-13-01' } }, '/rows/at', '不是有效日期'],
      [{ rows: { by: 'code', field: 'gender' }, where: { field: 'gender', op: 'contains', value: '1' } }, '/where/op', '「性别」不能使用「包含」条件'],
    ];
    for (const [body, path, message] of cases) {
      const res = await stats(admin, { node: root, ...(body as object) });
      expect(res.status, JSON.stringify(res.body)).toBe(422);
      expect(res.body.error.details[0].path).toBe(path);
      expect(res.body.error.message).toContain(message);
    }
  });

  it('exports the table with shares and totals', async () => {
    const spec = { node: root, rows: { by: 'code', field: 'gender' } };
    const res = await fetch(`${s.url}/api/stats/member/export.xlsx?spec=${encodeURIComponent(JSON.stringify(spec))}`, { headers: { cookie: admin.cookie } });
    expect(res.status).toBe(200);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(Buffer.from(await res.arrayBuffer()) as any);
    const sheet = wb.worksheets[0];
    expect(sheet.getRow(2).values).toEqual([undefined, '性别', '人数', '占比']);
    const last = sheet.getRow(sheet.rowCount);
    expect(last.getCell(1).value).toBe('合计');
    expect(last.getCell(2).value).toBe(members.length);
    const male = count((d) => d.gender === '1');
    const row = [...Array(sheet.rowCount).keys()].map((i) => sheet.getRow(i + 1)).find((r) => r.getCell(1).value === '男')!;
    expect(row.getCell(2).value).toBe(male);
    expect(row.getCell(3).value).toBeCloseTo(male / members.length, 6);
  });
});

describe('statistics on another application (leave requests)', () => {
  let s: TestServer;
  beforeAll(async () => { s = await startTestServer(fixtureApp); });
  afterAll(async () => { await s.stop(); });

  it('groups leave requests by their code field, within the manager’s department', async () => {
    const mgr = await s.login('sales_mgr');
    const fields = await mgr.get('/api/query/leave/fields');
    expect(fields.body.fields.find((f: any) => f.name === 'kind')).toMatchObject({ title: '假别', kind: 'code' });
    const res = await mgr.post('/api/stats/leave', { rows: { by: 'code', field: 'kind' } });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    const list = await mgr.get('/api/records/leave?limit=500');
    expect(res.body.total).toBe(list.body.total);
    const q = await mgr.post('/api/query/leave', { where: { field: 'from', op: 'between', from: '2000-01-01' }, columns: ['employee', 'kind'] });
    expect(q.status).toBe(200);
    expect(q.body.columns.map((c: any) => c.title)).toEqual(['员工姓名', '假别']);
  });
});
