/**
 * A conditional column in a child table (issue 21): on a copy of the application whose
 * 家庭主要成员及社会关系 asks for 工作单位及职务 only when the row's 政治面貌 is 中共党员 (if/then in
 * `items`), the grid leaves that cell out of a row — a dash — until the row's condition holds, then
 * offers it required, and its error names table, row and column; the row dialog on a narrow window
 * shows the column only once the condition holds, as the form does for fields.
 */
import { describe, it, expect } from 'vitest';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { copyApp } from '../helpers/app-copy.js';
import { login, shot, clickText, e2eSuite, openPage, type E2EPage } from './browser.js';

const appDir = copyApp();
const schemaFile = join(appDir, 'forms/member.schema.json');
const schema = JSON.parse(readFileSync(schemaFile, 'utf8'));
schema.properties.family.items.allOf = [{
  if: { properties: { politicalStatus: { const: '01' } }, required: ['politicalStatus'] },
  then: { required: ['workUnit'] },
}];
writeFileSync(schemaFile, JSON.stringify(schema, null, 2));

const env = e2eSuite({ app: appDir, teardown: () => rmSync(appDir, { recursive: true, force: true }) });
const TABLE = '家庭主要成员及社会关系';

async function openMember(page: E2EPage, name: string) {
  const admin = await env.server.login('bj_admin');
  const id = (await admin.get(`/api/records/member?q=${encodeURIComponent(name)}`)).body.items[0].id;
  await login(page, env.server.url, 'bj_admin');
  await page.goto(`${env.server.url}/#/record/member/${id}`);
  await page.waitForSelector('caiji-record-form [data-field="family"] caiji-table-grid');
  await page.$eval('[data-field="family"]', (e) => e.scrollIntoView({ block: 'start' }));
  return page.$eval('caiji-table-grid', (g) => (g as unknown as { gridId: string }).gridId);
}

const cellSel = (base: string, i: number, c: string) => `[id="${base}-${i}-${c}"]`;

async function chooseCode(page: E2EPage, sel: string, search: string) {
  await page.click(sel);
  await page.type(sel, search);
  await page.waitForFunction((s) => !!document.querySelector(s)?.closest('caiji-code-select')?.querySelector('li.active'), {}, sel);
  await page.keyboard.press('Enter');
}

describe('a conditional column in the child-table grid', () => {
  it('is left out of a row until the row’s condition holds, then asked for as required', async () => {
    const page = await openPage(env.browser, 'child-table-conditions', 1366, 768);
    const base = await openMember(page, '周涛');
    await clickText(page, 'caiji-table-grid button', '添加一行');
    await page.waitForSelector(cellSel(base, 0, 'name'));
    await page.type(cellSel(base, 0, 'name'), '周小梅');
    await chooseCode(page, cellSel(base, 0, 'relation'), '长女');
    // 政治面貌 not chosen yet: 工作单位及职务 is not asked in this row (a dash, no control).
    const notAsked = `caiji-table-grid tbody tr:nth-child(1) td.not-asked[data-column="workUnit"]`;
    await page.waitForSelector(notAsked);
    expect(await page.$(cellSel(base, 0, 'workUnit'))).toBeNull();
    // Other columns keep their controls.
    expect(await page.$(cellSel(base, 0, 'homeAddress'))).not.toBeNull();

    // 群众: the condition does not hold, still not asked.
    await chooseCode(page, cellSel(base, 0, 'politicalStatus'), '群众');
    await page.waitForSelector(notAsked);

    // 中共党员: the cell appears, required, and left empty its error names table, row and column.
    await chooseCode(page, cellSel(base, 0, 'politicalStatus'), '中共党员');
    await page.waitForSelector(cellSel(base, 0, 'workUnit'));
    expect(await page.$eval(cellSel(base, 0, 'workUnit'), (e) => (e as HTMLInputElement).required)).toBe(true);
    await page.focus(cellSel(base, 0, 'workUnit'));
    await page.keyboard.press('Tab');
    await page.waitForFunction((s) => !!document.querySelector(s)?.textContent?.trim(), {}, `[id="${base}-0-workUnit-err"]`);
    expect(await page.$eval(`[id="${base}-0-workUnit-err"]`, (e) => (e as HTMLElement).innerText.trim())).toBe(`「${TABLE}」第1行「工作单位及职务」为必填项`);
    await shot(page, 'child-table-conditions-grid');
    await page.close();
  });

  it('the row dialog shows the column only once the row’s condition holds', async () => {
    const page = await openPage(env.browser, 'child-table-conditions-narrow', 420, 800);
    const base = await openMember(page, '何军');
    expect(await page.$eval('caiji-table-grid .table-grid', (e) => e.classList.contains('compact'))).toBe(true);
    await clickText(page, 'caiji-table-grid button', '添加一行');
    await page.waitForSelector('caiji-dialog.row-dialog dialog[open]');
    await page.type(`[id="${base}-dlg-name"]`, '何小军');
    const labels = () => page.$$eval('caiji-dialog.row-dialog .field-label', (els) => els.map((e) => (e as HTMLElement).innerText.trim()));
    expect(await labels()).not.toContain('工作单位及职务');
    expect(await page.$(`[id="${base}-dlg-workUnit"]`)).toBeNull();
    await chooseCode(page, `[id="${base}-dlg-politicalStatus"]`, '中共党员');
    await page.waitForSelector(`[id="${base}-dlg-workUnit"]`);
    expect(await labels()).toContain('*工作单位及职务');
    await page.type(`[id="${base}-dlg-workUnit"]`, '某街道办事处 科员');
    await shot(page, 'child-table-conditions-dialog');
    await clickText(page, 'caiji-dialog.row-dialog button', '完成');
    await page.waitForFunction(() => !document.querySelector('caiji-dialog.row-dialog'));
    await page.close();
  });
});
