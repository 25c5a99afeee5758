/**
 * The studio read as a config admin reads it (an outside tester's walk): the form preview lays the
 * form out for its own width at 1280×800 and 1440×900; the draft bar's words agree with its 发布
 * button; the publish confirmation repeats the impact analysis (or says it was not run); the
 * version diff names a keyword as the property panel does (中组部采集项, not x-essential); a
 * rollback's note is the admin's own words and the history line says each thing once; people are
 * named by display name (versions, history, draft bar, the record conflict dialog), and a conflict
 * with oneself in another tab says so.
 */
import { describe, it, expect } from 'vitest';
import { rmSync } from 'node:fs';
import type { Page } from 'puppeteer-core';
import { copyApp } from '../helpers/app-copy.js';
import { nodeId } from '../helpers/demo.js';
import { login, shot, waitForText, clickText, e2eSuite, openPage, type E2EPage } from './browser.js';

const appDir = copyApp();
const env = e2eSuite({ app: appDir, testTimeout: 240_000, teardown: () => rmSync(appDir, { recursive: true, force: true }) });

const CONFIG_ADMIN = '市委组织部配置管理员';
const barText = (page: Page) => page.$eval('.studio-bar', (e) => (e as HTMLElement).innerText);
const barSays = (page: Page, text: string) =>
  page.waitForFunction((t) => (document.querySelector('.studio-bar') as HTMLElement | null)?.innerText.includes(t), { timeout: 20_000 }, text);
const publishDisabled = (page: Page) => page.$$eval('.studio-bar button', (bs) =>
  (bs.find((b) => (b as HTMLElement).innerText.trim() === '发布') as HTMLButtonElement).disabled);
const rowCells = (page: Page, selector: string) => page.$$eval(selector, (trs) =>
  trs.map((tr) => [...tr.children].map((c) => (c as HTMLElement).innerText.trim())));

/** The preview's form as laid out: its columns, and the narrowest visible text input, date input and help text (px). */
function previewLayout(page: Page) {
  return page.$eval('caiji-studio-form-preview', (p) => {
    const visible = (e: Element) => (e as HTMLElement).offsetParent !== null;
    const widths = (sel: string) => [...p.querySelectorAll(sel)].filter(visible).map((e) => Math.round(e.getBoundingClientRect().width));
    const grid = p.querySelector('.form-grid')!;
    return {
      columns: getComputedStyle(grid).gridTemplateColumns.split(' ').length,
      preview: Math.round(p.getBoundingClientRect().width),
      input: Math.min(...widths('.field input[type=text], .field input:not([type]), .field input[type=date], .field .combo')),
      date: Math.min(...widths('[data-field="birthDate"] input')),
      help: Math.min(...widths('.field-help')),
    };
  });
}

describe('the studio, readable', () => {
  it('preview at 1280 and 1440; draft bar; publish shows the impact; diff by keyword title; rollback note; display names', async () => {
    const page = await openPage(env.browser, 'studio-readable', 1280, 800);
    page.on('dialog', (d) => void d.accept());
    await login(page, env.server.url, 'config_admin');
    await page.goto(`${env.server.url}/#/studio/forms/member`);
    await clickText(page, '.studio-bar button', '打开草稿');
    await page.waitForSelector('caiji-studio-form-designer .designer-field');

    // A draft without changes: nothing to publish, and the bar does not say 可发布 beside a disabled 发布.
    await barSays(page, '尚无修改');
    expect(await barText(page)).not.toContain('可发布');
    expect(await publishDisabled(page)).toBe(true);
    // The bar names the admin by display name.
    expect(await barText(page)).toContain(CONFIG_ADMIN);

    // The preview at 1280×800: one column in the ~420 px it has, inputs and help text readable.
    await page.waitForSelector('caiji-studio-form-preview [data-field="birthDate"] input');
    const at1280 = await previewLayout(page);
    await shot(page, 'studio-readable-preview-1280');
    expect(at1280.preview).toBeLessThan(600);
    expect(at1280.columns).toBe(1);
    expect(at1280.input).toBeGreaterThanOrEqual(200);
    expect(at1280.date).toBeGreaterThanOrEqual(200);
    expect(at1280.help).toBeGreaterThanOrEqual(200);
    await page.setViewport({ width: 1440, height: 900 });
    await page.waitForFunction(() => document.querySelector('caiji-studio-form-preview')!.getBoundingClientRect().width > 500);
    const at1440 = await previewLayout(page);
    await shot(page, 'studio-readable-preview-1440');
    expect(at1440.input).toBeGreaterThanOrEqual(200);
    expect(at1440.help).toBeGreaterThanOrEqual(200);
    await page.setViewport({ width: 1280, height: 800 });

    // 籍贯 becomes an essential item: the panel's checkbox is labelled by the app's name for it.
    await page.click('caiji-studio-form-designer li.designer-field[data-name="nativePlace"]');
    await page.waitForFunction(() => (document.querySelector('#prop-name') as HTMLInputElement | null)?.value === 'nativePlace');
    const panelLabel = await page.$eval('label.essential-label', (e) => (e as HTMLElement).innerText.trim());
    expect(panelLabel).toContain('中组部采集项');
    await page.click('#prop-essential');
    await barSays(page, '可发布');
    expect(await publishDisabled(page)).toBe(false);

    // The publish confirmation says the impact was not analysed; analysed there, it repeats the counts.
    await clickText(page, '.studio-bar button', '发布');
    await page.waitForSelector('#studio-note');
    const note = () => page.$eval('.studio-note-impact', (e) => (e as HTMLElement).innerText);
    expect(await note()).toContain('尚未做影响分析');
    await clickText(page, '.studio-note-impact button', '影响分析');
    await page.waitForFunction(() => (document.querySelector('.studio-note-impact') as HTMLElement | null)?.innerText.includes('已检查'), { timeout: 60_000 });
    expect(await note()).toMatch(/党员：将不完整 \d+ 条/);
    await shot(page, 'studio-readable-publish-dialog');
    await page.type('#studio-note', '籍贯列为中组部采集项');
    await clickText(page, 'dialog .dialog-foot button', '发布');
    await barSays(page, '没有打开的草稿');

    // Versions: the author by display name; the diff names the keyword as the panel does.
    await page.goto(`${env.server.url}/#/studio`);
    await page.waitForSelector('tr[data-version="2"]');
    expect((await rowCells(page, 'tr[data-version="2"]'))[0][1]).toBe(CONFIG_ADMIN);
    await page.select('#diff-a', '1');
    await page.select('#diff-b', '2');
    await clickText(page, 'form.toolbar button', '比较');
    await page.waitForSelector('.studio-diff-doc[data-path="forms/member.schema.json"] tbody tr');
    const diffRows = await rowCells(page, '.studio-diff-doc[data-path="forms/member.schema.json"] tbody tr');
    await shot(page, 'studio-readable-diff');
    expect(diffRows.map((r) => r[0])).toContain('字段 籍贯（nativePlace）.中组部采集项');
    expect(JSON.stringify(diffRows)).not.toContain('x-essential');

    // Rollback: the note box is empty (the admin's words only), the version note joins both apart.
    await page.click('tr[data-version="1"] button');
    await page.waitForSelector('#rollback-note');
    expect(await page.$eval('#rollback-note', (t) => (t as HTMLTextAreaElement).value)).toBe('');
    await page.type('#rollback-note', '撤回籍贯必采');
    expect(await page.$eval('#rollback-note-result', (e) => (e as HTMLElement).innerText)).toContain('回滚到第 1 版：撤回籍贯必采');
    await clickText(page, 'dialog .dialog-foot button', '回滚');
    await page.waitForSelector('tr[data-version="3"]');
    expect((await rowCells(page, 'tr[data-version="3"]'))[0][3]).toBe('回滚到第 1 版：撤回籍贯必采');
    await page.waitForFunction(() => (document.querySelector('.studio-history') as HTMLElement).innerText.includes('回滚'));
    const history = await rowCells(page, '.studio-history tbody tr');
    const rolled = history.find((r) => r[2] === '回滚')!;
    expect(rolled[4]).toBe('撤回籍贯必采；由第 2 版回到第 1 版');
    // The history names its people by display name; the import of the files is the system's.
    expect(history.filter((r) => r[2] !== '导入').map((r) => r[1])).toEqual(history.filter((r) => r[2] !== '导入').map(() => CONFIG_ADMIN));
    await shot(page, 'studio-readable-rolled-back');
  });
});

