/**
 * 查询 with a child table ticked as a column: a branch admin sees each member's 家庭主要成员及社会关系
 * in words — one line per row, the form's column titles, code labels (妻, 中共党员), rows joined by
 * 「；」 — not [object Object]; the table is offered neither as a sort key nor as a sortable header.
 */
import { describe, it, expect } from 'vitest';
import { login, shot, clickText, e2eSuite, openPage } from './browser.js';

const env = e2eSuite();

describe('查询: a child table as a column', () => {
  it('shows the table rows in words and does not sort by them', async () => {
    const page = await openPage(env.browser, 'query-table-column', 1280, 900);
    await login(page, env.server.url, 'pdl_admin');
    await clickText(page, 'nav.topnav a', '查询统计');
    await page.waitForSelector('caiji-condition-editor [data-path="/where"]');

    await page.click('caiji-query-page details summary');
    await page.click('caiji-query-page input[name=column][value=family]');
    await clickText(page, 'caiji-query-page button[type=submit]', '查询');
    await page.waitForSelector('caiji-query-page table.query-result tbody tr[data-id]');

    const heads = await page.$$eval('caiji-query-page table.query-result thead th', (ths) => ths.map((t) => ({ text: (t as HTMLElement).innerText.trim(), sorts: !!t.querySelector('button') })));
    const col = heads.findIndex((h) => h.text === '家庭主要成员及社会关系');
    expect(col).toBeGreaterThanOrEqual(0);

    const cells = await page.$$eval('caiji-query-page table.query-result tbody tr[data-id]', (trs, i) =>
      trs.map((tr) => ({ name: (tr.children[0] as HTMLElement).innerText.trim(), family: (tr.children[i] as HTMLElement).innerText.trim() })), col);
    const pan = cells.find((c) => c.name === '潘东亮')!;
    expect(pan).toBeTruthy();
    const lines = pan.family.split('\n');
    expect(lines).toHaveLength(3);
    expect(lines[0]).toMatch(/^姓名 李娜、与该人关系 妻、政治面貌 中共党员、出生日期 1989-03-14、工作单位及职务 .+；$/);
    expect(lines[1]).toMatch(/^姓名 潘建华、与该人关系 父亲、政治面貌 群众、出生日期 1960-11-02、.+；$/);
    expect(lines[2]).toMatch(/^姓名 潘子涵、与该人关系 独生子、出生日期 2016-08-20、.+[^；]$/);
    for (const c of cells) expect(c.family).not.toContain('[object Object]');

    // Rows are no sort key: neither in the 排序 list nor as a header to click.
    expect(heads[col].sorts).toBe(false);
    expect(heads.find((h) => h.text === '姓名')?.sorts).toBe(true);
    const sortOptions = await page.$$eval('caiji-query-page #q-sort option', (os) => os.map((o) => (o as HTMLOptionElement).value));
    expect(sortOptions).toContain('name');
    expect(sortOptions).not.toContain('family');
    await page.$eval('caiji-query-page table.query-result', (t) => t.scrollIntoView());
    await shot(page, '92-query-table-column');
  });
});
