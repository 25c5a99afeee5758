/**
 * The low-code promise in the browser: the unrelated leave-request application of the test
 * fixtures renders in the same UI, with its own titles, codes and rules.
 */
import { describe, it, expect } from 'vitest';
import { fixtureApp } from '../helpers/paths.js';
import { login, shot, waitForText, clickText, fieldError, e2eSuite, openPage } from './browser.js';

const env = e2eSuite({ app: fixtureApp });

describe('the fixture application in the same UI', () => {
  it('a manager logs in, browses departments, opens a leave request and sees its rules at work', async () => {
    const page = await openPage(env.browser, 'fixture');
    await page.goto(env.server.url);
    await page.waitForSelector('#login-username');
    expect(await page.title()).toBe('请假审批');
    // No login note in its manifest: the engine's generic one.
    expect(await page.$eval('.login-note', (e) => e.textContent)).toBe('忘记密码或账号被停用，请联系管理员。');
    await login(page, env.server.url, 'boss', 'leave-demo');
    await waitForText(page, '当前部门');
    await page.waitForSelector('caiji-node-table thead th');
    const heads = await page.$$eval('caiji-node-table thead th', (ths) => ths.map((t) => t.textContent!.trim()));
    expect(heads).toEqual(['部门名称', '请假单信息完整度', '下级请假单']);
    await page.locator('caiji-node-table tbody tr:first-child a[aria-label^="查看"]').click();
    await waitForText(page, '请假单列表');
    await waitForText(page, '张三');
    await shot(page, '20-fixture-list');
    await clickText(page, 'caiji-record-table a', '张三');
    await page.waitForSelector('[data-field="kind"] input[role=combobox]');
    // Its own rule: the end date may not precede the start date.
    await page.$eval('[data-field="to"] input', (i) => {
      (i as HTMLInputElement).value = '2024-02-01';
      i.dispatchEvent(new Event('input', { bubbles: true }));
      i.dispatchEvent(new Event('change', { bubbles: true }));
    });
    await page.waitForFunction(() => !!document.querySelector('[data-field="to"] .field-error')?.textContent);
    expect(await fieldError(page, 'to')).toBe('「结束日期」应晚于「开始日期」');
    // Its own conditional field: 是否因病 → 病假证明编号 required.
    await page.click('[data-field="sick"] input[type=radio]');
    await page.waitForSelector('[data-field="certificate"] .req');
    await shot(page, '21-fixture-form');
    expect(page.problems).toEqual([]);
    await page.close();
  });
});
