/**
 * 查询统计 in the browser, as an organization department's admin uses it. 查询: a community admin
 * builds 且 conditions with an 或 group inside, is told at the condition what is missing, chooses
 * columns, sorts by a column header, pages, saves the query shared (its district admin sees it),
 * runs it again from the saved list and exports it. 统计: a district admin counts per
 * sub-organization cross-tabbed by age band; the table equals the API's, the SVG chart draws one
 * bar per non-zero cell and, as a pie, one slice per non-zero row; the table is exported. Each
 * workbook is read back with exceljs.
 */
import { describe, it, expect } from 'vitest';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import { memberData } from '../helpers/demo.js';
import { login, shot, waitForText, clickText, e2eSuite, newPage, type E2EPage } from './browser.js';

const env = e2eSuite();

/** The one file the browser saved into `dir`, read as a workbook. */
async function downloaded(dir: string): Promise<ExcelJS.Worksheet> {
  let saved: string[] = [];
  for (let i = 0; i < 150 && !(saved = readdirSync(dir).filter((f) => !f.endsWith('.crdownload'))).length; i++) await new Promise((r) => setTimeout(r, 100));
  expect(saved).toHaveLength(1);
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.readFile(join(dir, saved[0]));
  return wb.worksheets[0];
}

/** Sets a control's value as a person's choice would (the change event the page listens to). */
async function setValue(page: E2EPage, selector: string, value: string) {
  await page.$eval(selector, (el, v) => {
    (el as HTMLInputElement).value = v;
    el.dispatchEvent(new Event('change', { bubbles: true }));
  }, value);
}

/** The SVG shapes the chart draws for its data: filled paths that are not legend icons (those are placed by a transform). */
const drawnShapes = (page: E2EPage) => page.$$eval('caiji-stats-chart svg path', (ps) =>
  ps.filter((p) => !p.hasAttribute('transform') && !!p.getAttribute('fill') && p.getAttribute('fill') !== 'none').length);

const rowIds = (page: E2EPage) => page.$$eval('caiji-query-page table.query-result tbody tr[data-id]', (rs) => rs.map((r) => r.getAttribute('data-id')));

