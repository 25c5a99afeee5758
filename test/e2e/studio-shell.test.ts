/**
 * The config studio's shell, through the browser only (no file edited): a config admin opens a
 * draft, changes a collection's list columns in 应用设置, types a broken edit in the JSON view (a
 * syntax error named by line and column, then a column naming no field), follows the draft bar's
 * error link to the place, fixes it, undoes and redoes, reads the impact, publishes with a note —
 * and an admin's member list shows the new column; the versions list, a diff of the two versions,
 * rollback and the list restored. Four-eyes on a copy whose manifest asks for a second admin, and
 * the leave fixture application in the same studio.
 */
import { describe, it, expect, afterAll } from 'vitest';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Dialog, Page } from 'puppeteer-core';
import { copyApp } from '../helpers/app-copy.js';
import { nodeId } from '../helpers/demo.js';
import { leaveAppWithConfigAdmin } from '../helpers/leave-config-admin.js';
import { startTestServer, type TestServer } from '../helpers/server.js';
import { login, shot, waitForText, clickText, e2eSuite, openPage, type E2EPage } from './browser.js';

const appDir = copyApp();
let branch = '';

const env = e2eSuite({
  app: appDir,
  testTimeout: 240_000,
  async setup() {
    branch = await nodeId(await env.server.login('pdl_admin'), '潘东亮支部乙');
  },
  teardown: () => rmSync(appDir, { recursive: true, force: true }),
});

/** Answers every confirm() of the page (accepts unless told otherwise), remembering the questions asked. */
function answerDialogs(page: Page): { asked: string[]; accept: boolean } {
  const state = { asked: [] as string[], accept: true };
  page.on('dialog', (d: Dialog) => { state.asked.push(d.message()); void (state.accept ? d.accept() : d.dismiss()); });
  return state;
}

/** The column headers of a collection's list as an admin sees it in the product (a fresh session: the config in force). */
async function memberColumns(browser: Browser, server: TestServer, tag: string): Promise<string[]> {
  const page = await openPage(browser, tag);
  await login(page, server.url, 'pdl_admin');
  await page.goto(`${server.url}/#/list/member/${branch}`);
  await page.waitForSelector('table thead th');
  await waitForText(page, '潘东亮');
  const heads = await page.$$eval('table thead th', (ths) => ths.map((t) => (t as HTMLElement).innerText.trim()));
  await shot(page, tag);
  await page.close();
  return heads;
}

const barText = (page: Page) => page.$eval('.studio-bar', (e) => (e as HTMLElement).innerText);

/** Waits for the draft bar to say something (its state after a save, undo, publish …). */
async function barSays(page: Page, text: string) {
  await page.waitForFunction((t) => (document.querySelector('.studio-bar') as HTMLElement | null)?.innerText.includes(t), {}, text);
}

/** Saves the manifest editor's edits and waits until the draft took them (its version went up). */
async function saveManifest(page: Page) {
  const before = await barText(page);
  await clickText(page, '.studio-toolbar button', '保存');
  await page.waitForFunction((b) => (document.querySelector('.studio-bar') as HTMLElement).innerText !== b && !document.querySelector('.studio-toolbar .btn-primary:not([disabled])'), {}, before);
}

