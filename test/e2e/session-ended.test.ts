/**
 * A tab left open after its session ended elsewhere (logout in another tab, on another server
 * instance, an admin's password reset): the next click in it must land on the login page with a
 * line saying why, and nothing in the page may fail on the way (walk-through finding: the shell
 * cleared the session on the 401 and the page, drawing its error, read the gone manifest —
 * 「Cannot read properties of null (reading 'collections')」 — and the tree's request rejected
 * unhandled with 「请先登录」).
 */
import { describe, it, expect } from 'vitest';
import { login, e2eSuite, newPage, openPage, shot, clickText, waitForText, type E2EPage } from './browser.js';
import { logOutElsewhere } from './session-elsewhere.js';

const env = e2eSuite();

/** Ends the page's session from outside the page: another client with the same cookie logs out. */
async function endSessionElsewhere(page: E2EPage) {
  // The page's own requests answered first: a late one refused would end it before the test's click.
  await page.waitForNetworkIdle({ idleTime: 300 });
  // From here every request of the page is refused 401: that is the situation under test.
  await logOutElsewhere(page, env.server.url);
}

/** The login page, with the line telling why it is shown, and the way back to where the user was. */
async function expectLoginAfterSessionEnded(page: E2EPage) {
  await page.waitForSelector('#login-username');
  await waitForText(page, '登录已失效，请重新登录');
  expect(await page.evaluate(() => location.hash.startsWith('#/login'))).toBe(true);
  // Nothing left of the page before: no menu of the ended session.
  expect(await page.$('.topnav')).toBeNull();
  // Late answers of the old page (its other requests) arrive and are refused too: give them time.
  await page.waitForNetworkIdle({ idleTime: 500 });
  expect(page.problems).toEqual([]);
}

