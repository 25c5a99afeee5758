/**
 * 系统审核 in the browser: the demo's 关联单位 entry (a unit linked to the joint branch) lists the
 * unit's data as the unit form names it — 单位全称, 单位类别 with the code's label — not under the
 * organization's fields of the same name (党组织全称, 组织类别 with the raw code 23).
 */
import { describe, it, expect } from 'vitest';
import { login, shot, clickText, e2eSuite, openPage } from './browser.js';

const env = e2eSuite();

describe('audit page: a linked unit', () => {
  it('shows the unit\'s data under the unit form\'s titles and code labels', async () => {
    const ft = await env.server.login('ft_admin');
    const unit = (await ft.get('/api/forms/unit')).body.schema.properties;
    const category = (unit.category['x-codes'] as any[]).find((c) => c.code === '23').label as string;

    const page = await openPage(env.browser, 'audit-linked-form', 1280, 900);
    await login(page, env.server.url, 'ft_admin');
    await clickText(page, 'nav.topnav a', '系统审核');
    await page.waitForSelector('caiji-audit-page tbody tr[data-id]');
    await page.type('#audit-person', 'lianhe_admin');
    await clickText(page, 'caiji-audit-page button', '查询');
    await page.waitForFunction(() => [...document.querySelectorAll('caiji-audit-page tbody tr[data-id]')]
      .some((r) => r.getAttribute('data-actor') === 'lianhe_admin' && (r as HTMLElement).innerText.includes('鑫鑫裕丰酒楼')));
    const row = await page.$$eval('caiji-audit-page tbody tr[data-id]', (rows) => rows
      .map((r) => (r as HTMLElement).innerText.replace(/\s+/g, ' '))
      .find((t) => t.includes('北京市太平桥鑫鑫裕丰酒楼'))!);
    await page.evaluate(() => [...document.querySelectorAll('caiji-audit-page tbody tr[data-id]')]
      .find((r) => (r as HTMLElement).innerText.includes('北京市太平桥鑫鑫裕丰酒楼'))!.scrollIntoView());
    await shot(page, '81-audit-linked-unit');
    expect(row).toContain('关联单位');
    expect(row).toMatch(/单位全称：\s?北京市太平桥鑫鑫裕丰酒楼/);
    expect(row).toMatch(/组织机构代码：\s?L03740867/);
    expect(row).toContain(`单位类别：${category}`);
    expect(row).not.toContain('党组织全称');
    expect(row).not.toContain('组织类别：23');
    expect(page.problems).toEqual([]);
    await page.close();
  });
});
