/**
 * A branch with 10 000 members: the list pages by cursor and stays quick in the browser —
 * first page, next pages and a search each answer within a second or two.
 */
import { describe, it, expect } from 'vitest';
import { memberData } from '../helpers/demo.js';
import { login, shot, e2eSuite, openPage } from './browser.js';

const N = 10_000;
let branch: string;

const env = e2eSuite({
  async setup() {
    const e = env.server.engine;
    const row = await e.db.get<{ id: string }>("SELECT id FROM records WHERE collection = 'organization' AND json_extract(data, '$.shortName') = '惠民党支部'");
    branch = row!.id;
    const day = (i: number) => new Date(Date.UTC(1960, 0, 1) + i * 86_400_000).toISOString().slice(0, 10);
    await e.db.transaction(async (tx) => {
      for (let i = 0; i < N; i++) {
        await e.records.create({ name: 'bench' }, 'member', memberData(branch, { name: `批量${String(i).padStart(5, '0')}`, birthDate: day(i) }), tx);
      }
    });
  },
});

describe('a branch with 10 000 members', () => {
  it('pages quickly through the list and searches', async () => {
    const page = await openPage(env.browser, 'big');
    await login(page, env.server.url, 'tnl_admin');
    const rows = () => page.$$eval('caiji-record-table tbody tr th a', (as) => as.map((a) => a.textContent!.trim()));
    const pager = () => page.$eval('caiji-pager span', (s) => s.textContent!.replace(/\s+/g, ''));

    let t = Date.now();
    await page.goto(`${env.server.url}/#/list/member/${branch}`);
    await page.waitForFunction(() => document.querySelector('caiji-pager span')?.textContent?.includes('10001'));
    const first = Date.now() - t;
    expect(await rows()).toHaveLength(50);
    expect(await pager()).toBe('共10001条，第1/201页');

    const firstNames = await rows();
    t = Date.now();
    for (let i = 2; i <= 4; i++) {
      await page.click('caiji-pager button:last-child');
      await page.waitForFunction((n) => document.querySelector('caiji-pager span')?.textContent?.includes(`第 ${n} /`), {}, i);
    }
    const next = (Date.now() - t) / 3;
    expect(await rows()).not.toEqual(firstNames);
    await page.click('caiji-pager button:nth-of-type(1)');
    await page.waitForFunction(() => document.querySelector('caiji-pager span')?.textContent?.includes('第 3 /'));
    await shot(page, '22-big-list');

    t = Date.now();
    await page.type('#list-q', '批量09999');
    await page.keyboard.press('Enter');
    await page.waitForFunction(() => document.querySelectorAll('caiji-record-table tbody tr th a').length === 1);
    const search = Date.now() - t;
    expect(await rows()).toEqual(['批量09999']);

    console.log(`10 000 members: first page ${first} ms, next page ${Math.round(next)} ms, search ${search} ms`);
    expect(first).toBeLessThan(3000);
    expect(next).toBeLessThan(1500);
    expect(search).toBeLessThan(2000);
    expect(page.problems).toEqual([]);
    await page.close();
  });
});
