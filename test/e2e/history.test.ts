/**
 * The history panel shows a record's latest 10 entries and 更多 for the ones before (issue 20,
 * point 9): a joint branch's page had grown to 7 500 px of history.
 */
import { describe, it, expect } from 'vitest';
import { login, e2eSuite, openPage, shot, clickText } from './browser.js';
import { memberData, nodeId } from '../helpers/demo.js';

const env = e2eSuite();

describe('history panel', () => {
  it('a record with 25 entries shows the latest 10, then 10 more, then the last 5', async () => {
    const admin = await env.server.login('ft_admin');
    let r = (await admin.post('/api/records/member', memberData(await nodeId(admin, '惠民党支部')))).body;
    for (let i = 1; i <= 24; i++) r = (await admin.put(`/api/records/member/${r.id}`, { ...r.data, address: `测试路${i}号` }, r.version)).body;

    const page = await openPage(env.browser, 'history');
    await login(page, env.server.url, 'ft_admin');
    await page.evaluate((id) => { location.hash = `#/record/member/${id}`; }, r.id);
    await page.waitForSelector('caiji-history .timeline > li');
    const entries = () => page.$$eval('caiji-history .timeline > li', (lis) => lis.map((li) => li.textContent!.replace(/\s+/g, ' ')));
    const first = await entries();
    expect(first).toHaveLength(10);
    // Newest first: the last change at the top, the 15th at the bottom.
    expect(first[0]).toContain('测试路24号');
    expect(first[9]).toContain('测试路15号');
    expect(await page.$eval('caiji-history .history-more', (b) => b.textContent!.replace(/\s+/g, ''))).toBe('更多（还有15条）');
    await shot(page, 'history-paged');

    await clickText(page, 'caiji-history .history-more', '更多');
    await page.waitForFunction(() => document.querySelectorAll('caiji-history .timeline > li').length === 20);
    expect((await entries())[19]).toContain('测试路5号');
    await clickText(page, 'caiji-history .history-more', '更多');
    await page.waitForFunction(() => document.querySelectorAll('caiji-history .timeline > li').length === 25);
    const all = await entries();
    expect(all.at(-1)).toContain('新建');
    expect(new Set(all).size).toBe(25);
    // Nothing older left: no button.
    expect(await page.$('caiji-history .history-more')).toBeNull();
    expect(page.problems).toEqual([]);
    await page.close();
  });
});