describe('the record conflict dialog names who saved', () => {
  /** A member of 潘东亮支部乙 in bj_admin's record page, with the mobile changed and saved on a stale version. */
  async function staleSave(page: E2EPage, id: string, typed: string) {
    await page.click('[data-field="mobile"] input', { count: 3 });
    await page.keyboard.type(typed);
    page.expectApiFailure(/^PUT \/api\/records\/member\/[\w-]+$/, 409);
    await clickText(page, '.toolbar button', '保存');
    await page.waitForSelector('caiji-conflict-dialog dialog[open]');
    return page.$eval('caiji-conflict-dialog dialog', (d) => (d as HTMLElement).innerText);
  }

  it('another user by display name; the same user in another tab as such', async () => {
    const pdl = await env.server.login('pdl_admin');
    const branch = await nodeId(pdl, '潘东亮支部乙');
    const member = (await pdl.get(`/api/records/member?node=${branch}`)).body.items[0];
    const page = await openPage(env.browser, 'studio-readable-conflict');
    await login(page, env.server.url, 'bj_admin');
    await page.goto(`${env.server.url}/#/record/member/${member.id}`);
    await page.waitForSelector('[data-field="mobile"] input');

    // pdl_admin saves first: the dialog names 潘东亮支部乙管理员, spaced like the rest of the product.
    const current = (await pdl.get(`/api/records/member/${member.id}`)).body;
    expect((await pdl.put(`/api/records/member/${member.id}`, { ...current.data, mobile: '13511112222' }, current.version)).status).toBe(200);
    const other = await staleSave(page, member.id, '13600000000');
    await page.waitForFunction(() => (document.querySelector('caiji-conflict-dialog dialog') as HTMLElement).innerText.includes('潘东亮支部乙管理员 于 '));
    await shot(page, 'studio-readable-conflict-other');
    expect(other).toContain('已被他人修改');
    expect(await page.$eval('caiji-conflict-dialog dialog', (d) => (d as HTMLElement).innerText)).not.toContain('pdl_admin');
    await clickText(page, 'caiji-conflict-dialog button', '按所选合并');
    await page.waitForFunction(() => !document.querySelector('caiji-conflict-dialog'));

    // bj_admin saves in another tab (the API, same account): no 他人.
    const bj = await env.server.login('bj_admin');
    const now = (await bj.get(`/api/records/member/${member.id}`)).body;
    expect((await bj.put(`/api/records/member/${member.id}`, { ...now.data, mobile: '13533334444' }, now.version)).status).toBe(200);
    const self = await staleSave(page, member.id, '13700000000');
    await shot(page, 'studio-readable-conflict-self');
    expect(self).toContain('已在其他窗口或标签页中修改');
    expect(self).not.toContain('他人');
    await waitForText(page, '您于 ');
  });
});
