/**
 * A member changes their password in the browser: from their name in the top bar to the account
 * page; mistakes are shown at the field to correct; afterwards only the new password logs in.
 */
import { describe, it, expect } from 'vitest';
import { login, shot, waitForText, clickText, fieldError, e2eSuite, openPage } from './browser.js';

const env = e2eSuite();

async function fill(page: Awaited<ReturnType<typeof openPage>>, values: Record<string, string>) {
  for (const [name, value] of Object.entries(values)) {
    await page.$eval(`#acct-${name}`, (i) => { (i as HTMLInputElement).value = ''; });
    await page.type(`#acct-${name}`, value);
  }
}

describe('one’s own account', () => {
  it('a member changes the password; errors show at their fields; then only the new password logs in', async () => {
    const page = await openPage(env.browser, 'account');
    await login(page, env.server.url, 'zhaomin');
    await page.locator('.topbar a.user-name').click();
    await waitForText(page, '修改密码');
    expect(await page.$eval('.account-page', (e) => (e as HTMLElement).innerText)).toContain('用户名：zhaomin');

    // The repeated entry differs: caught in the browser, at the field.
    await fill(page, { currentPassword: 'caiji-demo', newPassword: '新的密码-2026', confirmPassword: '新的密码-2027' });
    await clickText(page, '.password-form button', '修改密码');
    await page.waitForFunction(() => !!document.querySelector('[data-field="confirmPassword"] .field-error')?.textContent);
    expect(await fieldError(page, 'confirmPassword')).toBe('「确认新密码」与「新密码」不一致');
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('acct-confirmPassword');

    // A wrong current password: the server's message, at its field.
    page.expectApiFailure(/^POST \/api\/me\/password$/, 422);
    await fill(page, { currentPassword: 'not-my-password', newPassword: '新的密码-2026', confirmPassword: '新的密码-2026' });
    await clickText(page, '.password-form button', '修改密码');
    await page.waitForFunction(() => !!document.querySelector('[data-field="currentPassword"] .field-error')?.textContent);
    expect(await fieldError(page, 'currentPassword')).toBe('「当前密码」不正确');
    expect(await fieldError(page, 'confirmPassword')).toBe('');
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('acct-currentPassword');
    await shot(page, '23-account-error');

    await fill(page, { currentPassword: 'caiji-demo', newPassword: '新的密码-2026', confirmPassword: '新的密码-2026' });
    await clickText(page, '.password-form button', '修改密码');
    await waitForText(page, '密码已修改');
    expect(await page.$eval('#acct-currentPassword', (i) => (i as HTMLInputElement).value)).toBe('');
    expect(page.problems).toEqual([]);

    await clickText(page, '.topbar button', '退出');
    // The old password no longer logs in.
    page.expectApiFailure(/^POST \/api\/login$/, 401);
    await page.waitForSelector('#login-username');
    await page.type('#login-username', 'zhaomin');
    await page.type('#login-password', 'caiji-demo');
    await page.click('button[type=submit]');
    await waitForText(page, '用户名或密码错误');
    // The username stays for the next try; the password field is emptied and focused.
    expect(await page.$eval('#login-username', (i) => (i as HTMLInputElement).value)).toBe('zhaomin');
    expect(await page.$eval('#login-password', (i) => (i as HTMLInputElement).value)).toBe('');
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('login-password');
    await page.close();
    const again = await openPage(env.browser, 'account-again');
    await login(again, env.server.url, 'zhaomin', '新的密码-2026');
    await again.waitForSelector('.topbar a.user-name');
    expect(again.problems).toEqual([]);
    await again.close();
  });
});
