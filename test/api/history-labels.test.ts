import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import type { Browser } from 'puppeteer-core';
import { startTestServer, type TestServer } from '../helpers/server.js';
import { fixtureApp } from '../helpers/paths.js';
import { launchBrowser, login, newPage } from '../e2e/browser.js';

/**
 * An event's payload is labelled by the event's payload schema: the leave app's 驳回 carries a
 * `reason` (驳回理由), and the leave record has a field `reason` of its own (事由). The history
 * must say 驳回理由, never 事由, over the API and on the page.
 */
describe('history labels an event payload by its payload schema', () => {
  let s: TestServer;
  let browser: Browser;
  let id: string;
  beforeAll(async () => {
    s = await startTestServer(fixtureApp);
    const mgr = await s.login('sales_mgr');
    const leave = (await mgr.get(`/api/records/leave?q=${encodeURIComponent('张三')}`)).body.items[0];
    id = leave.id;
    // The record's own 事由, so that a payload field of the same name would be labelled by it.
    const edited = await mgr.put(`/api/records/leave/${id}`, { ...leave.data, reason: '家中有事' }, leave.version);
    expect(edited.status).toBe(200);
    expect((await mgr.post(`/api/records/leave/${id}/events`, { type: 'SUBMIT' })).body.state).toBe('submitted');
    expect((await mgr.post(`/api/records/leave/${id}/events`, { type: 'REJECT', reason: '请补交病假证明' })).body.state).toBe('rejected');
    browser = await launchBrowser();
  }, 120_000);
  afterAll(async () => {
    await browser?.close();
    await s?.stop();
  });

  it('over the API: the payload with its own titles, the stored diff untouched', async () => {
    const boss = await s.login('boss');
    const items = (await boss.get(`/api/records/leave/${id}/history`)).body.items;
    const reject = items.at(-1);
    expect(reject.action).toBe('REJECT');
    expect(reject.payload).toEqual([{ field: 'reason', title: '驳回理由', value: '请补交病假证明' }]);
    expect(reject.diff.reason).toEqual([null, '请补交病假证明']);
    expect(items.find((h: any) => h.action === 'SUBMIT').payload).toBeUndefined(); // an event without a payload schema
  });

  it('on the record page: 驳回理由, not the record field 事由', async () => {
    const page = await newPage(browser);
    await login(page, s.url, 'boss', 'leave-demo');
    await page.goto(`${s.url}/#/record/leave/${id}`);
    await page.waitForFunction(() => [...document.querySelectorAll('caiji-history .timeline > li')].some((li) => li.textContent!.includes('驳回')));
    const entry = await page.$$eval('caiji-history .timeline > li', (lis) => lis.find((li) => li.textContent!.includes('驳回'))!.textContent!.replace(/\s+/g, ' '));
    expect(entry).toContain('驳回理由：请补交病假证明');
    expect(entry).not.toContain('事由：');
    expect(page.problems).toEqual([]);
    await page.close();
  });
});
