/**
 * An admin opens a member's account from the member's record and hands over the first password;
 * the member logs in, can do nothing before choosing their own password, then sees their record.
 * Locked, the account cannot log in, and the login page says why.
 */
import { describe, it, expect } from 'vitest';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Client } from '../helpers/client.js';
import { memberData, nodeId } from '../helpers/demo.js';
import { pdfText, requireTools } from '../documents/tools.js';
import { login, shot, waitForText, clickText, e2eSuite, openPage, screenshotDir } from './browser.js';

let admin: Client;
let member: { id: string; data: Record<string, string> };
let huimin: string;
const env = e2eSuite({
  testTimeout: 90_000,
  async setup() {
    admin = await env.server.login('ft_admin');
    huimin = await nodeId(admin, '惠民党支部');
    member = (await admin.post('/api/records/member', memberData(huimin))).body;
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
    // The member's open page: its session is gone, so the next load shows the login page, and the
    // locked account's login is refused.
    m.expectApiFailure(/^GET \/api\/me$/, 401);
    m.expectApiFailure(/^POST \/api\/login$/, 403);
    await m.reload();
    await m.waitForSelector('#login-username');
    expect(m.url()).toContain('#/login');
    await m.type('#login-username', member.data.idNumber);
    await m.type('#login-password', '我自己的密码-2026');
    await m.click('button[type=submit]');
    await waitForText(m, '该账号已停用，请联系所在组织的管理员');
    expect(page.problems).toEqual([]);
  });

  it('accounts for the selected members at once: passwords shown once, printed alone as slips to hand over', async () => {
    requireTools();
    const people = [];
    for (const name of ['开户甲', '开户乙']) people.push((await admin.post('/api/records/member', memberData(huimin, { name }))).body);
    const page = await openPage(env.browser, 'member-accounts-batch');
    page.on('dialog', (d) => { void d.accept(); });
    await login(page, env.server.url, 'ft_admin');
    await page.goto(`${env.server.url}/#/list/member/${huimin}?q=${encodeURIComponent('开户')}`);
    await page.waitForFunction(() => document.querySelectorAll('caiji-record-table tbody tr th a').length === 2);
    for (const box of await page.$$('caiji-record-table tbody input[type=checkbox]')) await box.click();
    await clickText(page, 'caiji-batch-accounts button', '开通账号');
    await page.waitForSelector('dialog .opened-accounts');
    const rows = await page.$$eval('dialog .opened-accounts tbody tr', (trs) => trs.map((tr) => [...tr.children].map((c) => c.textContent!.trim())));
    expect(rows.map((r) => r.slice(0, 2)).sort()).toEqual(people.map((p) => [p.data.name, p.data.idNumber]).sort());
    await shot(page, '26-accounts-opened');

    // Printed, only the slips show: no list, no dialog, every password once.
    await page.emulateMediaType('print');
    const pdf = Buffer.from(await page.pdf({ format: 'A4', printBackground: true }));
    writeFileSync(join(screenshotDir, '26b-account-slips.pdf'), pdf); // to look at, with the screenshots
    const text = pdfText(pdf);
    await page.emulateMediaType('screen');
    for (const [name, username, password] of rows) {
      expect(text).toContain(`${name}，您好：已为您开通系统账号。`);
      expect(text).toContain(username);
      expect(text.split(password).length - 1).toBe(1);
    }
    expect(text).not.toContain('党员列表');
    expect(text).not.toContain('打印开通通知');

    // Each password logs its member in (to the password change first).
    for (const [, username, password] of rows) {
      const res = await env.server.anonymous().post('/api/login', { username, password });
      expect(res.body.mustChangePassword).toBe(true);
    }
    await clickText(page, 'dialog button', '关闭');
    await page.waitForFunction(() => !document.querySelector('dialog[open]') && !document.querySelector('.print-slips'));
    expect(page.problems).toEqual([]);
  });

  it('an admin’s password reset from above, in 职务与权限 of the node they administer', async () => {
    const tnl = await nodeId(admin, '丰台区太平桥街道太南里社区党委');
    const page = await openPage(env.browser, 'admin-account-reset');
    page.on('dialog', (d) => { void d.accept(); });
    await login(page, env.server.url, 'ft_admin');
    await page.goto(`${env.server.url}/#/record/organization/${tnl}`);
    await page.waitForSelector('caiji-grants-panel tr[data-username="tnl_admin"]');
    await clickText(page, 'caiji-grants-panel tr[data-username="tnl_admin"] button', '重置密码');
    await page.waitForSelector('caiji-grants-panel .first-password');
    const password = await page.$eval('caiji-grants-panel .first-password', (e) => e.textContent!.trim());
    await page.waitForFunction(() => document.querySelector('caiji-grants-panel tr[data-username="tnl_admin"]')?.textContent?.includes('待改初始密码'));
    await page.$eval('caiji-grants-panel .first-password-notice', (e) => e.scrollIntoView({ block: 'center' }));
    await shot(page, '27-admin-password-reset');
    expect(page.problems).toEqual([]);

    const m = await openPage(env.browser, 'admin-account-after-reset');
    await login(m, env.server.url, 'tnl_admin', password);
    await m.waitForSelector('.account-page .first-login');
    expect(m.problems).toEqual([]);
  });
});
