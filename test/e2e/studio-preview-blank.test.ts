/**
 * The form designer's preview over a blank record: required fields left empty are not yet errors —
 * as in the product's form, a field's error shows once it was touched (or every error is asked
 * for) — so the summary tells what is missing (「2 项必填尚未填写，不能保存」), not 「有 2 处错误」;
 * a wrong value is counted as an error beside them.
 */
import { describe, it, expect } from 'vitest';
import { login, shot, clickText, e2eSuite, openPage, type E2EPage } from './browser.js';

const env = e2eSuite();
const P = 'caiji-studio-form-preview';
const summary = (page: E2EPage) => page.$eval(`${P} .preview-summary`, (e) => e.textContent?.trim() ?? '');
const shownErrors = (page: E2EPage) => page.$$eval(`${P} .field-error`, (els) => els.map((e) => e.textContent?.trim()).filter(Boolean));

describe('studio preview of a blank record', () => {
  it('tells the required fields still missing, shows no error before a field is touched, counts a wrong value as an error', async () => {
    const page = await openPage(env.browser, 'studio-preview', 1366, 900);
    await login(page, env.server.url, 'config_admin');
    await page.goto(`${env.server.url}/#/studio/forms/member`);
    await page.waitForFunction(() => !!document.querySelector('caiji-studio-form-designer .designer-field')
      || [...document.querySelectorAll('.studio-bar button')].some((b) => b.textContent?.includes('打开草稿')));
    await page.waitForNetworkIdle({ idleTime: 300 });
    if (!(await page.$('caiji-studio-form-designer .designer-field'))) await clickText(page, '.studio-bar button', '打开草稿');
    await page.waitForSelector(`${P} caiji-record-form [data-field="mobile"] input`);
    await page.waitForFunction((p) => !!document.querySelector(`${p} .preview-summary`)?.textContent?.trim(), {}, P);
    // 所在支部 and 姓名 are required: nothing typed yet, so nothing is wrong yet.
    expect(await summary(page)).toBe('2 项必填尚未填写，不能保存');
    expect(await shownErrors(page)).toEqual([]);
    await shot(page, 'studio-preview-blank');
    // A wrong 手机号码 is an error, shown once the field is left; the missing ones stay what they are.
    await page.type(`${P} [data-field="mobile"] input`, '123');
    await page.keyboard.press('Tab');
    await page.waitForFunction((p) => document.querySelector(`${p} .preview-summary`)?.textContent?.includes('有 1 处错误'), {}, P);
    expect(await summary(page)).toBe('有 1 处错误，2 项必填尚未填写，不能保存');
    expect(await shownErrors(page)).toHaveLength(1);
    // 显示全部错误: the missing ones are shown at their fields too.
    await page.click(`${P} .preview-pick input[type=checkbox]`);
    await page.waitForFunction((p) => document.querySelector(`${p} [data-field="name"] .field-error`)?.textContent?.includes('「姓名」为必填项'), {}, P);
    await page.close();
  });
});
