import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import ExcelJS from 'exceljs';
import JSZip from 'jszip';
import { startTestServer, type TestServer } from '../helpers/server.js';
import type { Client } from '../helpers/client.js';
import { memberData, nodeId } from '../helpers/demo.js';

/** What an outside attack on the product found (issue 16): caching, prototype keys, encodings, control characters. */
describe('hardening', () => {
  let s: TestServer;
  let admin: Client;
  let branch: string;
  let memberId: string;
  beforeAll(async () => {
    s = await startTestServer();
    admin = await s.login('bj_admin');
    branch = await nodeId(admin, '潘东亮支部乙');
    memberId = (await admin.get(`/api/records/member?node=${branch}&limit=1`)).body.items[0].id;
  });
  afterAll(async () => { await s.stop(); });

  /** A request with the admin's session and a body of raw bytes. */
  const raw = async (method: string, path: string, body: Uint8Array | string, type: string) => {
    const res = await fetch(s.url + path, { method, body: body as BodyInit, headers: { cookie: admin.cookie, 'x-csrf-token': admin.csrf, 'content-type': type } });
    return { status: res.status, body: (await res.json()) as any };
  };

  it('every /api/ answer carrying personal data or config says Cache-Control: no-store; static UI keeps its caching', async () => {
    const cfg = await s.login('config_admin');
    const answers = await Promise.all([
      admin.get(`/api/records/member/${memberId}`),
      admin.get(`/api/records/member?node=${branch}`),
      admin.get(`/api/records/member/${memberId}/history`),
      admin.get(`/api/accounts?record=${memberId}`),
      admin.get('/api/me'),
      admin.get(`/api/tree/${branch}`),
      admin.get('/api/app'),
      admin.get('/api/forms/member'),
      cfg.get('/api/codes/title'),
      cfg.get('/api/config/status'),
      admin.get(`/api/import/member/export.xlsx?node=${branch}`),
      admin.get('/api/import/member/template.xlsx'),
      admin.get(`/api/tree/${branch}/progress.xlsx`),
      admin.get(`/api/records/member/${memberId}/documents/member-sheet.html`),
      admin.get(`/api/records/member/nope`), // an error answer names what exists and what not
    ]);
    for (const res of answers) expect(res.headers.get('cache-control'), res.headers.get('content-type') ?? '').toBe('no-store');
    expect(answers.slice(0, -1).map((r) => r.status).every((st) => st === 200)).toBe(true);
    expect((await s.anonymous().get('/favicon.svg')).headers.get('cache-control')).toBe('public, max-age=86400');
  });

  describe('keys a client chooses never reach Object.prototype', () => {
    const names = ['__proto__', 'constructor', 'toString'];

    it.each(names)('document %s: one record, a batch, an asset → 404 in Chinese', async (name) => {
      for (const res of [
        await admin.get(`/api/records/member/${memberId}/documents/${name}.pdf`),
        await admin.get(`/api/records/member/${memberId}/documents/${name}.html`),
        await admin.post(`/api/records/member/documents/${name}`, { ids: [memberId] }),
        await s.anonymous().get(`/document-assets/member/${name}/fonts/400.css`),
        await s.anonymous().get(`/document-assets/member/member-sheet/${name}/400.css`),
      ]) {
        expect(res.status).toBe(404);
        expect(res.body.error.message).toMatch(/不存在/);
      }
    });

    it.each(names)('role %s is not grantable (422 naming 职务), and nothing is granted', async (role) => {
      const res = await admin.post('/api/grants', { node: branch, role, username: 'pdl_admin' });
      expect(res.status).toBe(422);
      expect(res.body.error.details[0]).toMatchObject({ path: '/role' });
      expect(res.body.error.details[0].message).toMatch(/^「职务」应为/);
      const pdl = await s.login('pdl_admin');
      expect((await pdl.get('/api/me')).status).toBe(200);
    });
  });

  describe('encodings', () => {
    it('a JSON body declared in another charset than UTF-8 → 415; utf-8 spelled either way is read', async () => {
      const doc = JSON.stringify(memberData(branch, { name: '编码测试' }));
      for (const type of ['application/json; charset=gbk', 'application/json;charset="GB18030"', 'application/json; charset=iso-8859-1']) {
        const res = await raw('POST', '/api/records/member', doc, type);
        expect(res.status, type).toBe(415);
        expect(res.body.error.message).toMatch(/UTF-8/);
      }
      expect((await raw('POST', '/api/records/member', doc, 'application/json; charset=UTF-8')).status).toBe(201);
      expect((await raw('POST', '/api/records/member', JSON.stringify(memberData(branch)), 'application/json; charset=utf8')).status).toBe(201);
    });

    it('a JSON body with bytes that are not UTF-8 → 400, nothing stored', async () => {
      const before = (await admin.get(`/api/records/member?node=${branch}`)).body.total;
      const doc = Buffer.from(JSON.stringify(memberData(branch, { name: '无效XY' })));
      const at = doc.indexOf('XY');
      doc[at] = 0xff; doc[at + 1] = 0xfe; // never valid in UTF-8; a lenient reader stores U+FFFD
      const res = await raw('POST', '/api/records/member', doc, 'application/json');
      expect(res.status).toBe(400);
      expect(res.body.error.message).toBe('请求体含有无效的 UTF-8 字节');
      expect((await admin.get(`/api/records/member?node=${branch}`)).body.total).toBe(before);
    });

    it('an uploaded CSV that says UTF-8 (BOM) but holds invalid bytes → 400 instead of U+FFFD', async () => {
      const header = Buffer.from('\ufeff姓名,公民身份号码\n', 'utf8');
      const bad = Buffer.concat([header, Buffer.from([0xe5, 0xbc, 0x20]), Buffer.from(',110105199001011234\n')]);
      const res = await raw('POST', '/api/import/member/preview?filename=x.csv', bad, 'text/csv');
      expect(res.status).toBe(400);
      expect(res.body.error.message).toMatch(/UTF-8/);
    });
  });

  it('NUL and bidi overrides in a name are refused (422 naming the field), nothing stored; tab and newline stay allowed in a multi-line field', async () => {
    const before = (await admin.get(`/api/records/member?node=${branch}`)).body.total;
    for (const [name, cp] of [['张\u202e三', 'U+202E'], ['张三\u0000', 'U+0000'], ['\u2067张三', 'U+2067'], ['张\u001b三', 'U+001B']]) {
      const res = await admin.post('/api/records/member', memberData(branch, { name }));
      expect(res.status).toBe(422);
      expect(res.body.error.details).toEqual([{ path: '/name', message: `「姓名」含有不可见的控制字符（${cp}），请删除后重新输入` }]);
    }
    const ok = await admin.post('/api/records/member', memberData(branch, { address: '北京市\n东城区\t1号' }));
    expect(ok.status).toBe(201);
    expect((await admin.get(`/api/records/member?node=${branch}`)).body.total).toBe(before + 1);
  });

  it.each(['zhaoguoming', 'zhangpeng'])('read-only %s exports exactly the list they read (200); the template and the upload stay admin-only', async (username) => {
    const reader = await s.login(username);
    const node = (await reader.get('/api/me')).body.grants[0].node as string;
    const list = (await reader.get(`/api/records/member?node=${node}&deep=1&limit=200`)).body;
    expect(list.total).toBeGreaterThan(0);
    const res = await fetch(`${s.url}/api/import/member/export.xlsx?node=${node}&deep=1`, { headers: { cookie: reader.cookie } });
    expect(res.status).toBe(200);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(await res.arrayBuffer());
    const sheet = wb.worksheets[0];
    const titles = (sheet.getRow(1).values as unknown[]).slice(1).map(String);
    const ids = sheet.getRows(2, sheet.rowCount - 1)!.map((r) => r.getCell(titles.indexOf('身份证号码') + 1).value).sort();
    expect(ids).toEqual(list.items.map((r: any) => r.data.idNumber).sort());
    // The whole tree is not theirs to read, nor to export.
    const rootId = await nodeId(admin, '中共北京市委');
    expect((await fetch(`${s.url}/api/import/member/export.xlsx?node=${rootId}&deep=1`, { headers: { cookie: reader.cookie } })).status).toBe(404);
    expect((await reader.get('/api/import/member/template.xlsx')).status).toBe(403);
    const upload = await fetch(`${s.url}/api/import/member/preview?filename=x.csv`, {
      method: 'POST', body: '姓名,身份证号码\n张三,110105199001011234\n', headers: { cookie: reader.cookie, 'x-csrf-token': reader.csrf, 'content-type': 'text/csv' },
    });
    expect(upload.status).toBe(403);
  });

  /** Whether each cell of the first sheet holding `text` has a style with the quote prefix. */
  async function quotePrefixes(file: ArrayBuffer, text: string): Promise<boolean[]> {
    const zip = await JSZip.loadAsync(file);
    const read = (name: string) => zip.file(name)!.async('string');
    const unescape = (x: string) => x.replace(/<[^>]+>/g, '').replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&amp;/g, '&');
    const strings = [...(await read('xl/sharedStrings.xml')).matchAll(/<si>([\s\S]*?)<\/si>/g)].map((m) => unescape(m[1]));
    const xfs = [...(await read('xl/styles.xml')).match(/<cellXfs[\s\S]*?<\/cellXfs>/)![0].matchAll(/<xf\b[^>]*>/g)].map((m) => m[0]);
    const cells = [...(await read('xl/worksheets/sheet1.xml')).matchAll(/<c r="[A-Z]+\d+"(?: s="(\d+)")? t="s"><v>(\d+)<\/v><\/c>/g)];
    return cells.filter((m) => strings[Number(m[2])] === text).map((m) => xfs[Number(m[1] ?? 0)].includes('quotePrefix="1"'));
  }

  it('formula-looking text is exported quote-prefixed (text when edited in Excel) and re-uploads to the same value, unchanged', async () => {
    const values = ['=1+1', '-北京市', '@SUM(A1)', '+8610'];
    const ids: string[] = [];
    for (const address of values) {
      const res = await admin.post('/api/records/member', memberData(branch, { address }));
      expect(res.status).toBe(201);
      ids.push(res.body.id);
    }
    const res = await fetch(`${s.url}/api/import/member/export.xlsx?node=${branch}&deep=1`, { headers: { cookie: admin.cookie } });
    const file = await res.arrayBuffer();
    for (const v of values) expect(await quotePrefixes(file, v), v).toEqual([true]);
    // A plain value is left as it was.
    expect((await quotePrefixes(file, '潘东亮')).every((q) => !q)).toBe(true);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(file);
    const sheet = wb.worksheets[0];
    const titles = (sheet.getRow(1).values as unknown[]).slice(1).map(String);
    const addresses = sheet.getRows(2, sheet.rowCount - 1)!.map((r) => r.getCell(titles.indexOf('家庭住址') + 1).value);
    for (const v of values) expect(addresses).toContain(v);
    const again = await raw('POST', '/api/import/member/preview?filename=x.xlsx', new Uint8Array(file), 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
    expect(again.status).toBe(200);
    expect(again.body.counts).toMatchObject({ new: 0, changed: 0, invalid: 0 });
    for (const id of ids) expect(values).toContain((await admin.get(`/api/records/member/${id}`)).body.data.address);
  });
});
