/**
 * The studio's template editor (issue 19, 5), through the browser only (no file edited), on a copy
 * of the app: a config admin adds a row printing 工作单位 (a field the member sheet does not print
 * today) in the code editor at the place ?focus= puts the cursor, saves with Ctrl+S → the draft's
 * preview shows it over the record picked, its value slots are counted, the draft's PDF has it while
 * the product's does not; an unclosed {{#if}} shows its lint marker, the draft bar's error link puts
 * the cursor on it and 发布 is held back; undone, the draft is published through the draft bar and
 * the product's PDF follows. The xlsx layout: a cell's expression edited in the grid and a row
 * added → the preview table and the downloaded workbook follow. The leave app's template opens.
 */
import { describe, it, expect } from 'vitest';
import { readFileSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import type { Dialog, Page } from 'puppeteer-core';
import { copyApp } from '../helpers/app-copy.js';
import { leaveAppWithConfigAdmin } from '../helpers/leave-config-admin.js';
import { nodeId } from '../helpers/demo.js';
import { repoRoot } from '../helpers/paths.js';
import { startTestServer } from '../helpers/server.js';
import type { Client } from '../helpers/client.js';
import { fetchBinary, pdfText, readWorkbook, requireTools, squash } from '../documents/tools.js';
import { login, shot, waitForText, clickText, e2eSuite, openPage, screenshotDir, type E2EPage } from './browser.js';

const appDir = copyApp();
let admin: Client;
let member = '';
let workUnit = '';
let branch = '';

const env = e2eSuite({
  app: appDir,
  testTimeout: 240_000,
  async setup() {
    requireTools();
    admin = await env.server.login('bj_admin');
    branch = await nodeId(admin, '美域家园社区第二支部');
    const hit = (await admin.get(`/api/records/member?node=${branch}`)).body.items.find((m: any) => m.data.workUnit);
    member = hit.id;
    workUnit = hit.data.workUnit;
  },
  teardown: () => rmSync(appDir, { recursive: true, force: true }),
});

const SHEET = readFileSync(join(repoRoot, 'templates/member-sheet.hbs'), 'utf8').split('\n');
/** 1-based line numbers of the sheet as the repository has it (the draft starts from it). */
const lineOf = (text: string) => SHEET.findIndex((l) => l.trim() === text) + 1;
const ROW = '<tr><td class="k" colspan="2"><span class="no">16.</span>工作单位</td><td class="v" colspan="4">{{#slot}}{{data.workUnit}}{{/slot}}</td></tr>\n';

function answerDialogs(page: Page) {
  page.on('dialog', (d: Dialog) => void d.accept());
}

const barSays = (page: Page, text: string) =>
  page.waitForFunction((t) => (document.querySelector('.studio-bar') as HTMLElement | null)?.innerText.includes(t), {}, text);

/** Logs in at 1366×768 (every dialog accepted) and opens the draft in the studio's draft bar. */
async function openDraft(page: Page, url: string, username: string, password?: string) {
  await page.setViewport({ width: 1366, height: 768 });
  answerDialogs(page);
  await login(page, url, username, password);
  await page.goto(`${url}/#/studio`);
  await clickText(page, '.studio-bar button', '打开草稿');
  await barSays(page, '草稿第 1 稿');
}

/** The text of the print preview's document (the iframe), once it holds `text`. */
async function previewHas(page: Page, text: string) {
  await page.waitForFunction((t) => (document.querySelector('iframe.tpl-preview') as HTMLIFrameElement | null)?.contentDocument?.body?.innerText.includes(t), {}, text);
}

/** A file the page downloads with its own session (the link's href), as bytes. */
async function download(page: Page, selector: string): Promise<Buffer> {
  const b64 = await page.$eval(selector, async (a) => {
    const res = await fetch((a as HTMLAnchorElement).href, { credentials: 'same-origin' });
    if (!res.ok) return `error ${res.status}`;
    const bytes = new Uint8Array(await res.arrayBuffer());
    let s = '';
    for (const b of bytes) s += String.fromCharCode(b);
    return btoa(s);
  });
  if (b64.startsWith('error')) throw new Error(`${selector}: ${b64}`);
  return Buffer.from(b64, 'base64');
}

/** Types into the code editor as one input (no auto-closed tags or brackets), at the cursor. */
async function typeInEditor(page: Page, text: string) {
  await page.keyboard.sendCharacter(text);
}

const activeLine = (page: Page) => page.$eval('.cm-activeLineGutter', (e) => Number((e as HTMLElement).innerText.trim()));

/** Picks the preview's record: searches for it, then chooses it by id. */
async function pick(page: Page, search: string, id: string) {
  await page.$eval('caiji-studio-template-record input[type=search]', (el, t) => {
    const input = el as HTMLInputElement;
    input.value = t;
    input.dispatchEvent(new Event('change', { bubbles: true }));
  }, search);
  await page.waitForSelector(`caiji-studio-template-record select option[value="${id}"]`);
  await page.select('caiji-studio-template-record select', id);
}

function pdfPicture(pdf: Buffer, name: string): string {
  mkdirSync(screenshotDir, { recursive: true });
  const file = join(screenshotDir, `${name}.pdf`);
  writeFileSync(file, pdf);
  execFileSync('pdftoppm', ['-png', '-r', '70', '-f', '1', '-l', '1', '-singlefile', file, join(screenshotDir, name)]);
  rmSync(file);
  return join(screenshotDir, `${name}.png`);
}

describe('the studio\'s template editor', () => {
  it('a new row in the member sheet: preview, draft PDF, a broken edit held back, publish, the product\'s PDF', async () => {
    const page: E2EPage = await openPage(env.browser, 'studio-templates');
    await openDraft(page, env.server.url, 'config_admin');

    // The template opens with the cursor where ?focus= says: the line closing the form's table.
    const tableEnd = lineOf('</table>');
    await page.goto(`${env.server.url}/#/studio/templates/member-sheet.hbs?focus=${tableEnd}:1`);
    await page.waitForSelector('.tpl-code-host .cm-content');
    await page.waitForFunction((n) => Number((document.querySelector('.cm-activeLineGutter') as HTMLElement | null)?.innerText) === n, {}, tableEnd);
    await pick(page, '黄静', member);
    await previewHas(page, '党员基本信息采集表');
    await previewHas(page, '黄静');
    const slotsBefore = Number(/本表共 (\d+) 个值槽/.exec(await page.$eval('.tpl-slots', (e) => (e as HTMLElement).innerText))![1]);
    expect(slotsBefore).toBeGreaterThan(20);

    // A row printing 工作单位, saved with Ctrl+S: the preview shows it, one value slot more.
    await typeInEditor(page, ROW);
    await waitForText(page, '有未保存的修改');
    await page.keyboard.down('Control');
    await page.keyboard.press('s');
    await page.keyboard.up('Control');
    await previewHas(page, '16.工作单位');
    await previewHas(page, workUnit);
    await page.waitForFunction((n) => (document.querySelector('.tpl-slots') as HTMLElement).innerText.includes(`本表共 ${n} 个值槽`), {}, slotsBefore + 1);
    expect(await page.$eval('.tpl-slots', (e) => (e as HTMLElement).innerText)).not.toContain('整张表按原样打印');
    await barSays(page, '可发布');
    await shot(page, 'studio-templates-sheet');

    // The draft's PDF, one click away, has the row; the product still prints the published sheet.
    const pdf = await download(page, 'a[download][href$=".pdf"]');
    expect(squash(pdfText(pdf))).toContain(squash(`16.工作单位${workUnit}`));
    pdfPicture(pdf, 'studio-templates-draft-pdf');
    const product = async () => squash(pdfText((await fetchBinary(admin, 'GET', `/api/records/member/${member}/documents/member-sheet.pdf`)).body));
    expect(await product()).not.toContain('16.工作单位');

    // A broken edit: an {{#if}} never closed. Its lint marker shows, the bar counts it, 发布 is held back.
    const eachLine = lineOf('{{#each sheets}}');
    await page.goto(`${env.server.url}/#/studio/templates/member-sheet.hbs?focus=${eachLine + 1}:1`);
    await page.waitForFunction((n) => Number((document.querySelector('.cm-activeLineGutter') as HTMLElement | null)?.innerText) === n, {}, eachLine + 1);
    await typeInEditor(page, '{{#if draft}}\n');
    await clickText(page, '.tpl-toolbar button', '保存并预览');
    await page.waitForSelector('.tpl-code-host .cm-lint-marker-error');
    await page.waitForSelector('.tpl-code-host .cm-lintRange-error');
    await barSays(page, '有 1 个错误');
    expect(await page.$eval('.tpl-problems', (e) => (e as HTMLElement).innerText)).toMatch(/第\d+行第\d+列.*不配对/);
    const publish = await page.$$eval('.studio-bar button', (bs) => bs.filter((b) => (b as HTMLElement).innerText === '发布').map((b) => (b as HTMLButtonElement).disabled));
    expect(publish).toEqual([true]);
    // The preview keeps the last good version and says so.
    await waitForText(page, '预览仍是上次正确保存的版本');
    await shot(page, 'studio-templates-broken');

    // The draft bar's error link leads to the problem's line in the editor.
    const problemLine = Number(/第(\d+)行/.exec(await page.$eval('.tpl-problems', (e) => (e as HTMLElement).innerText))![1]);
    await page.goto(`${env.server.url}/#/studio`);
    await page.waitForSelector('.studio-problems');
    await page.$eval('.studio-problems', (d) => ((d as HTMLDetailsElement).open = true));
    await clickText(page, '.studio-problems a', 'member-sheet.hbs');
    await page.waitForSelector('.tpl-code-host .cm-content');
    await page.waitForFunction((n) => Number((document.querySelector('.cm-activeLineGutter') as HTMLElement | null)?.innerText) === n, {}, problemLine);

    // Fixed (the line removed again), saved, published through the draft bar: the product prints the row.
    await page.goto(`${env.server.url}/#/studio/templates/member-sheet.hbs?focus=${eachLine + 1}:1`);
    await page.waitForFunction((n) => Number((document.querySelector('.cm-activeLineGutter') as HTMLElement | null)?.innerText) === n, {}, eachLine + 1);
    await page.keyboard.down('Shift');
    await page.keyboard.press('ArrowDown');
    await page.keyboard.up('Shift');
    await page.keyboard.press('Backspace');
    await clickText(page, '.tpl-toolbar button', '保存并预览');
    await barSays(page, '可发布');
    await page.waitForFunction(() => !document.querySelector('.tpl-code-host .cm-lint-marker-error'));
    expect(await activeLine(page)).toBe(eachLine + 1);
    await clickText(page, '.studio-bar button', '发布');
    await page.waitForSelector('#studio-note');
    await page.type('#studio-note', '采集表增加工作单位');
    await clickText(page, 'dialog .dialog-foot button', '发布');
    await barSays(page, '没有打开的草稿');
    const published = await product();
    expect(published).toContain(squash(`16.工作单位${workUnit}`));
  });

  it('the xlsx layout: a cell edited and a row added in the grid → the preview table and the workbook follow', async () => {
    const page: E2EPage = await openPage(env.browser, 'studio-templates-grid');
    await openDraft(page, env.server.url, 'config_admin');
    await page.goto(`${env.server.url}/#/studio/templates/org-sheet.xlsx.json`);
    await page.waitForSelector('table.tpl-grid td.tpl-cell');
    await pick(page, '美域家园社区第二支部', branch);
    await page.waitForSelector('table.tpl-xlsx');
    const previewText = () => page.$eval('.tpl-preview-pane', (e) => (e as HTMLElement).innerText);
    await page.waitForFunction(() => (document.querySelector('.tpl-preview-pane') as HTMLElement).innerText.includes('美域家园社区第二支部委员会'));

    // The cell printing the organization's full name, opened and changed.
    await clickText(page, 'table.tpl-grid td.tpl-cell', '{{data.fullName}}');
    await page.waitForSelector('.tpl-cell-panel textarea');
    await page.$eval('.tpl-cell-panel textarea', (t) => (t as HTMLTextAreaElement).select());
    await page.keyboard.sendCharacter('{{data.fullName}}（草稿版式）');
    // A row below it printing the short name.
    await clickText(page, '.tpl-grid-actions button', '插入行');
    await page.waitForSelector('.tpl-cell-panel textarea');
    await page.focus('.tpl-cell-panel textarea');
    await page.keyboard.sendCharacter('简称：{{data.shortName}}');
    await clickText(page, '.tpl-toolbar button', '保存并预览');
    await page.waitForFunction(() => (document.querySelector('.tpl-preview-pane') as HTMLElement).innerText.includes('（草稿版式）'));
    const text = await previewText();
    expect(text).toContain('美域家园社区第二支部委员会（草稿版式）');
    expect(text).toMatch(/简称：\S+/);
    await shot(page, 'studio-templates-grid');

    // The downloaded workbook has both.
    const wb = await readWorkbook(await download(page, 'a[download][href$=".xlsx"]'));
    const cells: string[] = [];
    wb.worksheets[0].eachRow((r) => r.eachCell((c) => { cells.push(String(c.value ?? '')); }));
    expect(cells.some((c) => c.endsWith('美域家园社区第二支部委员会（草稿版式）'))).toBe(true);
    expect(cells.some((c) => /^简称：\S+/.test(c))).toBe(true);

    // The 附页 sheet marks its repeated row block.
    await clickText(page, '.tpl-sheet-tabs button', '附页');
    await page.waitForSelector('table.tpl-grid tr.tpl-repeat .tpl-badge');
    expect(await page.$eval('table.tpl-grid tr.tpl-repeat th', (e) => e.getAttribute('title'))).toContain('related.units');
    await shot(page, 'studio-templates-grid-repeat');
    // The toasts of this session sit over the bar's right end until they go.
    await page.mouse.move(300, 500);
    await page.waitForFunction(() => !document.querySelector('.toast'), { timeout: 30_000 });
    await clickText(page, '.studio-bar button', '放弃草稿');
    await barSays(page, '没有打开的草稿');
  });

  it('the leave application\'s template opens in the same editor with its preview', async () => {
    const dir = leaveAppWithConfigAdmin();
    const server = await startTestServer(dir);
    try {
      const page: E2EPage = await openPage(env.browser, 'studio-templates-leave');
      await openDraft(page, server.url, 'cfg', 'leave-demo');
      await page.goto(`${server.url}/#/studio/templates/leave-slip.hbs`);
      await page.waitForSelector('.tpl-code-host .cm-content');
      await page.waitForFunction(() => (document.querySelector('.cm-content') as HTMLElement).innerText.includes('{{#each sheets}}'));
      await previewHas(page, '请假');
      await shot(page, 'studio-templates-leave');
    } finally {
      await server.stop();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
