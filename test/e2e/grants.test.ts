/**
 * 职务与权限 on an organization page: the role picker offers what fits the node's kind, and a
 * person without an account is given one in the same step, its first password shown once.
 */
import { describe, it, expect } from 'vitest';
import { login, shot, waitForText, clickText, e2eSuite, openPage } from './browser.js';
import { nodeId } from '../helpers/demo.js';

const env = e2eSuite();

const roleOptions = (page: Awaited<ReturnType<typeof openPage>>) =>
  page.$$eval('#grant-role option', (os) => os.map((o) => o.textContent!.trim()).filter((t) => !t.startsWith('--')));

describe('grants panel in the browser', () => {
  it('offers a branch its roles only, and opens the account of a person who has none while granting', async () => {
    // A member of the second grid branch without an account, found as the admin would.
    const api = await env.server.login('tnl_admin');
    const grid2 = await nodeId(api, '丰台区太平桥街道太南里社区第二网格党支部');
    const people = (await api.get(`/api/records/member?node=${grid2}&limit=100`)).body.items;
    let person: any;
    for (const p of people) if (!(await api.get(`/api/accounts?record=${p.id}`)).body.account) { person = p; break; }
    expect(person).toBeTruthy();

    const page = await openPage(env.browser, 'grants');
    const dialogs: string[] = [];
    page.on('dialog', (d) => { dialogs.push(d.message()); void d.accept(); });
    await login(page, env.server.url, 'tnl_admin');
    await waitForText(page, '当前党组织');
    // The committee's own page offers the committee's secretary, not a branch's.
    await page.goto(`${env.server.url}/#/record/organization/${await nodeId(api, '丰台区太平桥街道太南里社区党委')}`);
    await page.waitForSelector('caiji-grants-panel #grant-role option:nth-child(2)');
    expect(await roleOptions(page)).toEqual(['管理员', '党委书记']);
    await page.goto(`${env.server.url}/#/record/organization/${grid2}`);
    await page.waitForFunction(() => [...document.querySelectorAll('#grant-role option')].some((o) => o.textContent === '支部委员'));
    expect(await roleOptions(page)).toEqual(['管理员', '支部书记', '支部委员']);
    await page.select('#grant-person', person.id);
    await page.select('#grant-role', 'committee');
    // The person has no account: the grant is refused as such (422 account_required), the page asks, then grants with one.
    page.expectApiFailure(/^POST \/api\/grants$/, 422);
    await clickText(page, 'caiji-grants-panel button', '授予');
    await page.waitForSelector('caiji-grants-panel .first-password-notice');
    // The holders' table follows the grant (its answer may come after the notice).
    await page.waitForFunction((name) => document.querySelector('caiji-grants-panel tbody')?.textContent?.includes(name), {}, person.data.name);
    expect(dialogs).toEqual([expect.stringContaining('尚无系统账号')]);
    const row = await page.$eval('caiji-grants-panel tbody', (t) => (t as HTMLElement).innerText);
    expect(row).toContain(person.data.name);
    expect(row).toContain('待改初始密码');
    const password = await page.$eval('caiji-grants-panel .first-password', (c) => c.textContent!.trim());
    await page.$eval('caiji-grants-panel', (e) => e.scrollIntoView());
    await shot(page, '12b-grant-opens-account');
    // The password shown is the one the person logs in with.
    await env.server.login(person.data.idNumber, password);
    expect(page.problems).toEqual([]);
    await page.close();
  });
});