describe('查询统计 pages', () => {
  it('builds a query of 且 and 或 conditions, sorts, pages, saves it shared, runs it again and exports it', async () => {
    const tnl = await env.server.login('tnl_admin');
    const node = (await tnl.get('/api/me')).body.grants[0].node as string;
    const branch = (await tnl.get(`/api/tree/${node}`)).body.children[0].id as string;
    // 40 members to ask about: 36 women, every other one joined in 1979.
    for (let i = 0; i < 40; i++) {
      const made = await tnl.post('/api/records/member', memberData(branch, { name: `查询甲${i}`, birthDate: `1955-03-0${1 + (i % 9)}`, gender: i < 36 ? '2' : '1', joinDate: i % 2 === 0 ? '1979-05-01' : '2015-07-01', regularDate: i % 2 === 0 ? '1980-05-01' : '2016-07-01' }));
      expect(made.status, JSON.stringify(made.body)).toBe(201);
    }
    const where = {
      op: 'and', items: [
        { field: 'name', op: 'contains', value: '查询甲' },
        { field: 'gender', op: 'in', values: ['2'] },
        { op: 'or', items: [{ field: 'joinDate', op: 'between', to: '1980-12-31' }, { field: 'name', op: 'contains', value: '查询甲1' }] },
      ],
    };
    const columns = ['name', 'gender', 'idNumber', 'education', 'memberType', 'joinDate']; // the form's order
    const total = (await tnl.post('/api/query/member/count', { node, where })).body.total as number;
    expect(total).toBeGreaterThan(20); // two pages

    const downloads = mkdtempSync(join(tmpdir(), 'caiji-query-e2e-'));
    try {
      const page = await newPage(env.browser, 1280, 900, { downloadBehavior: { policy: 'allow', downloadPath: downloads } });
      await login(page, env.server.url, 'tnl_admin');
      await clickText(page, 'nav.topnav a', '查询统计');
      await page.waitForSelector('caiji-condition-editor [data-path="/where"]');

      // 姓名 包含 …, left empty first: the server's message shows at that condition.
      await clickText(page, 'caiji-condition-editor [data-path="/where"] > .cond-actions button', '添加条件');
      await page.select('[data-path="/where/items/0"] select[aria-label="字段"]', 'name');
      page.expectApiFailure(/^POST \/api\/query\/member$/, 422);
      await clickText(page, 'caiji-query-page button[type=submit]', '查询');
      await page.waitForSelector('[data-path="/where/items/0"].has-error');
      expect(await page.$eval('[data-path="/where/items/0"] .cond-error', (e) => (e as HTMLElement).innerText)).toBe('「姓名」请填写要包含的文字');
      await shot(page, '90-query-condition-error');
      await page.type('[data-path="/where/items/0"] input[type=text]', '查询甲');
      await page.keyboard.press('Tab'); // the text is taken on change
      expect(await page.$('[data-path="/where/items/0"].has-error')).toBeNull();

      await clickText(page, 'caiji-condition-editor [data-path="/where"] > .cond-actions button', '添加条件');
      await page.select('[data-path="/where/items/1"] select[aria-label="字段"]', 'gender');
      await page.select('[data-path="/where/items/1"] select[aria-label="性别的值"]', '2');
      // An 或 group inside the 且: joined before 1981, or a name containing 查询甲1.
      await clickText(page, 'caiji-condition-editor [data-path="/where"] > .cond-actions button', '添加分组');
      expect(await page.$eval('[data-path="/where/items/2"] select.cond-join', (s) => (s as HTMLSelectElement).value)).toBe('or');
      await page.select('[data-path="/where/items/2/items/0"] select[aria-label="字段"]', 'joinDate');
      await setValue(page, '[data-path="/where/items/2/items/0"] input[aria-label="截止日期"]', '1980-12-31');
      await clickText(page, '[data-path="/where/items/2"] > .cond-actions button', '添加条件');
      await page.select('[data-path="/where/items/2/items/1"] select[aria-label="字段"]', 'name');
      await page.type('[data-path="/where/items/2/items/1"] input[type=text]', '查询甲1');
      await page.keyboard.press('Tab');

      // Columns: 最高学历 in, 手机号码 out.
      await page.click('caiji-query-page details summary');
      await page.click('caiji-query-page input[name=column][value=education]');
      await page.click('caiji-query-page input[name=column][value=mobile]');
      await clickText(page, 'caiji-query-page button[type=submit]', '查询');
      await waitForText(page, `共 ${total} 条，第 1 / 2 页`);
      const heads = await page.$$eval('caiji-query-page table.query-result thead th', (ths) => ths.map((t) => (t as HTMLElement).innerText.trim()));
      expect(heads).toEqual(['姓名', '性别', '身份证号码', '最高学历', '党员类型', '入党日期', '操作']);
      expect(await rowIds(page)).toEqual((await tnl.post('/api/query/member', { node, where, columns, limit: 20, offset: 0 })).body.items.map((r: { id: string }) => r.id));

      // Sorted by a column header (入党日期, ascending), then the second page.
      await clickText(page, 'caiji-query-page table.query-result thead button', '入党日期');
      await waitForText(page, '入党日期 ▲');
      const sort = { field: 'joinDate', desc: false };
      const sorted = (await tnl.post('/api/query/member', { node, where, columns, sort, limit: 20, offset: 0 })).body.items.map((r: { id: string }) => r.id);
      // The whole page in the sorted order (its first row alone may be the first unsorted one too).
      await page.waitForFunction((ids) => [...document.querySelectorAll('caiji-query-page tbody tr[data-id]')].map((tr) => tr.getAttribute('data-id')).join() === ids.join(), {}, sorted)
        .catch(() => undefined);
      expect(await rowIds(page)).toEqual(sorted);
      await clickText(page, 'caiji-query-page button', '下一页');
      await waitForText(page, '第 2 / 2 页');
      const second = (await tnl.post('/api/query/member', { node, where, columns, sort, limit: 20, offset: 20 })).body.items.map((r: { id: string }) => r.id);
      expect(second).toHaveLength(total - 20);
      await page.waitForFunction((n) => document.querySelectorAll('caiji-query-page tbody tr[data-id]').length === n, {}, total - 20);
      expect(await rowIds(page)).toEqual(second);
      await shot(page, '91-query-result');

      // Saved, shared on the community: its district admin sees it too.
      await page.type('#q-name', '太南里女党员');
      await page.click('caiji-query-page .query-save input[name=shared]');
      await clickText(page, 'caiji-query-page .query-save button', '保存查询');
      await waitForText(page, '已保存查询「太南里女党员」（已共享）');
      const ft = await env.server.login('ft_admin');
      const seen = (await ft.get('/api/query/saved/member')).body.items.find((q: { name: string }) => q.name === '太南里女党员');
      expect(seen).toMatchObject({ mine: false, shared: true, kind: 'query' });

      // Run from the saved list on a fresh page: the same rows, sorted as saved.
      await page.reload();
      await clickText(page, 'caiji-query-page .saved-query button', '太南里女党员');
      await waitForText(page, `共 ${total} 条，第 1 / 2 页`);
      // The whole page in the sorted order (its first row alone may be the first unsorted one too).
      await page.waitForFunction((ids) => [...document.querySelectorAll('caiji-query-page tbody tr[data-id]')].map((tr) => tr.getAttribute('data-id')).join() === ids.join(), {}, sorted)
        .catch(() => undefined);
      expect(await rowIds(page)).toEqual(sorted);

      // Exported: every matching record, the chosen columns under their titles, codes as labels.
      await clickText(page, 'caiji-query-page caiji-export-button button', '导出 Excel');
      await waitForText(page, '已导出');
      const sheet = await downloaded(downloads);
      expect((sheet.getRow(1).values as unknown[]).slice(1)).toEqual(['姓名', '性别', '身份证号码', '最高学历', '党员类型', '入党日期']);
      expect(sheet.rowCount - 1).toBe(total);
      const rows = sheet.getRows(2, total)!;
      expect(rows.every((r) => r.getCell(2).value === '女' && String(r.getCell(1).value).startsWith('查询甲'))).toBe(true);
      expect(rows.map((r) => r.getCell(6).value)).toEqual([...rows.map((r) => r.getCell(6).value as string)].sort());
      expect(page.problems).toEqual([]);
      await page.close();
    } finally {
      rmSync(downloads, { recursive: true, force: true });
    }
  });

  it('counts per sub-organization by age band, draws it as bars and as a pie, and exports the table', async () => {
    const ft = await env.server.login('ft_admin');
    const node = (await ft.get('/api/me')).body.grants[0].node as string;
    const spec = { node, rows: { by: 'children' }, cols: { by: 'age', field: 'birthDate', at: '2026-01-01' } };
    const table = (await ft.post('/api/stats/member', spec)).body;
    const nonZeroCells = table.cells.flat().filter((n: number) => n > 0).length;
    const nonZeroRows = table.rowTotals.filter((n: number) => n > 0).length;
    expect(nonZeroCells).toBeGreaterThan(nonZeroRows); // a cross-tab whose bars and slices differ

    const downloads = mkdtempSync(join(tmpdir(), 'caiji-stats-e2e-'));
    try {
      const page = await newPage(env.browser, 1280, 900, { downloadBehavior: { policy: 'allow', downloadPath: downloads } });
      await login(page, env.server.url, 'ft_admin');
      await clickText(page, 'nav.topnav a', '查询统计');
      await clickText(page, 'nav.qs-tabs a', '统计');
      await page.waitForSelector('#s-rows option[value="age:birthDate"]');
      await page.select('#s-rows', 'children');
      await page.select('#s-cols', 'age:birthDate');
      await setValue(page, '#s-at', '2026-01-01');
      await clickText(page, 'caiji-stats-page button[type=submit]', '统计');
      await page.waitForSelector('caiji-stats-page table.stats-table');
      // The table as the API counts it: each row's cells, its total, and the grand total.
      const shown = await page.$$eval('caiji-stats-page table.stats-table tbody tr', (trs) => trs.map((tr) => [...tr.querySelectorAll('th, td')].map((c) => (c as HTMLElement).innerText.trim())));
      expect(shown.slice(0, -1)).toEqual(table.rows.map((r: { label: string }, i: number) => [r.label, ...table.cells[i].map(String), String(table.rowTotals[i]), expect.stringMatching(/%$/)]));
      expect(shown.at(-1)!.slice(0, -1)).toEqual(['合计', ...table.colTotals.map(String), String(table.total)]);

      // Bars: one per non-zero cell (stacked per sub-organization), drawn in SVG.
      await page.waitForFunction((n) => document.querySelectorAll('caiji-stats-chart svg path').length > n, {}, nonZeroCells);
      expect(await drawnShapes(page)).toBe(nonZeroCells);
      const legend = await page.$$eval('caiji-stats-chart svg text', (ts) => ts.map((t) => t.textContent));
      for (const c of table.cols.filter((_: unknown, j: number) => table.colTotals[j] > 0)) expect(legend).toContain(c.label);
      await shot(page, '92-stats-bar');
      // Pie: one slice per sub-organization that has members.
      await page.select('#s-chart', 'pie');
      await page.waitForFunction((n) => [...document.querySelectorAll('caiji-stats-chart svg path')].filter((p) => !p.hasAttribute('transform') && p.getAttribute('fill') && p.getAttribute('fill') !== 'none').length === n, {}, nonZeroRows);
      expect(await drawnShapes(page)).toBe(nonZeroRows);
      await shot(page, '93-stats-pie');

      await clickText(page, 'caiji-stats-page caiji-export-button button', '导出 Excel');
      await waitForText(page, '已导出');
      const sheet = await downloaded(downloads);
      expect(sheet.getRow(1).getCell(1).value).toBe(table.title);
      expect((sheet.getRow(2).values as unknown[]).slice(1)).toEqual([`${table.rowTitle} \\ ${table.colTitle}`, ...table.cols.map((c: { label: string }) => c.label), '合计', '占比']);
      table.rows.forEach((r: { label: string }, i: number) => {
        expect((sheet.getRow(3 + i).values as unknown[]).slice(1, table.cols.length + 3)).toEqual([r.label, ...table.cells[i], table.rowTotals[i]]);
      });
      expect((sheet.getRow(3 + table.rows.length).values as unknown[]).slice(1, table.cols.length + 3)).toEqual(['合计', ...table.colTotals, table.total]);
      expect(page.problems).toEqual([]);
      await page.close();
    } finally {
      rmSync(downloads, { recursive: true, force: true });
    }
  });
});
