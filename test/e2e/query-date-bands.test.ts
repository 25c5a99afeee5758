/**
 * 查询's condition on the years since a date, as a person sees it: on 出生日期 (a birth date) it is
 * 年龄 …岁; on 入党日期 it is 距今年数 …年, never 年龄; on a date whose years mean nothing (a copy of
 * the app whose 失联日期 says x-dateBands "none") it is not offered at all.
 */
import { describe, it, expect } from 'vitest';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { copyApp } from '../helpers/app-copy.js';
import { editJson } from '../helpers/date-bands.js';
import { login, clickText, e2eSuite, openPage, type E2EPage } from './browser.js';

const dir = copyApp();
editJson(join(dir, 'forms/member.schema.json'), (sc) => { sc.properties.lostDate['x-dateBands'] = 'none'; });
const env = e2eSuite({ app: dir, teardown: () => rmSync(dir, { recursive: true, force: true }) });

const at = '[data-path="/where/items/0"]';
/** The condition choices offered for a field, by their words. */
async function conditionsOn(page: E2EPage, field: string): Promise<string[]> {
  await page.select(`${at} select[aria-label="字段"]`, field);
  return page.$$eval(`${at} select[aria-label="条件"] option`, (os) => os.map((o) => (o as HTMLOptionElement).text.trim()));
}
/** The words around the range once the years-since condition is chosen: its controls' labels and the unit. */
async function rangeWords(page: E2EPage): Promise<string> {
  await page.select(`${at} select[aria-label="条件"]`, 'age');
  await page.waitForSelector(`${at} input.cond-age`);
  const labels = await page.$$eval(`${at} input`, (is) => is.map((i) => i.getAttribute('aria-label')).join(' '));
  return `${labels} ${await page.$eval(at, (e) => (e as HTMLElement).innerText)}`;
}

describe('query conditions on the years since a date', () => {
  it('are worded as an age, as years since, or not offered, as the field says', async () => {
    const page = await openPage(env.browser, 'query-date-bands');
    await login(page, env.server.url, 'bj_admin');
    await clickText(page, 'nav.topnav a', '查询统计');
    await page.waitForSelector('caiji-condition-editor [data-path="/where"]');
    await clickText(page, 'caiji-condition-editor [data-path="/where"] > .cond-actions button', '添加条件');

    expect(await conditionsOn(page, 'birthDate')).toContain('年龄');
    const birth = await rangeWords(page);
    expect(birth).toContain('最小年龄');
    expect(birth).toContain('岁，截至');

    const join = await conditionsOn(page, 'joinDate');
    expect(join).toContain('距今年数');
    expect(join).not.toContain('年龄');
    const since = await rangeWords(page);
    expect(since).toContain('最小距今年数');
    expect(since).toContain('年，截至');
    expect(since).not.toMatch(/年龄|岁/);

    const lost = await conditionsOn(page, 'lostDate');
    expect(lost).toContain('介于');
    expect(lost.join()).not.toMatch(/年龄|距今年数/);
  });
});
