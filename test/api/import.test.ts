import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import ExcelJS from 'exceljs';
import { startTestServer, type TestServer } from '../helpers/server.js';
import type { Client } from '../helpers/client.js';
import { memberData, nodeId } from '../helpers/demo.js';

const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

/** 批量维护 through the real server: template, preview, commit, error workbook, log, progress. */
describe('bulk import of members', () => {
  let s: TestServer;
  let admin: Client;
  let huimin: string;
  const HUIMIN = '中共北京市丰台区太平桥街道太南里社区惠民支部委员会';

  beforeAll(async () => {
    s = await startTestServer();
    admin = await s.login('ft_admin');
    huimin = await nodeId(admin, '惠民党支部');
  });
  afterAll(async () => { await s.stop(); });

  const raw = async (method: string, path: string, body?: Buffer | string, type?: string) => {
    const res = await fetch(s.url + path, {
      method, body: body as BodyInit | undefined, headers: { cookie: admin.cookie, 'x-csrf-token': admin.csrf, ...(type ? { 'content-type': type } : {}) },
    });
    return res;
  };
  const preview = async (file: Buffer | string, type: string, query = '') => {
    const res = await raw('POST', `/api/import/member/preview?filename=test${query}`, file, type);
    return { status: res.status, body: (await res.json()) as any };
  };
  const commit = (previewId: string) => admin.post('/api/import/member/commit', { previewId });
  const count = () => s.engine.storage.records.count(s.engine.storage.db, { collection: 'member' });

  /** The template with rows filled in by column title. */
  async function workbook(rows: Record<string, string | number | Date>[]): Promise<Buffer> {
    const res = await raw('GET', '/api/import/member/template.xlsx');
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(await res.arrayBuffer());
    const sheet = wb.worksheets[0];
    const cols = new Map<string, number>();
    sheet.getRow(1).eachCell((cell, n) => cols.set(String(cell.value), n));
    rows.forEach((r, i) => {
      for (const [title, v] of Object.entries(r)) sheet.getRow(i + 2).getCell(cols.get(title)!).value = v;
    });
    return Buffer.from(await wb.xlsx.writeBuffer());
  }

  /** A complete member row as a person fills in the template. */
  function row(over: Record<string, unknown> = {}) {
    const d = memberData('x', over);
    return {
      所在支部: HUIMIN, 姓名: String(d.name), 性别: d.gender === '1' ? '男（1）' : '女（2）', 民族: '汉族（01）', 出生日期: String(d.birthDate),
      身份证号码: String(d.idNumber), 最高学历: '21', 工作岗位: '0111', 党员类型: '中共党员（正式党员）（1）', 入党日期: '2010-07-01', 转正日期: '2011-07-01',
      党籍状态: '9001', 是否为失联党员: '否', 是否为流动党员: '否', 手机号码: '13800138000', 家庭住址: '北京市丰台区测试路1号',
    } as Record<string, string | number | Date>;
  }

  it('template: the titles, essential marks, notes, dropdown lists of codes and of the writable nodes', async () => {
    const res = await raw('GET', '/api/import/member/template.xlsx');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe(XLSX);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(await res.arrayBuffer());
    const sheet = wb.worksheets[0];
    const titles: string[] = [];
    sheet.getRow(1).eachCell((c) => titles.push(String(c.value)));
    expect(titles.slice(0, 4)).toEqual(['所在支部', '姓名', '性别', '民族']);
    expect(titles).toContain('身份证号码');
    const id = sheet.getRow(1).getCell(titles.indexOf('身份证号码') + 1);
    expect(String(id.note)).toMatch(/18位公民身份号码/);
    expect(id.font?.color?.argb).toBe('FFC00000');
    const nation = sheet.getRow(2).getCell(titles.indexOf('民族') + 1).dataValidation;
    expect(nation.type).toBe('list');
    const codes = wb.getWorksheet('代码')!;
    expect(codes.state).toBe('veryHidden');
    const listed: string[] = [];
    codes.eachRow((r) => r.eachCell((c) => listed.push(String(c.value))));
    expect(listed).toContain('汉族（01）');
    expect(listed).not.toContain('机关干部岗位（011）'); // deprecated codes are not offered
    expect(listed).toContain(HUIMIN);
    expect(listed.some((l) => l.includes('朝阳'))).toBe(false); // only the admin's subtree
    expect(sheet.getRow(2).getCell(titles.indexOf('是否为失联党员') + 1).dataValidation.formulae).toEqual(['"是,否"']);
  });

  it('a valid xlsx: preview shows new rows, commit stores them as the record service would', async () => {
    const before = await count();
    const rows = [row(), row({ gender: '2' }), row()];
    const p = await preview(await workbook(rows), XLSX);
    expect(p.status).toBe(200);
    expect(p.body.counts).toEqual({ new: 3, changed: 0, unchanged: 0, invalid: 0 });
    expect(p.body.canCommit).toBe(true);
    expect(await count()).toBe(before); // a preview writes nothing
    const c = await commit(p.body.id);
    expect(c.status).toBe(200);
    expect(c.body).toMatchObject({ created: 3, updated: 0, status: 'committed' });
    expect(await count()).toBe(before + 3);
    const list = await admin.get(`/api/records/member?node=${huimin}&q=${rows[1]['身份证号码']}`);
    const imported = list.body.items[0];
    expect(imported.data).toMatchObject({ orgId: huimin, gender: '2', nation: '01', memberType: '1', lost: false, floating: false });
    // The same document through the API gives the same stored shape.
    const twin = await admin.post('/api/records/member', memberData(huimin));
    for (const k of ['state', 'workflow', 'complete', 'codeVersions', 'version', 'node'] as const) expect(imported[k]).toEqual(twin.body[k]);
    expect(imported.complete).toBe(true);
    const history = await admin.get(`/api/records/member/${imported.id}/history`);
    expect(history.body.items).toMatchObject([{ action: 'create', actor: 'ft_admin', note: `批量导入 ${p.body.id}` }]);
    // Committing twice is refused.
    expect((await commit(p.body.id)).status).toBe(409);
  });

  it('CSV (UTF-8 with BOM): updates by 身份证号码, leaves unchanged rows alone, adds new ones', async () => {
    const existing = (await admin.post('/api/records/member', memberData(huimin))).body;
    const same = (await admin.post('/api/records/member', memberData(huimin))).body;
    const fresh = memberData(huimin);
    const header = ['所在支部', '姓名', '身份证号码', '家庭住址', '性别', '出生日期'];
    const line = (d: any, address: string) => [HUIMIN, d.name, d.idNumber, address, d.gender, d.birthDate].map((v) => `"${String(v).replace(/"/g, '""')}"`).join(',');
    const csv = '\ufeff' + [header.join(','), line(existing.data, '新的,地址'), line(same.data, same.data.address), line(fresh, '新地址')].join('\r\n');
    const p = await preview(csv, 'text/csv; charset=utf-8');
    expect(p.status).toBe(200);
    expect(p.body.counts).toEqual({ new: 0 + 1, changed: 1, unchanged: 1, invalid: 1 - 1 });
    const changed = p.body.rows.find((r: any) => r.action === 'changed');
    expect(changed).toMatchObject({ row: 2, id: existing.id, changes: { address: [existing.data.address, '新的,地址'] } });
    expect((await commit(p.body.id)).status).toBe(200);
    const now = await admin.get(`/api/records/member/${existing.id}`);
    expect(now.body.data.address).toBe('新的,地址');
    expect(now.body.data.nation).toBe('01'); // columns absent from the file keep their values
    expect(now.body.version).toBe(2);
    expect((await admin.get(`/api/records/member/${same.id}`)).body.version).toBe(1);
    // A new row from a file without the full column set is stored as a draft (incomplete).
    const created = await admin.get(`/api/records/member?node=${huimin}&q=${fresh.idNumber}`);
    expect(created.body.items[0].complete).toBe(false);
  });

  it('a mixed file: per-row, per-field Chinese errors; commit refused and nothing imported; the error workbook holds them', async () => {
    const before = await count();
    const bad = row();
    bad['身份证号码'] = String(bad['身份证号码']).slice(0, 17) + (String(bad['身份证号码']).endsWith('0') ? '1' : '0');
    const lost = row();
    lost['是否为失联党员'] = '是';
    const dup = row();
    const rows = [row(), bad, { ...row(), 民族: '火星族' }, lost, dup, { ...dup }];
    const p = await preview(await workbook(rows), XLSX);
    expect(p.status).toBe(200);
    expect(p.body.counts).toMatchObject({ new: 2, invalid: 4 });
    const byRow = new Map(p.body.rows.map((r: any) => [r.row, r]));
    expect((byRow.get(3) as any).errors).toContainEqual(expect.objectContaining({ path: '/idNumber', message: '「身份证号码」校验码错误' }));
    expect((byRow.get(4) as any).errors[0].message).toBe('「民族」的代码“火星族”不在代码表中');
    expect((byRow.get(5) as any).errors).toContainEqual(expect.objectContaining({ path: '/lostDate', message: '「失联日期」为必填项' }));
    expect((byRow.get(7) as any).errors[0].message).toMatch(/「身份证号码」“\d{17}[\dX]”与第 6 行重复/);
    const c = await commit(p.body.id);
    expect(c.status).toBe(422);
    expect(c.body.error.message).toMatch(/有 4 行有误.*本次未导入任何数据/);
    expect(await count()).toBe(before);

    const res = await raw('GET', p.body.errorsFile);
    expect(res.status).toBe(200);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(await res.arrayBuffer());
    const sheet = wb.worksheets[0];
    const titles: string[] = [];
    sheet.getRow(1).eachCell((cell) => titles.push(String(cell.value)));
    const errCol = titles.indexOf('错误信息') + 1;
    expect(errCol).toBeGreaterThan(0);
    expect(sheet.getRow(2).getCell(errCol).value).toBeNull();
    expect(String(sheet.getRow(3).getCell(errCol).value)).toContain('「身份证号码」校验码错误');
    expect(String(sheet.getRow(3).getCell(titles.indexOf('身份证号码') + 1).note)).toContain('校验码错误');
    expect(String(sheet.getRow(4).getCell(titles.indexOf('民族') + 1).note)).toContain('不在代码表中');
    // The person fixes the file and uploads the error workbook itself again: it passes.
    sheet.getRow(3).getCell(titles.indexOf('身份证号码') + 1).value = String(row()['身份证号码']);
    sheet.getRow(4).getCell(titles.indexOf('民族') + 1).value = '01';
    sheet.getRow(5).getCell(titles.indexOf('是否为失联党员') + 1).value = '否';
    sheet.getRow(7).getCell(titles.indexOf('身份证号码') + 1).value = '';
    const again = await preview(Buffer.from(await wb.xlsx.writeBuffer()), XLSX);
    expect(again.body.counts.invalid).toBe(1); // row 7 (now without 身份证号码) is fixed below
    expect(again.body.rows[0].errors.length).toBeGreaterThan(0);
  });

  it('a CSV with errors comes back as an xlsx of the same cells, column for column, with the errors written in', async () => {
    const good = row();
    const bad = row();
    const rightId = String(bad['身份证号码']);
    bad['身份证号码'] = rightId.slice(0, 17) + (rightId.endsWith('0') ? '1' : '0');
    const titles = Object.keys(good);
    const csv = [titles.join(','), ...[good, bad].map((r) => titles.map((t) => String(r[t])).join(','))].join('\n');
    const p = await preview(csv, 'text/csv');
    expect(p.body.counts).toMatchObject({ new: 1, invalid: 1 });

    const res = await raw('GET', p.body.errorsFile);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(await res.arrayBuffer());
    const sheet = wb.worksheets[0];
    const cells = (n: number) => titles.map((_, i) => sheet.getRow(n).getCell(i + 1).value);
    expect(cells(1)).toEqual(titles); // every header in place from column A, the last one kept
    expect(sheet.getRow(1).getCell(titles.length + 1).value).toBe('错误信息');
    expect(cells(2).map(String)).toEqual(titles.map((t) => String(good[t])));
    expect(cells(3).map(String)).toEqual(titles.map((t) => String(bad[t])));
    expect(String(sheet.getRow(3).getCell(titles.length + 1).value)).toContain('「身份证号码」校验码错误');
    const idCol = titles.indexOf('身份证号码') + 1;
    expect(String(sheet.getRow(3).getCell(idCol).note)).toContain('校验码错误');
    expect(sheet.getRow(3).getCell(idCol - 1).note).toBeUndefined();

    // Fixed in the error workbook and uploaded again, both rows pass.
    sheet.getRow(3).getCell(idCol).value = rightId;
    const again = await preview(Buffer.from(await wb.xlsx.writeBuffer()), XLSX);
    expect(again.body.counts).toMatchObject({ new: 2, invalid: 0 });
  });

  it('rows outside the admin\'s subtree are refused: a node elsewhere, a 身份证号码 registered elsewhere', async () => {
    const elsewhere = row();
    elsewhere['所在支部'] = '潘东亮支部乙'; // 朝阳区, not under 丰台区委
    const registered = row();
    registered['身份证号码'] = '12010119880505001X'; // 潘东亮, a member in 朝阳区
    registered['出生日期'] = '1988-05-05';
    registered['性别'] = '1';
    const unknown = { ...row(), 所在支部: '不存在的支部' };
    const p = await preview(await workbook([elsewhere, registered, unknown, row()]), XLSX);
    expect(p.body.counts).toMatchObject({ new: 1, invalid: 3 });
    const errs = (n: number) => p.body.rows.find((r: any) => r.row === n).errors.map((e: any) => e.message);
    expect(errs(2)).toEqual(['「所在支部」“潘东亮支部乙”不存在或不在您的管理范围内，不能导入']);
    expect(errs(3)).toEqual(['「身份证号码」“12010119880505001X”已登记在您管理范围以外的党员记录中，不能导入']);
    expect(errs(4)).toEqual(['「所在支部」“不存在的支部”不存在或不在您的管理范围内，不能导入']);
    expect((await commit(p.body.id)).status).toBe(422);
    const bj = await s.login('bj_admin');
    const pdl = await bj.get('/api/records/member?q=12010119880505001X');
    expect(pdl.body.items[0].version).toBe(1);
  });

  it('nothing is half-imported: a clash discovered at commit rolls the whole file back', async () => {
    const rows = [row(), row(), row()];
    const p = await preview(await workbook(rows), XLSX);
    expect(p.body.counts.new).toBe(3);
    // Someone registers the third 身份证号码 between preview and commit.
    const d = memberData(huimin);
    const taken = await admin.post('/api/records/member', { ...d, idNumber: rows[2]['身份证号码'], birthDate: rows[2]['出生日期'], gender: '1' });
    expect(taken.status).toBe(201);
    const before = await count();
    const c = await commit(p.body.id);
    expect(c.status).toBe(409);
    expect(c.body.error.message).toMatch(/第 4 行：「身份证号码」.*已被另一条党员记录使用；本次未导入任何数据/);
    expect(await count()).toBe(before);
    const first = await admin.get(`/api/records/member?q=${rows[0]['身份证号码']}`);
    expect(first.body.total).toBe(0);
  });

  it('the import log keeps every upload with its outcome; another admin sees only their own', async () => {
    const log = await admin.get('/api/import/member/log');
    expect(log.status).toBe(200);
    const statuses = log.body.items.map((e: any) => e.status);
    expect(statuses).toContain('committed');
    expect(statuses).toContain('failed');
    expect(statuses).toContain('previewed');
    expect(log.body.items.every((e: any) => e.actor === 'ft_admin')).toBe(true);
    const withErrors = log.body.items.find((e: any) => e.hasErrorsFile);
    const other = await s.login('bj_admin');
    expect((await other.get('/api/import/member/log')).body.items).toEqual([]);
    expect((await other.get(`/api/import/${withErrors.id}/errors.xlsx`)).status).toBe(404);
  });

  it('large files: preview and commit as jobs with progress', async () => {
    const rows = Array.from({ length: 1200 }, () => row());
    const p = await preview(await workbook(rows), XLSX, '&async=1');
    expect(p.status).toBe(202);
    const poll = async (id: string) => {
      for (;;) {
        const j = await admin.get(`/api/import/jobs/${id}`);
        expect(j.body.done).toBeLessThanOrEqual(j.body.total);
        if (j.body.status !== 'running') return j.body;
        await new Promise((r) => setTimeout(r, 50));
      }
    };
    const done = await poll(p.body.id);
    expect(done).toMatchObject({ status: 'done', total: 1200, done: 1200 });
    expect(done.result.counts.new).toBe(1200);
    const c = await admin.post(`/api/import/member/commit?async=1`, { previewId: done.result.id });
    expect(c.status).toBe(202);
    const committed = await poll(c.body.id);
    expect(committed).toMatchObject({ status: 'done', result: { created: 1200 } });
  });

  it('export: a list as the filled-in template; uploaded untouched it changes nothing, edited it changes that row', async () => {
    const tnl = await nodeId(admin, '丰台区太平桥街道太南里社区党委');
    const res = await raw('GET', `/api/import/member/export.xlsx?node=${tnl}&deep=1`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe(XLSX);
    expect(decodeURIComponent(res.headers.get('content-disposition')!)).toContain('党员-丰台区太平桥街道太南里社区党委.xlsx');
    const bytes = await res.arrayBuffer();
    const file = Buffer.from(bytes);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(bytes);
    const sheet = wb.worksheets[0];
    const titles = (sheet.getRow(1).values as unknown[]).slice(1).map(String);
    const list = (await admin.get(`/api/records/member?node=${tnl}&deep=1&limit=200`)).body;
    // One row per record of the list, cells as a person writes them.
    expect(sheet.rowCount - 1).toBe(list.total);
    const zhaomin = list.items.find((r: any) => r.data.name === '赵敏');
    const rowOf = (name: string) => sheet.getRows(2, sheet.rowCount - 1)!.find((r) => r.getCell(titles.indexOf('姓名') + 1).value === name)!;
    const cell = (name: string, title: string) => rowOf(name).getCell(titles.indexOf(title) + 1).value;
    expect(cell('赵敏', '性别')).toBe('女（2）');
    expect(cell('赵敏', '身份证号码')).toBe(zhaomin.data.idNumber);
    expect(cell('赵敏', '出生日期')).toBe('1990-06-21');
    expect(cell('赵敏', '是否为流动党员')).toBe('是');
    expect(cell('赵敏', '所在支部')).toBe('中共北京市丰台区太平桥街道太南里社区第四网格支部委员会');

    // Uploaded as it is: every row found by 身份证号码 and unchanged, nothing to import.
    const same = await preview(file, XLSX);
    expect(same.status).toBe(200);
    expect(same.body.counts).toEqual({ new: 0, changed: 0, unchanged: list.total, invalid: 0 });
    expect(same.body.canCommit).toBe(false);

    // One cell edited: that row alone changes, and the commit writes it.
    rowOf('赵敏').getCell(titles.indexOf('手机号码') + 1).value = '13911112222';
    const edited = await preview(Buffer.from(await wb.xlsx.writeBuffer()), XLSX);
    expect(edited.body.counts).toMatchObject({ changed: 1, unchanged: list.total - 1, invalid: 0 });
    expect((await commit(edited.body.id)).status).toBe(200);
    expect((await admin.get(`/api/records/member/${zhaomin.id}`)).body.data.mobile).toBe('13911112222');
  });

  it('export follows the read rules: a node elsewhere is 404, for a reader too', async () => {
    const pdl = await s.login('pdl_admin');
    const tnl = await nodeId(admin, '丰台区太平桥街道太南里社区党委');
    const r1 = await fetch(`${s.url}/api/import/member/export.xlsx?node=${tnl}&deep=1`, { headers: { cookie: pdl.cookie } });
    expect(r1.status).toBe(404);
    const reader = await s.login('zhaoguoming');
    const r2 = await fetch(`${s.url}/api/import/member/export.xlsx?node=${tnl}&deep=1`, { headers: { cookie: reader.cookie } });
    expect(r2.status).toBe(404);
  });

  it('refusals: anonymous 401, read-only user 403, unknown collection 404, not a table 415/422', async () => {
    expect((await s.anonymous().get('/api/import/member/template.xlsx')).status).toBe(401);
    const viewer = await s.login('zhaoguoming');
    expect((await viewer.get('/api/import/member/template.xlsx')).status).toBe(403);
    expect((await admin.get('/api/import/nothing/template.xlsx')).status).toBe(404);
    expect((await preview(Buffer.from([0x50, 0x4b, 0x03, 0x04, 1, 2, 3]), XLSX)).status).toBe(422);
    expect((await preview('a,b\n1,2', 'text/csv')).status).toBe(422);
    expect((await preview(Buffer.from([0, 1, 2]), 'application/octet-stream')).status).toBe(415);
  });
});
