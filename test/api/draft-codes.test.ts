/**
 * Code-table import into the draft (issue 19, 3): POST /api/config/draft/codes/:table/import-preview
 * reads a notice's CSV (UTF-8 or GB18030) or xlsx by its header titles and answers the draft's
 * table it would make and the diff against it; removing a code stored records hold is refused
 * (the code kept); bad rows are named by row; nothing is stored; config admins only.
 */
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import ExcelJS from 'exceljs';
import { execFileSync } from 'node:child_process';
import { startTestServer, type TestServer } from '../helpers/server.js';
import type { Client } from '../helpers/client.js';

const TABLE = 'unit-category';
const url = `/api/config/draft/codes/${TABLE}/import-preview`;
const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

/** Posts bytes as the raw body, as the studio's upload does. */
async function post(s: TestServer, c: Client, body: Uint8Array | string, type: string, filename = '') {
  const res = await fetch(`${s.url}${url}${filename ? `?filename=${encodeURIComponent(filename)}` : ''}`, {
    method: 'POST', body: body as BodyInit, headers: { cookie: c.cookie, 'x-csrf-token': c.csrf, 'content-type': type },
  });
  return { status: res.status, body: await res.json() as any };
}

describe('draft code-table import preview', () => {
  let s: TestServer;
  let cfg: Client;
  let draftTable: any;
  beforeAll(async () => {
    s = await startTestServer();
    cfg = await s.login('config_admin');
    expect((await cfg.post('/api/config/draft')).status).toBe(201);
    draftTable = JSON.parse((await cfg.get(`/api/config/draft/files/forms/codes/${TABLE}.json`)).body.content);
  }, 60_000);
  afterAll(() => s?.stop());

  /** The draft's table as CSV lines, each code as it is (deprecation columns included). */
  const asCsv = (codes: any[], extra: string[] = []) => [
    '代码,名称,停用日期,替代代码',
    ...codes.map((c) => `${c.code},${c.label},${c.deprecated ?? ''},${(c.replacedBy ?? []).join('、')}`),
    ...extra,
  ].join('\r\n');

  it('a CSV in UTF-8: added, relabelled and deprecated codes, and the table it would make; nothing stored', async () => {
    const codes = draftTable.codes.map((c: any) => (c.code === '9006' ? { ...c, label: '社会组织（含民办非企业单位）' } : c.code === '9007' ? { ...c, deprecated: '2024-03-01', replacedBy: ['9006', '3'] } : c));
    const before = (await cfg.get('/api/config/draft')).body.version;
    const r = await post(s, cfg, asCsv(codes, ['9010,新型社会组织,,']), 'text/csv; charset=utf-8');
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    expect(r.body.diff.added.map((c: any) => [c.code, c.label])).toEqual([['9010', '新型社会组织']]);
    expect(r.body.diff.relabelled).toEqual([{ code: '9006', from: '社会组织', to: '社会组织（含民办非企业单位）' }]);
    expect(r.body.diff.deprecated).toEqual([{ code: '9007', label: '其他', deprecated: '2024-03-01', replacedBy: ['9006', '3'] }]);
    expect(r.body.diff.removed).toEqual([]);
    expect(r.body.refused).toEqual([]);
    // The table keeps what only the draft knows (notes, 待核实) and is the draft's table otherwise.
    const made = r.body.table;
    expect(made.table).toBe(TABLE);
    expect(made.codes.find((c: any) => c.code === '9001')).toEqual(draftTable.codes.find((c: any) => c.code === '9001'));
    expect(made.codes.at(-1)).toEqual({ code: '9010', label: '新型社会组织' });
    // A preview only: the draft is as it was.
    expect((await cfg.get('/api/config/draft')).body.version).toBe(before);
  });

  it('GB18030 CSV and xlsx are read the same way, columns found by their titles in any order', async () => {
    const csv = asCsv(draftTable.codes, ['9011,测试类别,,']);
    // Node has no GB18030 encoder: iconv writes the bytes as Excel on Chinese Windows saves them.
    const gb = execFileSync('iconv', ['-f', 'UTF-8', '-t', 'GB18030'], { input: csv });
    expect(gb.toString('utf8')).not.toBe(csv);
    const a = await post(s, cfg, new Uint8Array(gb), 'text/csv', '单位类别.csv');
    expect(a.status, JSON.stringify(a.body)).toBe(200);
    expect(a.body.diff.added).toEqual([{ code: '9011', label: '测试类别' }]);

    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet('代码表');
    ws.addRow(['名称', '代码', '上级代码']);
    for (const c of draftTable.codes) ws.addRow([c.label, c.code, '']);
    ws.addRow(['下级测试', '9012', '9006']);
    const x = await post(s, cfg, new Uint8Array(await wb.xlsx.writeBuffer()), XLSX);
    expect(x.status, JSON.stringify(x.body)).toBe(200);
    expect(x.body.diff.added).toEqual([{ code: '9012', label: '下级测试', parent: '9006' }]);
    // Without a 停用日期 column the draft's deprecations stay as they are.
    expect(x.body.diff.deprecated).toEqual([]);
    expect(x.body.table.codes.find((c: any) => c.code === '9008').deprecated).toBe('2017-03-01');
  });

  it('removing a code that stored records hold is refused and the code kept; an unused one is removed', async () => {
    const usage = (await cfg.get(`/api/codes/${TABLE}/usage`)).body.items as { code: string; count: number }[];
    const used = usage.find((u) => u.count > 0)!;
    const unused = draftTable.codes.find((c: any) => !usage.some((u) => u.code === c.code && u.count > 0) && !c.deprecated
      && !draftTable.codes.some((d: any) => (d.replacedBy ?? []).includes(c.code)));
    expect(used && unused).toBeTruthy();
    const r = await post(s, cfg, asCsv(draftTable.codes.filter((c: any) => c.code !== used.code && c.code !== unused.code)), 'text/csv');
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    const removed = Object.fromEntries(r.body.diff.removed.map((x: any) => [x.code, x.count]));
    expect(removed[unused.code]).toBe(0);
    expect(removed[used.code]).toBeGreaterThan(0);
    expect(r.body.refused).toHaveLength(1);
    expect(r.body.refused[0].message).toContain(`“${used.code}”`);
    expect(r.body.refused[0].message).toContain('停用');
    const codes = r.body.table.codes.map((c: any) => c.code);
    expect(codes).toContain(used.code);
    expect(codes).not.toContain(unused.code);
  });

  it('bad files: the header, rows and encoding named in Chinese, with 4xx', async () => {
    const noHeader = await post(s, cfg, '编号,名字\n1,甲', 'text/csv');
    expect(noHeader.status).toBe(422);
    expect(noHeader.body.error.message).toContain('「代码」');
    const rows = await post(s, cfg, asCsv(draftTable.codes, [',无代码,,', '9013,,,', '9014,日期错,明年,', '9015,替代错,2024-01-01,9999', '9001,重复,,']), 'text/csv');
    expect(rows.status).toBe(422);
    const messages = rows.body.error.details.map((d: any) => d.message).join('\n');
    const n = draftTable.codes.length + 2;
    expect(messages).toContain(`第${n}行「代码」未填写`);
    expect(messages).toContain(`第${n + 1}行「名称」未填写`);
    expect(messages).toContain(`第${n + 2}行「停用日期」`);
    expect(messages).toContain(`第${n + 4}行「代码」“9001”与第2行重复`);
    const replacement = await post(s, cfg, asCsv(draftTable.codes, ['9015,替代错,2024-01-01,9999']), 'text/csv');
    expect(replacement.status).toBe(422);
    expect(replacement.body.error.details.map((d: any) => d.message).join()).toContain('替代代码“9999”不存在');
    const bad = await post(s, cfg, new Uint8Array([0xef, 0xbb, 0xbf, 0xff, 0xfe, 0x2c]), 'text/csv');
    expect(bad.status).toBe(400);
    expect((await post(s, cfg, 'x', 'text/plain')).status).toBe(415);
    expect((await post(s, cfg, new Uint8Array([1, 2, 3]), XLSX)).status).toBe(400);
  });

  it('only config admins; an unknown table is 404', async () => {
    const admin = await s.login('bj_admin');
    expect((await post(s, admin, asCsv(draftTable.codes), 'text/csv')).status).toBe(403);
    const r = await fetch(`${s.url}/api/config/draft/codes/no-such/import-preview`, { method: 'POST', body: 'a', headers: { cookie: cfg.cookie, 'x-csrf-token': cfg.csrf, 'content-type': 'text/csv' } });
    expect(r.status).toBe(404);
  });
});