describe('the studio shell: draft, manifest, errors, undo, impact, publish, versions, rollback', () => {
  it('a list-column change goes from the draft to the product and back by rollback', async () => {
    const before = await memberColumns(env.browser, env.server, 'studio-product-before');
    expect(before).not.toContain('最高学历');

    const page = await openPage(env.browser, 'studio-shell');
    await page.setViewport({ width: 1366, height: 768 });
    const dialogs = answerDialogs(page);
    await login(page, env.server.url, 'config_admin');
    await clickText(page, 'nav.topnav a', '配置工作台');
    await page.waitForSelector('tr[data-version="1"]');
    await barSays(page, '没有打开的草稿');
    await shot(page, 'studio-overview-no-draft');

    // Open the draft; the section nav lists the draft's collections, tables, workflows, templates.
    await clickText(page, '.studio-bar button', '打开草稿');
    await barSays(page, '草稿第 1 稿');
    // Collections, a code table, a workflow and a template by their titles (read from the draft as they arrive).
    const titles = ['党员', '党组织', '单位', '民族', '党员信息确认', '党员基本信息采集表', '应用设置'];
    await page.waitForFunction((ts) => ts.every((t: string) => (document.querySelector('.studio-nav') as HTMLElement).innerText.includes(t)), {}, titles);
    const nav = await page.$$eval('.studio-nav a', (as) => as.map((a) => a.getAttribute('href')));
    for (const h of ['#/studio/forms/member', '#/studio/codes/nation', '#/studio/workflows/member-confirmation', '#/studio/templates/member-sheet.hbs']) expect(nav).toContain(h);

    // 应用设置: the member list gains 最高学历 (chosen from the collection's fields).
    await clickText(page, '.studio-nav a', '应用设置');
    await page.waitForSelector('[data-pointer="/collections/member/listColumns"] select option[value="education"]');
    await page.select('[data-pointer="/collections/member/listColumns"] select', 'education');
    await page.waitForSelector('[data-pointer="/collections/member/listColumns"] li[data-field="education"]');
    expect(await page.$eval('[data-pointer="/collections/member/listColumns"] li[data-field="education"]', (e) => (e as HTMLElement).innerText)).toContain('最高学历');

    // Unsaved: leaving asks first; staying keeps the edit.
    dialogs.accept = false;
    await clickText(page, '.studio-nav a', '版本与历史');
    await page.waitForFunction(() => document.querySelector('li[data-field="education"]') !== null);
    expect(dialogs.asked.at(-1)).toContain('未保存的修改');
    expect(await page.evaluate(() => location.hash)).toBe('#/studio/manifest');
    dialogs.accept = true;
    await shot(page, 'studio-manifest-form');
    await saveManifest(page);
    await barSays(page, '草稿第 2 稿');

    // The JSON view: a syntax error is named by line and column as it is typed.
    await clickText(page, '.studio-tabs button', 'JSON');
    await page.waitForSelector('#manifest-json');
    await page.focus('#manifest-json');
    await page.evaluate(() => (document.querySelector('#manifest-json') as HTMLTextAreaElement).setSelectionRange(0, 0));
    await page.keyboard.type('x');
    await page.waitForFunction(() => document.querySelector('#manifest-json-error')!.textContent!.includes('第 1 行第 1 列'));
    await shot(page, 'studio-manifest-json-error');
    expect(await page.$eval('.studio-toolbar .btn-primary', (b) => (b as HTMLButtonElement).disabled)).toBe(true);
    await page.keyboard.press('Backspace');
    await page.waitForFunction(() => document.querySelector('#manifest-json-error')!.textContent === '');

    // A broken edit: a list column naming no field of the collection. The draft keeps it, with the error.
    await page.evaluate(() => {
      const ta = document.querySelector('#manifest-json') as HTMLTextAreaElement;
      const at = ta.value.indexOf('"listColumns": [', ta.value.indexOf('"member": {')) + '"listColumns": ['.length;
      ta.setSelectionRange(at, at);
    });
    await page.keyboard.type('"nosuchfield", ');
    await saveManifest(page);
    await barSays(page, '1 个错误');
    const link = await page.$eval('.studio-problems a.problem-link', (a) => ({ href: a.getAttribute('href')!, text: (a as HTMLElement).innerText }));
    expect(link.text).toContain('nosuchfield');
    expect(link.href).toBe('#/studio/manifest?focus=%2Fcollections%2Fmember');
    expect(await page.$eval('.studio-bar button.btn-primary', (b) => (b as HTMLButtonElement).disabled)).toBe(true); // 发布

    // The link leads to the place: the member collection in the form view, the bad column marked, focused.
    await page.click('.studio-problems a.problem-link');
    await page.waitForSelector('fieldset.studio-focus[data-collection="member"] li.missing[data-field="nosuchfield"]');
    await page.waitForFunction(() => !!document.activeElement?.closest('fieldset[data-collection="member"]'));
    expect(await page.$eval('fieldset[data-collection="member"] .error-list', (e) => (e as HTMLElement).innerText)).toContain('nosuchfield');
    await shot(page, 'studio-error-link-place');

    // Fixed in the form: the column removed and saved.
    await page.focus('li.missing[data-field="nosuchfield"] button[aria-label^="移除"]');
    await page.keyboard.press('Enter');
    await saveManifest(page);
    await barSays(page, '可发布');

    // Undo brings the broken edit back (and the editor follows); Ctrl+Shift+Z redoes the fix.
    await clickText(page, '.studio-bar button', '撤销');
    await barSays(page, '1 个错误');
    await page.waitForSelector('li.missing[data-field="nosuchfield"]');
    await page.keyboard.down('Control');
    await page.keyboard.down('Shift');
    await page.keyboard.press('KeyZ');
    await page.keyboard.up('Shift');
    await page.keyboard.up('Control');
    await barSays(page, '可发布');
    await page.waitForFunction(() => !document.querySelector('li.missing'));

    // The impact on the stored records, per collection.
    await clickText(page, '.studio-bar button', '影响分析');
    await page.waitForSelector('.studio-impact-table tr[data-collection="member"]');
    const impact = await page.$eval('.studio-impact', (e) => (e as HTMLElement).innerText);
    expect(impact).toMatch(/已检查 \d+ 条记录/);
    expect(impact).toContain('将不合规');
    expect(impact).toContain('党员');
    await shot(page, 'studio-impact');

    // Publish with a note.
    await clickText(page, '.studio-bar button', '发布');
    await page.waitForSelector('#studio-note');
    await page.type('#studio-note', '党员列表增加最高学历');
    await clickText(page, 'dialog .dialog-foot button', '发布');
    await barSays(page, '没有打开的草稿');
    await page.goto(`${env.server.url}/#/studio`);
    await page.waitForSelector('tr[data-version="2"]');
    expect(await page.$eval('tr[data-version="2"]', (e) => (e as HTMLElement).innerText)).toContain('党员列表增加最高学历');

    expect(await memberColumns(env.browser, env.server, 'studio-product-published')).toContain('最高学历');

    // The diff of version 1 and 2: the manifest's list columns, before and after, side by side.
    await page.select('#diff-a', '1');
    await page.select('#diff-b', '2');
    await clickText(page, 'form.toolbar button', '比较');
    await page.waitForSelector('.studio-diff-doc[data-path="forms/app.json"] tbody tr');
    const row = await page.$$eval('.studio-diff-doc[data-path="forms/app.json"] tbody tr', (trs) =>
      trs.map((tr) => [...tr.children].map((c) => (c as HTMLElement).innerText.trim())).find((cells) => cells[0].includes('member/listColumns')));
    expect(row).toBeDefined();
    expect(row![1]).not.toContain('education');
    expect(row![2]).toContain('education');
    await shot(page, 'studio-diff');

    // Rollback to version 1: a new version 3, and the product's list is as before.
    await page.click('tr[data-version="1"] button');
    await page.waitForSelector('#rollback-note');
    await clickText(page, 'dialog .dialog-foot button', '回滚');
    await page.waitForSelector('tr[data-version="3"]');
    expect(await page.$eval('tr[data-version="3"]', (e) => (e as HTMLElement).innerText)).toContain('回滚');
    await page.waitForFunction(() => (document.querySelector('.studio-history') as HTMLElement).innerText.includes('回滚'));
    const history = await page.$eval('.studio-history', (e) => (e as HTMLElement).innerText);
    for (const a of ['打开草稿', '保存草稿', '发布', '回滚']) expect(history).toContain(a);
    await shot(page, 'studio-versions-after-rollback');
    expect(await memberColumns(env.browser, env.server, 'studio-product-rolled-back')).not.toContain('最高学历');
  });
});

