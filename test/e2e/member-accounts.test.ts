/**
 * An admin opens a member's account from the member's record and hands over the first password;
 * the member logs in, can do nothing before choosing their own password, then sees their record.
 * Locked, the account cannot log in, and the login page says why.
 */
import { describe, it, expect } from 'vitest';
import type { Client } from '../helpers/client.js';
import { memberData, nodeId } from '../helpers/demo.js';
import { login, shot, waitForText, clickText, e2eSuite, openPage } from './browser.js';

let admin: Client;
let member: { id: string; data: Record<string, string> };
const env = e2eSuite({
  testTimeout: 90_000,
  async setup() {
    admin = await env.server.login('ft_admin');
    member = (await admin.post('/api/records/member', memberData(await nodeId(admin, '惠民党支部')))).body;
  },
});

describe('member accounts kept by their admins', () => {
  it('open with a first password, first login changes it, lock keeps the member out', async () => {
    const page = await openPage(env.browser, 'member-account-admin');
    page.on('dialog', (d) => { void d.accept(); });
    await login(page, env.server.url, 'ft_admin');
    await page.goto(`${env.server.url}/#/record/member/${member.id}`);
    await page.waitForSelector('.account-open input#account-username');
    expect(await page.$eval('#account-username', (i) => (i as HTMLInputElement).value)).toBe(member.data.idNumber);
    await clickText(page, '.account-open button', '开通账号');
    await page.waitForSelector('.first-password');
    const password = await page.$eval('.first-password', (e) => e.textContent!.trim());
    expect(password).toMatch(/^\w{4}-\w{4}-\w{4}$/);
    expect(await page.$eval('.account-state', (e) => e.textContent)).toBe('待本人登录并修改初始密码');
    await page.waitForFunction(() => [...document.querySelectorAll('.tl-action')].some((e) => e.textContent === '开通账号'));
    await page.$eval('.first-password-notice', (e) => e.scrollIntoView({ block: 'center' }));
    await shot(page, '24-member-account-opened');

    // The member's first login: only the password change until it is done.
    const m = await openPage(env.browser, 'member-account-first-login');
    await login(m, env.server.url, member.data.idNumber, password);
    await m.waitForSelector('.account-page .first-login');
    expect(m.url()).toContain('#/account');
    expect(await m.$$('.topnav a')).toHaveLength(0);
    await m.goto(`${env.server.url}/#/self`);
    await m.waitForFunction(() => location.hash === '#/account');
    await shot(m, '25-first-login');
    for (const [field, value] of [['currentPassword', password], ['newPassword', '我自己的密码-2026'], ['confirmPassword', '我自己的密码-2026']]) {
      await m.type(`#acct-${field}`, value);
    }
    await clickText(m, '.password-form button', '修改密码');
    await m.waitForFunction(() => location.hash === '#/self');
    await waitForText(m, member.data.name);
    expect(await m.$$eval('.topnav a', (as) => as.map((a) => a.textContent))).toContain('我的信息');
    expect(m.problems).toEqual([]);

    // The admin sees the account in use, then locks it: the member is out and told why at login.
    await page.reload();
    await page.waitForFunction(() => document.querySelector('.account-state')?.textContent === '正常');
    await clickText(page, '.account-panel button', '停用账号');
    await page.waitForFunction(() => document.querySelector('.account-state')?.textContent?.startsWith('已停用'));
    // The member's open page: its session is gone, so the next load shows the login page.
    await m.reload();
    await m.waitForSelector('#login-username');
    expect(m.url()).toContain('#/login');
    await m.type('#login-username', member.data.idNumber);
    await m.type('#login-password', '我自己的密码-2026');
    await m.click('button[type=submit]');
    await waitForText(m, '该账号已停用，请联系所在组织的管理员');
    expect(page.problems).toEqual([]);
  });
});
