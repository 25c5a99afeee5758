/**
 * The studio's print preview (issue 19, 5): /api/config/draft/documents renders a record's
 * document from the open draft's templates — the preview and the PDF show the draft's change while
 * the product still prints the published sheet; an xlsx layout's change shows in its table preview
 * and in the downloaded workbook; a draft whose template does not compile is told with its
 * problems; only config admins reach any of it. Real server, real SQLite, real Chromium.
 */
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { startTestServer, type TestServer } from '../helpers/server.js';
import type { Client } from '../helpers/client.js';
import { copyApp } from '../helpers/app-copy.js';
import { nodeId } from '../helpers/demo.js';
import { fetchBinary, pdfText, readWorkbook, requireTools, squash } from '../documents/tools.js';
import { DraftApi } from '../helpers/draft-api.js';

const SHEET = 'templates/member-sheet.hbs';
const LAYOUT = 'templates/org-sheet.xlsx.json';
const ROW = '<tr><td class="k" colspan="2">16.工作单位</td><td class="v" colspan="4">{{#slot}}{{data.workUnit}}{{/slot}}</td></tr>\n  </table>';

describe('draft documents: the draft\'s templates rendered for a record', () => {
  let s: TestServer;
  let cfg: Client;
  let admin: Client;
  let member: string;
  let org: string;
  let draft: DraftApi;
  beforeAll(async () => {
    requireTools();
    s = await startTestServer(copyApp());
    cfg = await s.login('config_admin');
    draft = new DraftApi(cfg);
    admin = await s.login('bj_admin');
    const node = await nodeId(admin, '美域家园社区第二支部');
    const members = (await admin.get(`/api/records/member?node=${node}`)).body.items;
    member = members.find((m: any) => m.data.workUnit).id;
    org = node;
  }, 60_000);
  afterAll(() => s?.stop());

  const save = (path: string, content: string) => draft.save(path, content);
  const draftText = (path: string) => draft.text(path);
  const preview = (path: string) => fetchBinary(cfg, 'GET', `/api/config/draft/documents/${path}`);

  it('without a draft: 404; someone without the config permission: 403', async () => {
    expect((await preview(`member/${member}/member-sheet.html`)).status).toBe(404);
    expect((await fetchBinary(admin, 'GET', `/api/config/draft/documents/member/${member}/member-sheet.html`)).status).toBe(403);
    expect((await fetchBinary(admin, 'GET', `/api/config/draft/documents/organization/${org}/org-sheet/table`)).status).toBe(403);
  });

  it('the member sheet: the draft\'s new row is in the preview and the PDF, the product still prints the published sheet', async () => {
    await draft.open();
    const sheet = await draftText(SHEET);
    const view = await save(SHEET, sheet.replace(/\n {2}<\/table>/, `\n  ${ROW}`));
    expect(view.problems).toEqual([]);
    const { data } = (await admin.get(`/api/records/member/${member}`)).body;

    const html = await preview(`member/${member}/member-sheet.html`);
    expect(html.status).toBe(200);
    expect(html.headers.get('content-type')).toMatch(/text\/html/);
    expect(html.body.toString()).toContain('16.工作单位');
    expect(html.body.toString()).toContain(data.workUnit);

    const pdf = await preview(`member/${member}/member-sheet.pdf`);
    expect(pdf.status).toBe(200);
    expect(squash(pdfText(pdf.body))).toContain(squash(`16.工作单位${data.workUnit}`));

    const product = await fetchBinary(admin, 'GET', `/api/records/member/${member}/documents/member-sheet.pdf`);
    expect(product.status).toBe(200);
    expect(squash(pdfText(product.body))).not.toContain('16.工作单位');
  }, 120_000);

  it('the xlsx layout: a changed cell shows in the table preview and the downloaded workbook, not in the product', async () => {
    const layout = JSON.parse(await draftText(LAYOUT));
    layout.sheets[0].rows[2].cells[1].value = '草稿·党组织名称';
    await save(LAYOUT, `${JSON.stringify(layout, null, 2)}\n`);

    const table = await cfg.get(`/api/config/draft/documents/organization/${org}/org-sheet/table`);
    expect(table.status, JSON.stringify(table.body)).toBe(200);
    const texts = table.body.sheets[0].rows.map((r: any) => r.cells.map((c: any) => c.text));
    expect(texts[2]).toContain('草稿·党组织名称');
    const title = table.body.sheets[0].rows[0].cells[0];
    expect(title).toMatchObject({ text: '党组织和所在单位基本信息采集表', bold: true });
    expect(title.span).toBeGreaterThan(1);

    const xlsx = await preview(`organization/${org}/org-sheet.xlsx`);
    expect(xlsx.status).toBe(200);
    const ws = (await readWorkbook(xlsx.body)).worksheets[0];
    const values = ws.getRow(3).values as unknown[];
    expect(values).toContain('草稿·党组织名称');

    const product = await fetchBinary(admin, 'GET', `/api/records/organization/${org}/documents/org-sheet.xlsx`);
    const published = (await readWorkbook(product.body)).worksheets[0].getRow(3).values as unknown[];
    expect(published).not.toContain('草稿·党组织名称');
  }, 60_000);

  it('a template that does not compile: 422 naming the line, and nothing rendered', async () => {
    const sheet = await draftText(SHEET);
    const view = await save(SHEET, sheet.replace('{{#each sheets}}', '{{#each sheets}}{{#if draft}}'));
    expect(view.publishable).toBe(false);
    const res = await preview(`member/${member}/member-sheet.html`);
    expect(res.status).toBe(422);
    const body = res.json();
    expect(body.error.message).toContain('草稿的配置无法加载');
    expect(body.error.details.some((d: any) => d.path === SHEET && /第\d+行/.test(d.message))).toBe(true);
  });

  it('an unknown record or document: 404', async () => {
    await save(SHEET, (await draftText(SHEET)).replace('{{#each sheets}}{{#if draft}}', '{{#each sheets}}'));
    expect((await preview('member/nope/member-sheet.html')).status).toBe(404);
    expect((await preview(`member/${member}/nothing.html`)).status).toBe(404);
  });
});
