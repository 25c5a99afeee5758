/**
 * A child table as a column of 查询: its rows in words — each row's filled cells by the form's
 * column titles, code values by their labels, rows joined by 「；」 — in the query's answer and in
 * the exported workbook alike (the cell wraps); an empty table is an empty cell. A child table is
 * no sort key: sorting by one is refused with a message naming it.
 */
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import ExcelJS from 'exceljs';
import { startTestServer, type TestServer } from '../helpers/server.js';
import type { Client } from '../helpers/client.js';
import { nodeId } from '../helpers/demo.js';

describe('query: a child table as a column', () => {
  let s: TestServer;
  let admin: Client;
  let root: string;
  // 潘东亮 has three family rows in the demo (李娜 妻, 潘建华 父亲, 潘子涵 独生子), 演示九 none.
  const where = { op: 'or', items: [{ field: 'name', op: 'equals', value: '潘东亮' }, { field: 'name', op: 'equals', value: '演示九' }] };
  const columns = ['name', 'family'];

  beforeAll(async () => {
    s = await startTestServer();
    admin = await s.login('bj_admin');
    root = await nodeId(admin, '中共北京市委');
  }, 60_000);
  afterAll(() => s?.stop());

  /** What the family rows should read as, built from the fields answer's codes (labels, not codes). */
  async function expectedWords(rows: Record<string, string>[]): Promise<string> {
    const family = (await admin.get('/api/query/member/fields')).body.fields.find((f: any) => f.name === 'family');
    const label = (col: string, code: string) => family.columns.find((c: any) => c.name === col).codes.find((c: any) => c.code === code).label;
    return rows.map((r) => [`姓名 ${r.name}`, `与该人关系 ${label('relation', r.relation)}`, ...(r.politicalStatus ? [`政治面貌 ${label('politicalStatus', r.politicalStatus)}`] : []),
      ...(r.birthDate ? [`出生日期 ${r.birthDate}`] : []), ...(r.workUnit ? [`工作单位及职务 ${r.workUnit}`] : []),
      ...(r.workUnitAddress ? [`工作单位地址 ${r.workUnitAddress}`] : []), ...(r.homeAddress ? [`家庭住址 ${r.homeAddress}`] : [])].join('、')).join('；\n');
  }

  it('answers and exports the rows in words with code labels, an empty table as empty', async () => {
    const res = await admin.post('/api/query/member', { node: root, where, columns });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    const byName = (n: string) => res.body.items.find((r: any) => r.data.name === n);
    const pan = byName('潘东亮'), demo9 = byName('演示九');
    expect(demo9.data.family ?? []).toEqual([]);
    const words = await expectedWords(pan.data.family);
    expect(words).toContain('姓名 李娜、与该人关系 妻、政治面貌 中共党员、出生日期 1989-03-14');
    expect(words).toContain('；\n姓名 潘建华、与该人关系 父亲、政治面貌 群众');
    expect(pan.labels.family).toBe(words);
    expect(demo9.labels.family ?? '').toBe('');

    const spec = { node: root, where, columns };
    const file = await fetch(`${s.url}/api/query/member/export.xlsx?spec=${encodeURIComponent(JSON.stringify(spec))}`, { headers: { cookie: admin.cookie } });
    expect(file.status).toBe(200);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(Buffer.from(await file.arrayBuffer()) as any);
    const sheet = wb.worksheets[0];
    expect(sheet.getRow(1).values).toEqual([undefined, '姓名', '家庭主要成员及社会关系']);
    const rowOf = (n: string) => [2, 3].map((i) => sheet.getRow(i)).find((r) => r.getCell(1).value === n)!;
    expect(sheet.rowCount).toBe(3);
    const cell = rowOf('潘东亮').getCell(2);
    expect(cell.value).toBe(words);
    expect(String(cell.value)).not.toContain('"relation"');
    expect(cell.alignment?.wrapText).toBe(true);
    expect(rowOf('演示九').getCell(2).value ?? '').toBe('');
  });

  it('refuses to sort by a child table, naming it', async () => {
    const res = await admin.post('/api/query/member', { node: root, where, columns, sort: { field: 'family' } });
    expect(res.status).toBe(422);
    expect(res.body.error.details[0].path).toBe('/sort/field');
    expect(res.body.error.details[0].message).toContain('「家庭主要成员及社会关系」');
    const file = await fetch(`${s.url}/api/query/member/export.xlsx?spec=${encodeURIComponent(JSON.stringify({ node: root, where, columns, sort: { field: 'family', desc: true } }))}`, { headers: { cookie: admin.cookie } });
    expect(file.status).toBe(422);
  });
});
