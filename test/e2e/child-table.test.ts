/**
 * A child table (家庭主要成员及社会关系, forms/member.schema.json `family`) in the browser: the
 * editable grid of the record form — rows added by mouse and keyboard, cells filled (a code cell
 * by search), per-cell errors naming table, row and column, rows reordered and deleted by keyboard
 * and mouse, saved and read back in order — the member's own page showing the rows, and the row
 * dialog on a narrow window.
 */
import { describe, it, expect } from 'vitest';
import { login, shot, waitForText, clickText, e2eSuite, openPage, type E2EPage } from './browser.js';

const env = e2eSuite();
type P = E2EPage;
const TABLE = '家庭主要成员及社会关系';

async function memberId(name: string): Promise<string> {
  const admin = await env.server.login('bj_admin');
  const res = await admin.get(`/api/records/member?q=${encodeURIComponent(name)}`);
  return res.body.items[0].id;
}

async function openRecord(page: P, id: string) {
  await page.goto(`${env.server.url}/#/record/member/${id}`);
  await page.waitForSelector('caiji-record-form [data-field="family"] caiji-table-grid');
  await page.$eval('[data-field="family"]', (e) => e.scrollIntoView({ block: 'start' }));
}

/** The id base of the grid: cell (i, c) is `${base}-${i}-${c}`. */
const gridBase = (page: P) => page.$eval('caiji-table-grid', (g) => (g as unknown as { gridId: string }).gridId);
const cellSel = (base: string, i: number, c: string) => `[id="${base}-${i}-${c}"]`;
const focusedId = (page: P) => page.evaluate(() => document.activeElement?.id ?? '');
/** The rows' 姓名 cells as shown, top to bottom. */
const names = (page: P) => page.$$eval('caiji-table-grid tbody tr td[data-column="name"] input', (els) => els.map((e) => (e as HTMLInputElement).value));
const cellError = (page: P, base: string, i: number, c: string) =>
  page.$eval(`[id="${base}-${i}-${c}-err"]`, (e) => (e as HTMLElement).innerText.trim()).catch(() => '');

/** Chooses a code in a code cell by typing part of its label and Enter. */
async function chooseCode(page: P, sel: string, search: string) {
  await page.click(sel);
  await page.type(sel, search);
  await page.waitForFunction((s) => !!document.querySelector(s)?.closest('caiji-code-select')?.querySelector('li.active'), {}, sel);
  await page.keyboard.press('Enter');
}

/**
 * Types a date into a date input as a person does: digits in the order of the browser's own date
 * fields (year first in zh-CN, month first in an en-US headless shell).
 */
async function typeDate(page: P, sel: string, iso: string) {
  const order = await page.evaluate(() => new Intl.DateTimeFormat(navigator.language).formatToParts(new Date(2000, 10, 22))
    .filter((x) => x.type === 'year' || x.type === 'month' || x.type === 'day').map((x) => x.type));
  const [year, month, day] = iso.split('-');
  const parts: Record<string, string> = { year, month, day };
  await page.focus(sel);
  for (const t of order) await page.keyboard.type(parts[t]);
}

