/**
 * A tab whose session ended elsewhere says so once: the login page's 「登录已失效，请重新登录」.
 * Walk-through finding: a batch print's progress poll refused 401 after a logout in another tab
 * put the login page in place — and its error toast 「请先登录」 on top of it, two messages for one
 * event, one of them telling what the page already said. The same came of a button (导出 Excel)
 * clicked after the session ended. A real failure while logged in is still told in a toast
 * (test/e2e/batch-print-failure.test.ts).
 */
import { describe, it, expect } from 'vitest';
import type { CDPSession } from 'puppeteer-core';
import { login, e2eSuite, openPage, shot, clickText, waitForText, type E2EPage } from './browser.js';
import { logOutElsewhere } from './session-elsewhere.js';

const env = e2eSuite();

/** The member list of the admin's organization, its first rows selected. */
async function openList(page: E2EPage, rows: number) {
  const admin = await env.server.login('tnl_admin');
  const node = (await admin.get('/api/me')).body.grants[0].node;
  await login(page, env.server.url, 'tnl_admin');
  await page.goto(`${env.server.url}/#/list/member/${node}`);
  await page.waitForSelector('caiji-record-table tbody tr th a');
  const boxes = await page.$$('caiji-record-table tbody input[type=checkbox]');
  for (const box of boxes.slice(0, rows)) await box.click();
}

/** The login page says why it is shown, and no toast speaks of an error besides. */
async function expectLoginPageAlone(page: E2EPage, name: string) {
  await page.waitForSelector('#login-username');
  await waitForText(page, '登录已失效，请重新登录');
  // The refused request's caller has had its answer by now: a toast it raised would be there.
  await page.waitForNetworkIdle({ idleTime: 500 });
  await shot(page, name);
  const toasts = await page.$$eval('.toast', (ts) => ts.map((t) => `${t.className}: ${(t as HTMLElement).innerText}`));
  expect(toasts).toEqual([]);
  expect(await page.evaluate(() => document.body.innerText.includes('请先登录'))).toBe(false);
  expect(await page.$eval('.login-ended', (p) => (p as HTMLElement).innerText.trim())).toBe('登录已失效，请重新登录');
  expect(page.problems).toEqual([]);
}

/** Holds the page's first request to a URL matching `pattern` in the browser until `release` is called. */
async function holdFirst(page: E2EPage, pattern: string) {
  const cdp: CDPSession = await page.createCDPSession();
  let resolveHeld!: (id: string) => void;
  const held = new Promise<string>((r) => { resolveHeld = r; });
  let holding = true;
  cdp.on('Fetch.requestPaused', (e: { requestId: string }) => {
    if (holding) { holding = false; resolveHeld(e.requestId); } else void cdp.send('Fetch.continueRequest', { requestId: e.requestId }).catch(() => undefined);
  });
  await cdp.send('Fetch.enable', { patterns: [{ urlPattern: pattern, requestStage: 'Request' }] });
  return {
    held,
    async release() {
      await cdp.send('Fetch.continueRequest', { requestId: await held });
      await cdp.send('Fetch.disable');
    },
  };
}

describe('the login page after the session ended elsewhere, with no toast on top', () => {
  it('a batch print whose progress poll is refused 401: only 「登录已失效，请重新登录」', async () => {
    const page = await openPage(env.browser, 'session-ended-toast-poll');
    await openList(page, 1);
    // The print's first progress request waits in the browser while the session ends elsewhere.
    const poll = await holdFirst(page, '*/api/jobs/*');
    const started = page.waitForResponse((r) => /\/documents\/[^/]+\.pdf\?async=1$/.test(r.url()) && r.request().method() === 'POST');
    await clickText(page, 'caiji-batch-print button', '批量打印');
    expect((await started).status()).toBe(202);
    await poll.held;
    await page.waitForSelector('caiji-batch-print progress'); // the poll is under way
    await logOutElsewhere(page, env.server.url);
    await poll.release();
    await expectLoginPageAlone(page, 'session-ended-toast-poll');
    await page.close();
  }, 120_000);

  it('a button (导出 Excel) clicked after the session ended: only 「登录已失效，请重新登录」', async () => {
    const page = await openPage(env.browser, 'session-ended-toast-button');
    await openList(page, 0);
    await page.waitForNetworkIdle({ idleTime: 300 }); // the list's own requests answered before the session ends
    await logOutElsewhere(page, env.server.url);
    await clickText(page, 'caiji-export-button button', '导出 Excel');
    await expectLoginPageAlone(page, 'session-ended-toast-button');
    await page.close();
  });
});
