import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { startTestServer, type TestServer } from '../helpers/server.js';
import { nodeId, memberData } from '../helpers/demo.js';
import type { Client } from '../helpers/client.js';
import { closeBrowser } from '../../engine/documents/pdf.js';
import { requireTools, fetchBinary, pdfText, squash, readWorkbook } from './tools.js';

/**
 * A code whose official name is not known (job-position 502: its row says "labelPending") is
 * shown and printed as its code and 「名称待核实」 — never the placeholder label of the code-table
 * file — in the form, the member sheet (HTML and PDF), the member's own page and the xlsx export
 * (issue 20, 11).
 */
describe('placeholder labels never reach a form or a print', { timeout: 90_000 }, () => {
  let s: TestServer;
  let admin: Client;
  let branch: string;
  let id: string;
  const PLACEHOLDER = '其他（代码502）';

  beforeAll(async () => {
    requireTools();
    s = await startTestServer();
    admin = await s.login('meiyu_admin');
    branch = await nodeId(admin, '美域家园社区第二支部');
    const res = await admin.post('/api/records/member', memberData(branch, { name: '待核实岗位', jobPosition: '502' }));
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    id = res.body.id;
  });
  afterAll(async () => {
    await closeBrowser();
    await s?.stop();
  });

  it('the form receives the code with the neutral label and the mark', async () => {
    const form = await admin.get('/api/forms/member');
    const entry = form.body.schema?.properties?.jobPosition?.['x-codes']?.find((c: any) => c.code === '502')
      ?? form.body.properties?.jobPosition?.['x-codes']?.find((c: any) => c.code === '502');
    expect(entry).toMatchObject({ code: '502', label: '名称待核实', labelPending: true, provisional: true });
    expect(JSON.stringify(form.body)).not.toContain(PLACEHOLDER);
  });

  it('the member sheet, as HTML and as PDF read back, prints 502（名称待核实）', async () => {
    const html = await fetchBinary(admin, 'GET', `/api/records/member/${id}/documents/member-sheet.html`);
    expect(html.status).toBe(200);
    expect(html.body.toString('utf8')).toContain('名称待核实');
    expect(html.body.toString('utf8')).not.toContain(PLACEHOLDER);
    // Confirmed, as a signed sheet is (an unconfirmed one carries a watermark across its text).
    await s.engine.storage.records.placeInState(s.engine.storage.db, id, 'confirmed');
    const pdf = await fetchBinary(admin, 'GET', `/api/records/member/${id}/documents/member-sheet.pdf`);
    expect(pdf.status, pdf.body.toString().slice(0, 300)).toBe(200);
    const text = squash(pdfText(pdf.body));
    expect(text).toContain('502（名称待核实）');
    expect(text).not.toContain('代码502');
  });

  it('the xlsx export writes 名称待核实（502）, and the placeholder appears in no cell', async () => {
    const res = await fetchBinary(admin, 'GET', `/api/import/member/export.xlsx?node=${branch}`);
    expect(res.status).toBe(200);
    const wb = await readWorkbook(res.body);
    const cells: string[] = [];
    wb.eachSheet((ws) => ws.eachRow((row) => row.eachCell((cell) => cells.push(String(cell.value ?? '')))));
    expect(cells).toContain('名称待核实（502）');
    expect(cells.filter((c) => c.includes(PLACEHOLDER))).toEqual([]);
  });

  it('the code-table page keeps the file\'s working label and says the name is pending', async () => {
    const cfg = await s.login('config_admin');
    const t = await cfg.get('/api/codes/job-position');
    expect(t.body.codes.find((c: any) => c.code === '502')).toMatchObject({ label: PLACEHOLDER, labelPending: true, provisional: true });
  });
});