describe('child table (家庭主要成员及社会关系)', () => {
  it('adds, fills, checks, reorders and deletes rows by mouse and keyboard; saved rows come back in order', async () => {
    const id = await memberId('周涛');
    const page = await openPage(env.browser, 'child-table', 1366, 768);
    await login(page, env.server.url, 'bj_admin');
    await openRecord(page, id);
    await waitForText(page, '暂无，点击「添加一行」');
    const base = await gridBase(page);

    // Row 1 by mouse: focus lands in its first cell.
    await clickText(page, 'caiji-table-grid button', '添加一行');
    await page.waitForSelector(cellSel(base, 0, 'name'));
    await page.waitForFunction((id) => document.activeElement?.id === id, {}, `${base}-0-name`);
    await page.keyboard.type('周小梅');
    await chooseCode(page, cellSel(base, 0, 'relation'), '长女');
    // A future 出生日期: the cell's error names table, row and column.
    await typeDate(page, cellSel(base, 0, 'birthDate'), '2099-01-01');
    await page.keyboard.press('Tab');
    await page.waitForFunction((s) => !!document.querySelector(s)?.textContent?.trim(), {}, `[id="${base}-0-birthDate-err"]`);
    const futureMsg = await cellError(page, base, 0, 'birthDate');
    expect(futureMsg).toContain(`「${TABLE}」第1行「出生日期」`);
    expect(await page.$eval(cellSel(base, 0, 'birthDate'), (e) => e.getAttribute('aria-invalid'))).toBe('true');
    await shot(page, 'child-table-1-cell-error');

    // Row 2 by keyboard: Enter on 添加一行; 姓名 left empty is an error naming row 2.
    await page.focus(`[id="${base}-add"]`);
    await page.keyboard.press('Enter');
    await page.waitForFunction((id) => document.activeElement?.id === id, {}, `${base}-1-name`);
    await page.keyboard.press('Tab');
    await page.waitForFunction((s) => !!document.querySelector(s)?.textContent?.trim(), {}, `[id="${base}-1-name-err"]`);
    expect(await cellError(page, base, 1, 'name')).toContain(`「${TABLE}」第2行「姓名」`);
    // Saving now is refused in the browser, focus goes to the first wrong cell.
    await clickText(page, '.toolbar button', '保存');
    await waitForText(page, '需要更正后才能保存');
    expect(await focusedId(page)).toBe(`${base}-0-birthDate`);
    // Corrected: a past date, a name and a relation.
    await typeDate(page, cellSel(base, 0, 'birthDate'), '1988-03-05');
    await page.keyboard.press('Tab');
    await page.waitForFunction((s) => !document.querySelector(s)?.textContent?.trim(), {}, `[id="${base}-0-birthDate-err"]`);
    await page.click(cellSel(base, 1, 'name'));
    await page.keyboard.type('周建国');
    await chooseCode(page, cellSel(base, 1, 'relation'), '父亲');
    await chooseCode(page, cellSel(base, 1, 'politicalStatus'), '群众');
    expect(await cellError(page, base, 1, 'name')).toBe('');

    // Alt+↑ on row 2: it moves up, focus follows it.
    await page.focus(cellSel(base, 1, 'name'));
    await page.keyboard.down('Alt');
    await page.keyboard.press('ArrowUp');
    await page.keyboard.up('Alt');
    await page.waitForFunction(() => (document.querySelector('caiji-table-grid tbody tr td[data-column="name"] input') as HTMLInputElement | null)?.value === '周建国');
    expect(await names(page)).toEqual(['周建国', '周小梅']);
    await page.waitForFunction((id) => document.activeElement?.id === id, {}, `${base}-0-name`);
    // Alt+↓ moves it back, 下移 by mouse once more: 周建国 second again, then first after 上移.
    await page.keyboard.down('Alt');
    await page.keyboard.press('ArrowDown');
    await page.keyboard.up('Alt');
    await page.waitForFunction((id) => document.activeElement?.id === id, {}, `${base}-1-name`);
    expect(await names(page)).toEqual(['周小梅', '周建国']);
    await page.click(`[id="${base}-1-up"]`);
    await page.waitForFunction((id) => document.activeElement?.id === id, {}, `${base}-0-down`);
    expect(await names(page)).toEqual(['周建国', '周小梅']);

    // A third row with data, deleted by mouse: confirmed in a dialog naming the row.
    await clickText(page, 'caiji-table-grid button', '添加一行');
    await page.waitForFunction((id) => document.activeElement?.id === id, {}, `${base}-2-name`);
    await page.keyboard.type('临时行');
    await page.click(`[id="${base}-2--remove"]`);
    await page.waitForSelector('caiji-dialog.confirm-dialog dialog[open]');
    expect(await page.$eval('caiji-dialog.confirm-dialog', (e) => (e as HTMLElement).innerText)).toContain('第3行（临时行）');
    await shot(page, 'child-table-2-confirm-delete');
    await clickText(page, 'caiji-dialog.confirm-dialog button', '删除');
    await page.waitForFunction(() => !document.querySelector('caiji-dialog.confirm-dialog'));
    expect(await names(page)).toEqual(['周建国', '周小梅']);
    // An empty row deleted by keyboard goes at once, focus stays in the table.
    await page.focus(`[id="${base}-add"]`);
    await page.keyboard.press('Enter');
    await page.waitForFunction((id) => document.activeElement?.id === id, {}, `${base}-2-name`);
    await page.focus(`[id="${base}-2--remove"]`);
    await page.keyboard.press('Enter');
    await page.waitForFunction(() => document.querySelectorAll('caiji-table-grid tbody tr').length === 2);
    // Focus moves in the frame after the row is gone (the grid focuses once it has re-rendered).
    await page.waitForFunction((id) => document.activeElement?.id === id, { timeout: 5000 }, `${base}-1--remove`).catch(() => undefined);
    expect(await focusedId(page)).toBe(`${base}-1--remove`);
    await shot(page, 'child-table-3-before-save');

    await clickText(page, '.toolbar button', '保存');
    await waitForText(page, '已保存');
    await page.reload();
    await openRecord(page, id);
    await page.waitForFunction(() => document.querySelectorAll('caiji-table-grid tbody tr').length === 2);
    expect(await names(page)).toEqual(['周建国', '周小梅']);
    const admin = await env.server.login('bj_admin');
    const stored = (await admin.get(`/api/records/member/${id}`)).body.data.family;
    expect(stored).toEqual([
      { name: '周建国', relation: '51', politicalStatus: '13' },
      { name: '周小梅', relation: '32', birthDate: '1988-03-05' },
    ]);
    await shot(page, 'child-table-4-reloaded');
    await page.close();
  });

  it("shows the rows on the member's own page, as a table and in /api/self's text", async () => {
    const page = await openPage(env.browser, 'child-table-self', 1366, 768);
    await login(page, env.server.url, 'pandongliang');
    await page.waitForSelector('caiji-self-page caiji-record-view table.child-table-view');
    const api = await env.server.login('pandongliang');
    const self = (await api.get('/api/self')).body;
    const family = self.record.data.family as { name: string }[];
    expect(family.length).toBeGreaterThan(0);
    const rows = await page.$$eval('table.child-table-view tbody tr', (trs) => trs.map((tr) => (tr as HTMLElement).innerText));
    expect(rows).toHaveLength(family.length);
    family.forEach((r, i) => expect(rows[i]).toContain(r.name));
    const headers = await page.$$eval('table.child-table-view thead th', (ths) => ths.map((th) => th.textContent?.trim()));
    expect(headers).toEqual(expect.arrayContaining(['姓名', '与该人关系', '出生日期']));
    const text = self.fields.find((f: { field: string }) => f.field === 'family').text as string;
    expect(text.split('\n')).toHaveLength(family.length);
    expect(text).toContain(`1. 姓名：${family[0].name}；与该人关系：`);
    expect(text).not.toContain('[object Object]');
    await page.$eval('table.child-table-view', (e) => e.scrollIntoView({ block: 'center' }));
    await shot(page, 'child-table-5-self-page');
    await page.close();
  });

  it('修改信息 names the table among the fields concerned', async () => {
    const ft = await env.server.login('ft_admin');
    const id = (await ft.get(`/api/records/member?q=${encodeURIComponent('芦会倩')}`)).body.items[0].id;
    expect((await ft.post(`/api/records/member/${id}/events`, { type: 'SUBMIT' })).status).toBe(200);
    const page = await openPage(env.browser, 'child-table-change', 1366, 768);
    await login(page, env.server.url, 'luhuiqian');
    await page.waitForSelector('caiji-self-page table.child-table-view');
    await clickText(page, 'caiji-action-bar button', '修改信息');
    await page.waitForSelector('caiji-payload-form .check-group');
    await page.type('caiji-payload-form textarea, caiji-payload-form input[type=text]', '母亲的工作单位已变更');
    await clickText(page, 'caiji-payload-form label.radio', TABLE);
    await shot(page, 'child-table-8-request-change');
    await page.click('caiji-payload-form button[type=submit]');
    await page.waitForFunction(() => !document.querySelector('caiji-payload-form'));
    const history = (await ft.get(`/api/records/member/${id}/history`)).body;
    const entries = (history.items ?? history) as { action: string; payload?: { field: string; value: string }[] }[];
    const asked = entries.find((e) => e.action === 'REQUEST_CHANGE');
    expect(asked?.payload?.find((x) => x.field === 'fields')?.value).toBe(TABLE);
    await page.close();
  });

  it('edits a row in the row dialog on a narrow window', async () => {
    const id = await memberId('何军');
    const page = await openPage(env.browser, 'child-table-narrow', 420, 800);
    await login(page, env.server.url, 'bj_admin');
    await openRecord(page, id);
    const base = await gridBase(page);
    expect(await page.$eval('caiji-table-grid .table-grid', (e) => e.classList.contains('compact'))).toBe(true);
    await clickText(page, 'caiji-table-grid button', '添加一行');
    await page.waitForSelector('caiji-dialog.row-dialog dialog[open]');
    expect(await page.$eval('caiji-dialog.row-dialog h2', (e) => e.textContent)).toContain(`${TABLE} 第1行`);
    // The columns as a vertical form, labelled by their titles.
    await page.type(`[id="${base}-dlg-name"]`, '何小军');
    await chooseCode(page, `[id="${base}-dlg-relation"]`, '长子');
    await shot(page, 'child-table-6-narrow-dialog');
    expect(await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth)).toBe(true);
    await clickText(page, 'caiji-dialog.row-dialog button', '完成');
    await page.waitForFunction(() => !document.querySelector('caiji-dialog.row-dialog'));
    expect(await page.$eval('caiji-table-grid tbody tr .row-summary', (e) => (e as HTMLElement).innerText)).toContain('何小军，长子');
    // Focus returns to the row's 编辑 button; Enter opens the row again.
    expect(await focusedId(page)).toBe(`${base}-0-edit`);
    await page.keyboard.press('Enter');
    await page.waitForSelector('caiji-dialog.row-dialog dialog[open]');
    expect(await page.$eval(`[id="${base}-dlg-name"]`, (e) => (e as HTMLInputElement).value)).toBe('何小军');
    await page.keyboard.press('Escape');
    await page.waitForFunction(() => !document.querySelector('caiji-dialog.row-dialog'));
    await shot(page, 'child-table-7-narrow-summary');
    await page.close();
  });
});
