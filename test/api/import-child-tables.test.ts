import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import ExcelJS from 'exceljs';
import { startTestServer, type TestServer } from '../helpers/server.js';
import type { Client } from '../helpers/client.js';
import { nodeId } from '../helpers/demo.js';

const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
const SHEET = '家庭主要成员及社会关系';

/** 批量维护 of a child table (家庭主要成员及社会关系) through the real server: its own sheet, keyed by 身份证号码. */
describe('bulk import and export of child tables', () => {
  let s: TestServer;
  let admin: Client;
  let tnl: string;
  const members = new Map<string, any>();

  const family = (n: number) => Array.from({ length: n }, (_, i) => ({
    name: `亲属${i + 1}`, relation: i === 0 ? '10' : '20', politicalStatus: '13', birthDate: `19${70 + i}-0${1 + i}-15`, workUnit: `单位${i + 1}`,
  }));

  beforeAll(async () => {
    s = await startTestServer();
    admin = await s.login('ft_admin');
    tnl = await nodeId(admin, '丰台区太平桥街道太南里社区党委');
    // Two members of the subtree get tables of 2 and 3 rows; the rest have none.
    const list = (await admin.get(`/api/records/member?node=${tnl}&deep=1&limit=200`)).body.items;
    for (const [i, name] of [[2, '赵敏'], [3, list.find((r: any) => r.data.name !== '赵敏').data.name]] as const) {
      const r = list.find((x: any) => x.data.name === name);
      const saved = await admin.put(`/api/records/member/${r.id}`, { ...r.data, family: family(i) }, r.version);
      expect(saved.status, JSON.stringify(saved.body)).toBe(200);
      members.set(name, saved.body);
    }
  });
  afterAll(async () => { await s.stop(); });

  const raw = (method: string, path: string, body?: Buffer) =>
    fetch(s.url + path, { method, body: body as BodyInit | undefined, headers: { cookie: admin.cookie, 'x-csrf-token': admin.csrf, ...(body ? { 'content-type': XLSX } : {}) } });
  const preview = async (file: Buffer) => {
    const res = await raw('POST', '/api/import/member/preview?filename=t.xlsx', file);
    return { status: res.status, body: (await res.json()) as any };
  };
  const load = async (buf: ArrayBuffer | Buffer) => { const wb = new ExcelJS.Workbook(); await wb.xlsx.load(buf as ArrayBuffer); return wb; };
  const titlesOf = (ws: ExcelJS.Worksheet) => (ws.getRow(1).values as unknown[]).slice(1).map(String);
  const exported = async () => Buffer.from(await (await raw('GET', `/api/import/member/export.xlsx?node=${tnl}&deep=1`)).arrayBuffer());
  const stored = async (id: string) => (await admin.get(`/api/records/member/${id}`)).body;

  it('template: a sheet per child table named by its title, the parent key first, its columns by title, code dropdowns', async () => {
    const wb = await load(await (await raw('GET', '/api/import/member/template.xlsx')).arrayBuffer());
    const ws = wb.getWorksheet(SHEET)!;
    expect(ws).toBeTruthy();
    expect(titlesOf(ws)).toEqual(['身份证号码', '姓名', '与该人关系', '政治面貌', '出生日期', '工作单位及职务', '工作单位地址', '家庭住址']);
    // The note states what a missing line means: the table of a record on the main sheet is cleared.
    expect(String(ws.getRow(1).getCell(1).note)).toMatch(/本表中没有其行的，导入后该表清空/);
    const relation = ws.getRow(2).getCell(3).dataValidation;
    expect(relation.type).toBe('list');
    const codes = wb.getWorksheet('代码')!;
    const range = String(relation.formulae![0]);
    const letter = /\$([A-Z]+)\$2/.exec(range)![1];
    const listed: string[] = [];
    codes.getColumn(letter).eachCell((c) => listed.push(String(c.value)));
    expect(listed).toContain('配偶（10）');
    expect(ws.getRow(2).getCell(4).dataValidation.type).toBe('list');
  });

  it('export writes the rows on the child sheet; uploaded untouched nothing changes; one edited cell changes that record alone', async () => {
    const file = await exported();
    const wb = await load(file);
    const ws = wb.getWorksheet(SHEET)!;
    const zhao = members.get('赵敏');
    const lines = ws.getRows(2, ws.rowCount - 1)!.filter((r) => r.getCell(1).value === zhao.data.idNumber);
    expect(lines.map((r) => r.getCell(2).value)).toEqual(['亲属1', '亲属2']);
    expect(lines[0].getCell(3).value).toBe('配偶（10）');
    expect(lines[1].getCell(5).value).toBe('1971-02-15');
    const list = (await admin.get(`/api/records/member?node=${tnl}&deep=1&limit=200`)).body.items;
    expect(ws.rowCount - 1).toBe(list.reduce((n: number, r: any) => n + (r.data.family?.length ?? 0), 0));

    const same = await preview(file);
    expect(same.status).toBe(200);
    expect(same.body.counts.changed + same.body.counts.new + same.body.counts.invalid).toBe(0);
    expect(same.body.ignoredColumns).toEqual([]);

    // 赵敏's second relative gets another work unit: that record changes, in that row's cell only.
    lines[1].getCell(6).value = '新单位';
    const edited = await preview(Buffer.from(await wb.xlsx.writeBuffer()));
    expect(edited.body.counts.changed).toBe(1);
    expect(edited.body.counts.invalid).toBe(0);
    const changed = edited.body.rows.find((r: any) => r.action === 'changed');
    expect(changed.title).toBe('赵敏');
    expect(Object.keys(changed.changes)).toEqual(['family']);
    const done = await admin.post('/api/import/member/commit', { previewId: edited.body.id });
    expect(done.status, JSON.stringify(done.body)).toBe(200);
    const after = await stored(zhao.id);
    expect(after.data.family).toEqual([zhao.data.family[0], { ...zhao.data.family[1], workUnit: '新单位' }]);
    const other = [...members.values()].find((m) => m.id !== zhao.id);
    expect((await stored(other.id)).version).toBe(other.version);
  });

  it('a record on the main sheet takes exactly its lines: none clears its table; a child sheet alone updates a stored record', async () => {
    const wb = await load(await exported());
    const ws = wb.getWorksheet(SHEET)!;
    const other = [...members.values()].find((m) => m.data.name !== '赵敏');
    // Remove the other member's lines: its table is cleared.
    const width = titlesOf(ws).length;
    const lines = ws.getRows(2, ws.rowCount - 1)!.map((r) => Array.from({ length: width }, (_, i) => r.getCell(i + 1).value));
    const keep = lines.filter((v) => v[0] !== other.data.idNumber);
    expect(keep.length).toBe(lines.length - 3);
    lines.forEach((_, i) => { for (let n = 1; n <= width; n++) ws.getRow(i + 2).getCell(n).value = keep[i]?.[n - 1] ?? null; });
    const cleared = await preview(Buffer.from(await wb.xlsx.writeBuffer()));
    const row = cleared.body.rows.find((r: any) => r.action === 'changed');
    expect(cleared.body.counts.changed).toBe(1);
    expect(row).toMatchObject({ id: other.id });
    expect(Object.keys(row.changes)).toEqual(['family']);
    const commitCleared = await admin.post('/api/import/member/commit', { previewId: cleared.body.id });
    expect(commitCleared.status, JSON.stringify(commitCleared.body)).toBe(200);
    expect((await stored(other.id)).data.family).toBeUndefined();

    // Only the child sheet (the template's main sheet has no rows): a line for a stored member updates it.
    const blank = await load(await (await raw('GET', '/api/import/member/template.xlsx')).arrayBuffer());
    blank.getWorksheet(SHEET)!.getRow(2).values = [other.data.idNumber, '新亲属', '配偶（10）'];
    const alone = await preview(Buffer.from(await blank.xlsx.writeBuffer()));
    expect(alone.body.counts, JSON.stringify(alone.body.rows)).toEqual({ new: 0, changed: 1, unchanged: 0, invalid: 0 });
    expect(alone.body.rows[0]).toMatchObject({ sheet: SHEET, row: 2, id: other.id });
    expect((await admin.post('/api/import/member/commit', { previewId: alone.body.id })).status).toBe(200);
    const after = await stored(other.id);
    expect(after.data.family).toEqual([{ name: '新亲属', relation: '10' }]);
    expect(after.data.name).toBe(other.data.name);
  });

  it('preview errors name sheet and line; the error workbook marks the cells on the child sheet', async () => {
    const wb = await load(await exported());
    const ws = wb.getWorksheet(SHEET)!;
    const zhao = members.get('赵敏');
    const zhaoLine = ws.getRows(2, ws.rowCount - 1)!.find((r) => r.getCell(1).value === zhao.data.idNumber)!.number;
    ws.getRow(zhaoLine).getCell(5).value = '2999-01-01'; // a future birth date
    const orphanLine = ws.rowCount + 1;
    ws.getRow(orphanLine).values = ['110105199001011234', '无主', '配偶（10）'];
    const res = await preview(Buffer.from(await wb.xlsx.writeBuffer()));
    expect(res.status).toBe(200);
    expect(res.body.counts.invalid).toBe(2);
    const bad = res.body.rows.find((r: any) => r.action === 'invalid' && !r.sheet);
    expect(bad.title).toBe('赵敏');
    const dateErr = bad.errors.find((e: any) => e.path === '/family/0/birthDate');
    expect(dateErr).toMatchObject({ sheet: SHEET, line: zhaoLine, column: 4 });
    expect(dateErr.message).toContain(`工作表「${SHEET}」第 ${zhaoLine} 行`);
    const orphan = res.body.rows.find((r: any) => r.sheet === SHEET);
    expect(orphan).toMatchObject({ row: orphanLine, action: 'invalid' });
    expect(orphan.errors[0].message).toMatch(new RegExp(`工作表「${SHEET}」第 ${orphanLine} 行.*“110105199001011234”在主表中没有`));

    const errors = await load(await (await raw('GET', res.body.errorsFile)).arrayBuffer());
    const ews = errors.getWorksheet(SHEET)!;
    const errCol = titlesOf(ews).indexOf('错误信息') + 1;
    expect(errCol).toBeGreaterThan(0);
    const cell = ews.getRow(zhaoLine).getCell(5);
    expect(String(cell.note)).toContain('出生日期');
    expect((cell.fill as ExcelJS.FillPattern).fgColor?.argb).toBe('FFFFC7CE');
    expect(String(ews.getRow(orphanLine).getCell(errCol).value)).toContain('在主表中没有');
    expect(ews.getRow(zhaoLine + 1).getCell(errCol).value ?? null).toBe(null);
    // The main sheet's row lists the child error too.
    const main = errors.worksheets[0];
    const mainErr = titlesOf(main).indexOf('错误信息') + 1;
    const zhaoMain = main.getRows(2, main.rowCount - 1)!.find((r) => r.getCell(titlesOf(main).indexOf('姓名') + 1).value === '赵敏')!;
    expect(String(zhaoMain.getCell(mainErr).value)).toContain(SHEET);
  });

  it('a formula-looking cell on the child sheet goes out quote-prefixed', async () => {
    const zhao = await stored(members.get('赵敏').id);
    const saved = await admin.put(`/api/records/member/${zhao.id}`, { ...zhao.data, family: [{ ...zhao.data.family[0], workUnit: '=HYPERLINK("x")' }] }, zhao.version);
    expect(saved.status, JSON.stringify(saved.body)).toBe(200);
    const file = await exported();
    const wb = await load(file);
    const ws = wb.getWorksheet(SHEET)!;
    const line = ws.getRows(2, ws.rowCount - 1)!.find((r) => r.getCell(1).value === zhao.data.idNumber)!;
    expect(line.getCell(6).value).toBe('=HYPERLINK("x")');
    expect(line.getCell(6).type).toBe(ExcelJS.ValueType.String);
    const same = await preview(file);
    expect(same.body.counts.changed).toBe(0);
  });
});
