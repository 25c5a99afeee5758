/**
 * 统计 in the browser names the bands of a date for what they are: 按 入党日期 offers and heads
 * the table with years elapsed (「入党日期（距今年数，截至 …）」, 不满5年 …), 按 出生日期 with an
 * age — as the schema's x-dateBands says (test/api/stats-date-bands.test.ts counts them).
 */
import { describe, it, expect } from 'vitest';
import { login, shot, clickText, e2eSuite, openPage, type E2EPage } from './browser.js';

const env = e2eSuite();

/** Sets a control's value as a person's choice would (the change event the page listens to). */
async function setValue(page: E2EPage, selector: string, value: string) {
  await page.$eval(selector, (el, v) => {
    (el as HTMLInputElement).value = v;
    el.dispatchEvent(new Event('change', { bubbles: true }));
  }, value);
}

const optionText = (page: E2EPage, value: string) => page.$eval(`#s-rows option[value="${value}"]`, (o) => o.textContent?.trim());
const headerText = (page: E2EPage) => page.$eval('caiji-stats-page table.stats-table thead th', (th) => (th as HTMLElement).innerText.trim());
const rowLabels = (page: E2EPage) => page.$$eval('caiji-stats-page table.stats-table tbody th[scope=row]', (ths) => ths.map((th) => (th as HTMLElement).innerText.trim()));

describe('statistics by bands of a date in the browser', () => {
  it('入党日期 is banded by years elapsed, 出生日期 by age — in the choice, the reference date and the table', async () => {
    const page = await openPage(env.browser, 'stats-bands', 1280, 900);
    await login(page, env.server.url, 'ft_admin');
    await clickText(page, 'nav.topnav a', '查询统计');
    await clickText(page, 'nav.qs-tabs a', '统计');
    await page.waitForSelector('#s-rows option[value="age:joinDate"]');
    expect(await optionText(page, 'age:joinDate')).toBe('入党日期（距今年数）');
    expect(await optionText(page, 'age:birthDate')).toBe('出生日期（年龄段）');

    await page.select('#s-rows', 'age:joinDate');
    await page.waitForSelector('#s-at');
    expect(await page.$eval('label[for="s-at"]', (l) => l.textContent?.trim())).toBe('距今年数计算截至');
    await setValue(page, '#s-at', '2026-01-01');
    await clickText(page, 'caiji-stats-page button[type=submit]', '统计');
    await page.waitForFunction(() => document.querySelector('caiji-stats-page table.stats-table thead th')?.textContent?.includes('入党日期'));
    expect(await headerText(page)).toBe('入党日期（距今年数，截至 2026-01-01）');
    const labels = await rowLabels(page);
    expect(labels.slice(0, 3)).toEqual(['不满5年', '5—9年', '10—19年']);
    expect(labels.join()).not.toMatch(/岁/);
    await shot(page, 'stats-join-years');

    await page.select('#s-rows', 'age:birthDate');
    expect(await page.$eval('label[for="s-at"]', (l) => l.textContent?.trim())).toBe('年龄计算截至');
    await clickText(page, 'caiji-stats-page button[type=submit]', '统计');
    await page.waitForFunction(() => document.querySelector('caiji-stats-page table.stats-table thead th')?.textContent?.includes('出生日期'));
    expect(await headerText(page)).toBe('出生日期（年龄，截至 2026-01-01）');
    expect((await rowLabels(page))[0]).toBe('30岁及以下');
    await page.close();
  });
});
