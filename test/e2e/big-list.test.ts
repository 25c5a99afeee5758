/**
 * A branch with 10 000 members: the list pages by cursor in the browser, each page's rows new, and a
 * search narrows it to one.
 */
import { describe, it, expect } from 'vitest';
import { memberData } from '../helpers/demo.js';
import { login, shot, e2eSuite, openPage } from './browser.js';
import { sqliteOf } from '../helpers/sqlite-of.js';

const N = 10_000;
let branch: string;

const env = e2eSuite({
  async setup() {
    const e = env.server.engine;
    const row = await sqliteOf(e).get<{ id: string }>("SELECT id FROM records WHERE collection = 'organization' AND json_extract(data, '$.shortName') = '惠民党支部'");
    branch = row!.id;
    const day = (i: number) => new Date(Date.UTC(1960, 0, 1) + i * 86_400_000).toISOString().slice(0, 10);
    await sqliteOf(e).transaction(async (tx) => {
      for (let i = 0; i < N; i++) {
        await e.records.create({ name: 'bench' }, 'member', memberData(branch, { name: `批量${String(i).padStart(5, '0')}`, birthDate: day(i) }), tx);
      }
    });
  },
});

describe('a branch with 10 000 members', () => {
  it('pages through the list by cursor, one page per click even when clicked twice, and searches', async () => {
    const page = await openPage(env.browser, 'big');
    await login(page, env.server.url, 'tnl_admin');
    const rows = () => page.$$eval('caiji-record-table tbody tr th a', (as) => as.map((a) => a.textContent!.trim()));
    const pager = () => page.$eval('caiji-pager span', (s) => s.textContent!.replace(/\s+/g, ''));
    // The page number changes together with the rows it counts, when they arrive.
    const settled = (n: number) => page.waitForFunction((k) => document.querySelector('caiji-pager nav')?.getAttribute('aria-busy') === 'false'
      && !!document.querySelector('caiji-pager span')?.textContent?.includes(`第 ${k} /`), {}, n);
    const overlap = (a: string[], b: string[]) => a.filter((x) => b.includes(x));

    let t = Date.now();
    await page.goto(`${env.server.url}/#/list/member/${branch}`);
    await page.waitForFunction(() => document.querySelector('caiji-pager span')?.textContent?.includes('10001'));
    await page.waitForSelector('caiji-record-table tbody tr th a'); // the table waits for the form, the pager does not
    const first = Date.now() - t;
    expect(await rows()).toHaveLength(50);
    expect(await pager()).toBe('共10001条，第1/201页');
    const page1 = await rows();

    // A double click while page 2 is on its way goes to page 2, not to a page 3 showing page 2's rows.
    t = Date.now();
    await page.$eval('caiji-pager button:last-child', (b) => { (b as HTMLButtonElement).click(); (b as HTMLButtonElement).click(); });
    await settled(2);
    const page2 = await rows();
    expect(page2).toHaveLength(50);
    expect(overlap(page2, page1)).toEqual([]);

    await page.click('caiji-pager button:last-child');
    await settled(3);
    const page3 = await rows();
    expect(overlap(page3, [...page1, ...page2])).toEqual([]);
    await page.click('caiji-pager button:last-child');
    await settled(4);
    const next = (Date.now() - t) / 3;
    expect(overlap(await rows(), [...page1, ...page2, ...page3])).toEqual([]);
    await page.click('caiji-pager button:nth-of-type(1)');
    await settled(3);
    expect(await rows()).toEqual(page3);
    await shot(page, '22-big-list');

    t = Date.now();
    await page.type('#list-q', '批量09999');
    await page.keyboard.press('Enter');
    await page.waitForFunction(() => document.querySelectorAll('caiji-record-table tbody tr th a').length === 1);
    const search = Date.now() - t;
    expect(await rows()).toEqual(['批量09999']);
    expect(await pager()).toBe('共1条，第1/1页');

    // Timings are reported, not asserted: speed is judged by `npm run bench`, not by a test on a shared machine.
    console.log(`10 000 members: first page ${first} ms, next page ${Math.round(next)} ms, search ${search} ms`);
    expect(page.problems).toEqual([]);
    await page.close();
  });
});