describe('a tab whose session ended elsewhere', () => {
  it('a click in the tree goes to the login page, says why, and nothing fails; logging in again returns there', async () => {
    const admin = await env.server.login('ft_admin');
    const target = (await admin.get(`/api/records/organization?q=${encodeURIComponent('中共丰台区卢沟桥街道工委')}`)).body.items[0];
    expect(target?.id).toBeTruthy();

    const page = await openPage(env.browser, 'session-ended-tree');
    await login(page, env.server.url, 'ft_admin');
    await waitForText(page, '当前党组织');
    await page.waitForFunction((id) => !!document.querySelector(`caiji-tree [data-id="${id}"] a`), {}, target.id);

    await endSessionElsewhere(page);
    await clickText(page, 'caiji-tree a', '中共丰台区卢沟桥街道工委');
    await expectLoginAfterSessionEnded(page);
    await shot(page, 'session-ended-login');

    // Logging in again goes back to the page the click asked for, and the line is gone.
    await page.type('#login-username', 'ft_admin');
    await page.type('#login-password', 'caiji-demo');
    await page.click('button[type=submit]');
    await page.waitForFunction((id) => location.hash === `#/browse/${id}`, {}, target.id);
    await waitForText(page, '当前党组织');
    expect(await page.evaluate(() => document.body.innerText.includes('登录已失效'))).toBe(false);
    expect(page.problems).toEqual([]);
    await page.close();
  });

  it('a late 401 of the ended session does not end the one logged in since in the same tab', async () => {
    const admin = await env.server.login('ft_admin');
    const target = (await admin.get(`/api/records/organization?q=${encodeURIComponent('中共丰台区卢沟桥街道工委')}`)).body.items[0];
    const page = await openPage(env.browser, 'session-ended-late-401');
    await login(page, env.server.url, 'ft_admin');
    await waitForText(page, '当前党组织');
    await page.waitForFunction((id) => !!document.querySelector(`caiji-tree [data-id="${id}"] a`), {}, target.id);
    // The first answer after the click (a refusal: the session is gone) is held in the browser.
    const cdp = await page.createCDPSession();
    const held: string[] = [];
    let holding = true;
    cdp.on('Fetch.requestPaused', (e: { requestId: string }) => {
      if (holding && !held.length) held.push(e.requestId);
      else void cdp.send('Fetch.continueRequest', { requestId: e.requestId }).catch(() => undefined);
    });
    await cdp.send('Fetch.enable', { patterns: [{ urlPattern: '*/api/*', requestStage: 'Response' }] });
    await endSessionElsewhere(page);
    await clickText(page, 'caiji-tree a', '中共丰台区卢沟桥街道工委');
    await page.waitForSelector('#login-username');
    await waitForText(page, '登录已失效，请重新登录');
    holding = false;
    expect(held.length).toBeGreaterThan(0);
    // Logged in again in the same tab; then the old session's refusal arrives.
    await page.type('#login-username', 'ft_admin');
    await page.type('#login-password', 'caiji-demo');
    await page.click('button[type=submit]');
    await page.waitForFunction(() => !location.hash.startsWith('#/login'));
    await waitForText(page, '当前党组织');
    for (const requestId of held) await cdp.send('Fetch.continueRequest', { requestId });
    await cdp.send('Fetch.disable');
    await page.waitForNetworkIdle({ idleTime: 500 });
    expect(await page.evaluate(() => location.hash.startsWith('#/login'))).toBe(false);
    expect(await page.$('.topnav')).not.toBeNull();
    expect(page.problems).toEqual([]);
    await page.close();
  });

  it('every page opened after the session ended elsewhere goes to the login page without a page error', async () => {
    const admin = await env.server.login('ft_admin');
    const find = async (collection: string, q: string) =>
      (await admin.get(`/api/records/${collection}?q=${encodeURIComponent(q)}`)).body.items[0].id as string;
    const branch = await find('organization', '丰台区太平桥街道太南里社区党委');
    const member = (await admin.get(`/api/records/member?node=${branch}&limit=1`)).body.items[0].id as string;
    const routes: [string, string][] = [
      `#/browse/${branch}`, `#/list/member/${branch}`, `#/record/member/${member}`, `#/record/organization/${branch}`,
      `#/new/member?node=${branch}`, `#/progress/${branch}`, `#/grants/${branch}`, `#/recode/${branch}`,
      `#/import/member/${branch}`, '#/codes', '#/audit', '#/query', `#/stats/member/${branch}`,
    ].map((r): [string, string] => ['ft_admin', r]);
    routes.push(['config_admin', '#/studio'], ['config_admin', '#/studio/codes']);
    const failures: string[] = [];
    for (const [user, route] of routes) {
      const page = await newPage(env.browser);
      await login(page, env.server.url, user);
      await endSessionElsewhere(page);
      await page.evaluate((r) => { location.hash = r; }, route);
      // Every page is tried; the failures of all of them are reported together.
      await expectLoginAfterSessionEnded(page).catch((e) => failures.push(`${user} ${route}: ${(e as Error).message.split('\n').slice(0, 4).join(' | ')}`));
      await page.close();
    }
    expect(failures).toEqual([]);
  }, 240_000); // fifteen logins in a row on a shared machine

  it('退出 in a tab whose session ended elsewhere: the login page, nothing fails', async () => {
    const page = await openPage(env.browser, 'session-ended-logout');
    await login(page, env.server.url, 'ft_admin');
    await waitForText(page, '当前党组织');
    await endSessionElsewhere(page);
    await clickText(page, 'button.btn-header', '退出');
    await page.waitForSelector('#login-username');
    await page.waitForNetworkIdle({ idleTime: 500 });
    expect(await page.$('.topnav')).toBeNull();
    expect(page.problems).toEqual([]);
    await page.close();
  });

  it("a member's own page, after the session ended elsewhere, goes to the login page without a page error", async () => {
    const page = await openPage(env.browser, 'session-ended-self');
    await login(page, env.server.url, 'pandongliang');
    await page.waitForFunction(() => location.hash === '#/self');
    await waitForText(page, '潘东亮');
    await page.evaluate(() => { location.hash = '#/account'; });
    await page.waitForSelector('caiji-account-page h1');
    await endSessionElsewhere(page);
    await clickText(page, '.topnav a', '我的信息');
    await expectLoginAfterSessionEnded(page);
    await page.close();
  });
});