describe('four-eyes: one config admin proposes, another approves', () => {
  const dir = copyApp();
  const manifest = JSON.parse(readFileSync(join(dir, 'forms/app.json'), 'utf8'));
  writeFileSync(join(dir, 'forms/app.json'), JSON.stringify({ ...manifest, publishNeedsSecondAdmin: true }, null, 2));
  let server: TestServer | undefined;
  afterAll(async () => {
    await server?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('the proposer waits; the second config admin approves and the version is published', async () => {
    server = await startTestServer(dir);
    const bj = await server.login('bj_admin');
    const root = await nodeId(bj, '中共北京市委');
    expect((await bj.post('/api/grants', { node: root, role: 'config', username: 'bj_admin' })).status).toBe(201);

    const cfg = await openPage(env.browser, 'studio-four-eyes-cfg');
    answerDialogs(cfg);
    await login(cfg, server.url, 'config_admin');
    await cfg.goto(`${server.url}/#/studio/manifest`);
    await clickText(cfg, '.studio-bar button', '打开草稿');
    await cfg.waitForSelector('#m-unit-title');
    await cfg.click('#m-unit-title', { count: 3 });
    await cfg.keyboard.type('所在单位');
    await cfg.keyboard.press('Tab');
    await saveManifest(cfg);
    expect(await cfg.$$eval('.studio-bar button', (bs) => bs.map((b) => (b as HTMLElement).innerText))).not.toContain('发布');
    await clickText(cfg, '.studio-bar button', '提交审批');
    await cfg.type('#studio-note', '单位改称所在单位');
    await clickText(cfg, 'dialog .dialog-foot button', '提交审批');
    await barSays(cfg, '等待另一位配置管理员批准');
    expect(await cfg.$$eval('.studio-bar button', (bs) => bs.map((b) => (b as HTMLElement).innerText))).not.toContain('批准发布');
    await shot(cfg, 'studio-four-eyes-proposed');

    const second = await openPage(env.browser, 'studio-four-eyes-bj');
    answerDialogs(second);
    await login(second, server.url, 'bj_admin');
    await clickText(second, 'nav.topnav a', '配置工作台');
    await barSays(second, '单位改称所在单位');
    await clickText(second, '.studio-bar button', '批准发布');
    await second.waitForSelector('#studio-note');
    await clickText(second, 'dialog .dialog-foot button', '批准发布');
    await barSays(second, '没有打开的草稿');
    await second.waitForSelector('tr[data-version="2"]');
    expect(await second.$eval('tr[data-version="2"]', (e) => (e as HTMLElement).innerText)).toContain('单位改称所在单位');
    await shot(second, 'studio-four-eyes-approved');
    expect((await bj.get('/api/app')).body.collections.unit.title).toBe('所在单位');
  });
});

describe('the leave fixture application in the same studio', () => {
  // The fixture has no config admin: its copy gets one (cfg).
  const dir = leaveAppWithConfigAdmin();
  let server: TestServer | undefined;
  afterAll(async () => {
    await server?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('lists its collections, table, workflow and template, and edits its manifest', async () => {
    server = await startTestServer(dir);
    const page: E2EPage = await openPage(env.browser, 'studio-leave');
    answerDialogs(page);
    await login(page, server.url, 'cfg', 'leave-demo');
    await clickText(page, 'nav.topnav a', '配置工作台');
    await clickText(page, '.studio-bar button', '打开草稿');
    // Named by their titles: the table 假别, the workflow 请假审批, the template by its document 请假单.
    await page.waitForFunction(() => ['部门', '请假单', '假别', '请假审批'].every((t) => (document.querySelector('.studio-nav') as HTMLElement).innerText.includes(t)));
    const hrefs = ['#/studio/forms/department', '#/studio/forms/leave', '#/studio/codes/leave-kind', '#/studio/workflows/leave-approval',
      '#/studio/templates/leave-slip.hbs', '#/studio/manifest'];
    await page.waitForFunction((hs) => {
      const nav = [...document.querySelectorAll('.studio-nav a')].map((a) => a.getAttribute('href'));
      return hs.every((h: string) => nav.includes(h));
    }, {}, hrefs);
    await clickText(page, '.studio-nav a', '应用设置');
    await page.waitForSelector('fieldset[data-collection="leave"] li[data-field="employee"]');
    const roles = await page.$$eval('fieldset[data-role]', (fs) => fs.map((f) => f.getAttribute('data-role')));
    expect(roles).toEqual(expect.arrayContaining(['director', 'manager', 'employee', 'config']));
    // Its own permissions (approve, final) are offered beside the engine's.
    expect(await page.$eval('fieldset[data-role="director"]', (e) => (e as HTMLElement).innerText)).toContain('final');
    await shot(page, 'studio-leave-manifest');
    await clickText(page, '.studio-bar button', '放弃草稿');
    await barSays(page, '没有打开的草稿');
  });
});
