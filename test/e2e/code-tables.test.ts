/**
 * A config admin edits a code table in the browser (a private copy of the app: saving writes
 * forms/codes): adds a code, deprecates one with that code as its replacement; an admin's form
 * then offers the new code and not the deprecated one; the 需重新录入 report lists the record that
 * holds the old code and a one-to-one bulk replacement (dry run first) fixes it.
 */
import { describe, it, expect } from 'vitest';
import { rmSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { copyApp } from '../helpers/app-copy.js';
import { memberData, nodeId } from '../helpers/demo.js';
import type { Client } from '../helpers/client.js';
import { login, shot, waitForText, clickText, e2eSuite, openPage, type E2EPage } from './browser.js';

const appDir = copyApp();
let admin: Client;
let branch: string;
let memberId: string;
type P = E2EPage;

const env = e2eSuite({
  app: appDir,
  testTimeout: 120_000,
  async setup() {
    admin = await env.server.login('pdl_admin');
    branch = await nodeId(admin, '潘东亮支部乙');
    // A record holding 014 (企业管理人员), which the config admin is about to deprecate.
    const res = await admin.post('/api/records/member', memberData(branch, { name: '替换测试', jobPosition: '014' }));
    if (res.status !== 201) throw new Error(`member: ${res.status} ${JSON.stringify(res.body)}`);
    memberId = res.body.id;
  },
  teardown: () => rmSync(appDir, { recursive: true, force: true }),
});

const open = (name: string): Promise<P> => openPage(env.browser, `codes-${name}`);

/** The labels the code select of a field offers for a typed text. */
async function offered(page: P, field: string, typed: string): Promise<string[]> {
  const sel = `[data-field="${field}"] input[role=combobox]`;
  await page.click(sel, { count: 3 });
  await page.keyboard.press('Backspace');
  await page.keyboard.type(typed);
  await new Promise((r) => setTimeout(r, 200));
  return page.$$eval(`[data-field="${field}"] li[role=option]:not(.empty)`,
    (els) => els.map((e) => `${e.querySelector('.opt-label')!.textContent!.trim()} ${e.querySelector('.opt-code')!.textContent!.trim()}`));
}

describe('code-table editor, new input and the 需重新录入 report', () => {
  it('a config admin adds a code and deprecates one with it as replacement; errors show at the row', async () => {
    const page = await open('edit');
    await login(page, env.server.url, 'config_admin');
    await page.goto(`${env.server.url}/#/codes/job-position`);
    await clickText(page, 'button', '编辑代码表');
    await page.waitForSelector('.code-editor tr[data-code="014"]');
    // A code in use cannot be removed: the button is disabled and says why.
    const used = await page.$eval('.code-editor tr[data-code="011"]', (tr) => ({
      disabled: (tr.querySelector('td:last-child button') as HTMLButtonElement).disabled,
      why: tr.querySelector('.blocked-why')?.textContent ?? '',
    }));
    expect(used.disabled).toBe(true);
    expect(used.why).toMatch(/条记录使用，不能删除/);

    // A long table is edited by searching: only the matching rows stay, until the search is cleared.
    await page.type('#code-edit-q', '农民工');
    await page.waitForFunction(() => !document.querySelector('.code-editor tr[data-code="011"]'));
    const found = await page.$$eval('.code-editor tbody tr[data-row]', (rows) => rows.map((r) => r.getAttribute('data-code')));
    expect(found).toEqual(['0164', '0253']);
    await shot(page, 'codes-edit-search');
    await page.click('#code-edit-q', { count: 3 });
    await page.keyboard.press('Backspace');
    await page.waitForSelector('.code-editor tr[data-code="011"]');

    // A duplicate code is refused by the server and shown at its row.
    await clickText(page, 'button', '添加代码');
    const last = await page.$$eval('.code-editor tbody tr[data-row]', (rows) => rows.length - 1);
    await page.type(`#code-${last}-code`, '014');
    await page.type(`#code-${last}-label`, '新经济组织管理人员');
    const refusal = page.expectApiFailure(/^PUT \/api\/codes\/job-position$/, 422); // the duplicate, on purpose
    await clickText(page, 'button', '保存代码表');
    await page.waitForSelector('.code-editor tr.row-error');
    refusal();
    expect(await page.$eval('.code-editor tr.row-error', (e) => e.textContent)).toMatch(/重复/);
    await shot(page, '40-code-table-row-error');

    // Corrected: the new code 0171, and 014 deprecated with 0171 as its only replacement.
    await page.click(`#code-${last}-code`, { count: 3 });
    await page.keyboard.type('0171');
    const i014 = await page.$eval('.code-editor tr[data-code="014"]', (tr) => Number((tr as HTMLElement).dataset.row));
    await page.click(`#code-${i014}-off`);
    await page.waitForSelector(`#code-${i014}-replacedBy`);
    await page.click(`#code-${i014}-replacedBy`);
    await page.click(`#code-${i014}-replacedBy-0171`);
    await page.select(`#code-${last}-parent`, '01');
    await page.click(`#code-${last}-provisional`);
    await page.type(`#code-${last}-note`, '待核实');
    await shot(page, '41-code-table-editing');
    await clickText(page, 'button', '保存代码表');
    // 014 is held by a record: the save asks first.
    await clickText(page, 'dialog[open] button', '确认保存');
    await waitForText(page, '已保存为第');
    const saved = (await admin.get('/api/codes/job-position')).body.version;
    await waitForText(page, `已保存为第 ${saved} 版`);
    expect(await page.$eval('h1', (h) => h.textContent)).toContain(`第 ${saved} 版`);
    await shot(page, '42-code-table-saved');
    const table = (await admin.get('/api/codes/job-position')).body;
    expect(table.codes.find((c: any) => c.code === '014')).toMatchObject({ replacedBy: ['0171'] });
    expect(table.codes.find((c: any) => c.code === '0171')).toMatchObject({ label: '新经济组织管理人员', parent: '01', provisional: true, note: '待核实' });
    expect(page.problems).toEqual([]);
  });

  it("an admin's new form offers the new code, not the deprecated one", async () => {
    const page = await open('form');
    await login(page, env.server.url, 'pdl_admin');
    await page.goto(`${env.server.url}/#/new/member?node=${branch}`);
    await page.waitForSelector('[data-field="jobPosition"] input[role=combobox]');
    expect(await offered(page, 'jobPosition', '新经济')).toEqual(['新经济组织管理人员 0171']);
    expect(await offered(page, 'jobPosition', '企业管理人员')).toEqual(['企业管理人员 021']); // the non-public one; 014 is gone
    expect(await offered(page, 'jobPosition', '014')).toEqual([]);
    expect(await offered(page, 'jobPosition', '机关干部')).toEqual([]);
    await shot(page, '43-form-new-code');

    // The stored old value is still shown, marked, with its replacement named.
    await page.goto(`${env.server.url}/#/record/member/${memberId}`);
    await page.waitForSelector('[data-field="jobPosition"] .combo .tag-off');
    await page.click('[data-field="jobPosition"] input[role=combobox]');
    const stored = await page.$eval('[data-field="jobPosition"] li[aria-disabled=true]', (e) => e.textContent!.replace(/\s+/g, ' '));
    expect(stored).toMatch(/企业管理人员\s*014\s*已停用\s*改用 新经济组织管理人员（0171）/);
    // Current codes come first; the stored old one is last and cannot be chosen again.
    await page.$eval('[data-field="jobPosition"]', (e) => e.scrollIntoView({ block: 'center' }));
    await shot(page, '43b-form-deprecated-value');
    expect(page.problems).toEqual([]);
  });

  it('the report lists the record; a one-to-one bulk replacement shows its dry run, then fixes it', async () => {
    const page = await open('report');
    await login(page, env.server.url, 'pdl_admin');
    await page.goto(`${env.server.url}/#/browse/${branch}`);
    await clickText(page, 'a.btn', '需重新录入');
    await page.waitForSelector('.recode-group[data-code="014"]');
    expect(await page.$eval('.recode-group[data-code="014"]', (e) => e.textContent)).toContain('替换测试');
    // The one-to-many code is explained, not offered for bulk replacement.
    const many = await page.$('.recode-group[data-code="011"]');
    if (many) expect(await many.evaluate((e) => e.textContent)).toMatch(/须?在表单中重新选择|对应多个新代码/);
    await shot(page, '44-recode-report');

    await clickText(page, '.recode-group[data-code="014"] button', '批量替换');
    await page.waitForSelector('dialog[open] .dry-run-summary');
    expect(await page.$eval('dialog[open] .dry-run-summary', (e) => e.textContent)).toMatch(/将把 1 条记录/);
    expect(await page.$eval('dialog[open]', (e) => e.textContent)).toContain('替换测试');
    expect((await admin.get(`/api/records/member/${memberId}`)).body.data.jobPosition).toBe('014');
    await shot(page, '45-recode-dry-run');
    await clickText(page, 'dialog[open] button', '确认替换 1 条');
    await waitForText(page, '已将 1 条记录');
    await page.waitForFunction(() => !document.querySelector('.recode-group[data-code="014"]'));
    await shot(page, '46-recode-done');
    expect((await admin.get(`/api/records/member/${memberId}`)).body.data.jobPosition).toBe('0171');
    expect(page.problems).toEqual([]);
  });

  it('a save that lost the race reloads and says so; a refused change on disk shows as a red notice', async () => {
    const page = await open('conflict');
    await login(page, env.server.url, 'config_admin');
    await page.goto(`${env.server.url}/#/codes/nation`);
    await clickText(page, 'button', '编辑代码表');
    await page.waitForSelector('.code-editor #code-0-label');
    // Someone else saves first, through the API.
    const cfg = await env.server.login('config_admin');
    const t = (await cfg.get('/api/codes/nation')).body;
    expect((await cfg.put('/api/codes/nation', { ...t, codes: [...t.codes, { code: '99', label: '他人添加' }] }, t.version)).status).toBe(200);
    await page.click('#code-0-label', { count: 3 });
    await page.keyboard.type('汉族（改）');
    page.expectApiFailure(/^PUT \/api\/codes\/nation$/, 409); // the stale save, on purpose
    await clickText(page, 'button', '保存代码表');
    // 汉族 is held by records: renaming it is asked first.
    await clickText(page, 'dialog[open] button', '确认保存');
    await waitForText(page, '已被他人修改');
    await waitForText(page, `已重新加载第 ${t.version + 1} 版`);
    expect(await page.$eval('#code-0-label', (i) => (i as HTMLInputElement).value)).toBe('汉族');
    expect(await page.$eval('.code-editor tr[data-code="99"] input', (i) => (i as HTMLInputElement).value)).toBe('他人添加');
    await shot(page, '47-code-table-conflict');

    // A broken file on disk is refused; the last good config stays and the admin is told.
    const file = join(appDir, 'forms/codes/nation.json');
    const good = readFileSync(file, 'utf8');
    writeFileSync(file, '{ "table": "nation", "codes": [ ');
    await env.server.engine.config.reload();
    try {
      await page.goto(`${env.server.url}/#/codes`);
      await page.waitForSelector('.notice-error');
      expect(await page.$eval('.notice-error', (e) => e.textContent)).toMatch(/配置修改未生效[\s\S]*nation\.json/);
      await shot(page, '48-config-refused-notice');
    } finally {
      writeFileSync(file, good);
      await env.server.engine.config.reload();
    }
    expect(page.problems).toEqual([]);
  });
  it('the code-table page lists what is still 待核实, and a code whose name is pending shows 名称待核实 in the form (issue 20, 11)', async () => {
    const page = await open('pending');
    await login(page, env.server.url, 'config_admin');
    await page.goto(`${env.server.url}/#/codes`);
    await page.waitForSelector('tr[data-table="nation"]');
    await page.click('#codes-pending');
    await page.waitForFunction(() => !document.querySelector('tr[data-table="nation"]'));
    const listed = await page.$$eval('tr[data-table]', (trs) => trs.map((tr) => ({ table: tr.getAttribute('data-table'), pending: tr.querySelector('td:last-child')!.textContent!.trim() })));
    expect(listed.map((r) => r.table)).toContain('job-position');
    for (const r of listed) expect(Number(r.pending), r.table!).toBeGreaterThan(0);
    expect(await page.$eval('.pending-summary', (e) => e.textContent)).toMatch(/\d+ 个代码表共 \d+ 项待核实/);
    await shot(page, '44-code-tables-pending');

    await page.goto(`${env.server.url}/#/codes/job-position`);
    await page.waitForSelector('#code-pending');
    if (!(await page.$eval('#code-pending', (e) => (e as HTMLInputElement).checked))) await page.click('#code-pending');
    await page.waitForFunction(() => [...document.querySelectorAll('.data-table tbody tr')].every((tr) => tr.querySelector('.tag-warn')));
    const rows = await page.$$eval('.data-table tbody tr', (trs) => trs.map((tr) => tr.textContent!.replace(/\s+/g, ' ')));
    expect(rows.length).toBeGreaterThan(0);
    expect(rows.find((r) => r.includes('502'))).toMatch(/待核实.*名称待核实/);
    expect(rows.some((r) => r.includes('离退休人员'))).toBe(false); // an official code is not listed
    await shot(page, '44b-code-table-pending-rows');

    // The member form offers 502 by its code and the neutral name, never the file's placeholder.
    const form = await open('pending-form');
    await login(form, env.server.url, 'pdl_admin');
    await form.goto(`${env.server.url}/#/new/member?node=${branch}`);
    await form.waitForSelector('[data-field="jobPosition"] input[role=combobox]');
    expect(await offered(form, 'jobPosition', '502')).toEqual(['名称待核实 502']);
    expect(page.problems).toEqual([]);
    expect(form.problems).toEqual([]);
  });
});
