/**
 * 系统审核 in the browser: the district admin opens it from the top navigation, filters the log to
 * one branch admin's changes, sees the fields changed (by title, old → new) with links to the
 * records, and exports the filtered log to Excel. A read-only role is not offered the page.
 */
import { describe, it, expect } from 'vitest';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import { memberData } from '../helpers/demo.js';
import { login, shot, waitForText, clickText, e2eSuite, newPage, openPage } from './browser.js';

const env = e2eSuite();

describe('audit page', () => {
  it('filtered to one person\'s changes, with links to the records, and exported', async () => {
    const meiyu = await env.server.login('meiyu_admin');
    const node = (await meiyu.get('/api/me')).body.grants[0].node;
    const made = await meiyu.post('/api/records/member', memberData(node, { name: '审核页测试' }));
    expect(made.status).toBe(201);
    expect((await meiyu.put(`/api/records/member/${made.body.id}`, { ...made.body.data, mobile: '13700001111' }, 1)).status).toBe(200);
    const displayName = (await meiyu.get('/api/me')).body.displayName as string;

    const downloads = mkdtempSync(join(tmpdir(), 'caiji-audit-e2e-'));
    try {
      const page = await newPage(env.browser, 1280, 900, { downloadBehavior: { policy: 'allow', downloadPath: downloads } });
      await login(page, env.server.url, 'ft_admin');
      await clickText(page, 'nav.topnav a', '系统审核');
      await page.waitForSelector('caiji-audit-page tbody tr[data-id]');
      // Several people's changes at first; then only meiyu_admin's.
      const actorsBefore = await page.$$eval('caiji-audit-page tbody tr[data-id]', (rows) => new Set(rows.map((r) => r.getAttribute('data-actor'))).size);
      expect(actorsBefore).toBeGreaterThan(1);
      await page.type('#audit-person', 'meiyu_admin');
      await clickText(page, 'caiji-audit-page button', '查询');
      await page.waitForFunction(() => {
        const rows = [...document.querySelectorAll('caiji-audit-page tbody tr[data-id]')];
        return rows.length > 0 && rows.every((r) => r.getAttribute('data-actor') === 'meiyu_admin');
      });
      const first = await page.$eval('caiji-audit-page tbody tr[data-id]', (r) => (r as HTMLElement).innerText.replace(/\s+/g, ' '));
      expect(first).toContain(displayName);
      expect(first).toContain('审核页测试');
      expect(first).toContain('修改');
      expect(first).toMatch(/手机号码：\s?13800138000 → 13700001111/);
      const link = await page.$eval('caiji-audit-page tbody tr[data-id] a', (a) => a.getAttribute('href'));
      expect(link).toBe(`#/record/member/${made.body.id}`);
      await shot(page, '80-audit-filtered');

      await clickText(page, 'caiji-export-button button', '导出 Excel');
      await waitForText(page, '已导出');
      let saved: string[] = [];
      for (let i = 0; i < 100 && !(saved = readdirSync(downloads).filter((f) => !f.endsWith('.crdownload'))).length; i++) await new Promise((r) => setTimeout(r, 100));
      expect(saved).toHaveLength(1);
      const wb = new ExcelJS.Workbook();
      await wb.xlsx.readFile(join(downloads, saved[0]));
      const rows = wb.worksheets[0].getRows(2, wb.worksheets[0].rowCount - 1)!;
      const shown = await page.$$eval('caiji-audit-page tbody tr[data-id]', (r) => r.length);
      expect(rows.length).toBe(shown);
      expect(rows.every((r) => r.getCell(3).value === 'meiyu_admin')).toBe(true);
      expect(String(rows[0].getCell(9).value)).toContain('13800138000 → 13700001111');

      // The record's link opens it.
      await page.click('caiji-audit-page tbody tr[data-id] a');
      await waitForText(page, '审核页测试');
      expect(page.problems).toEqual([]);
      await page.close();
    } finally {
      rmSync(downloads, { recursive: true, force: true });
    }
  });

  it('is not offered to a read-only role, and refused when typed in', async () => {
    const page = await openPage(env.browser, 'audit-reader');
    await login(page, env.server.url, 'zhaoguoming');
    await page.waitForSelector('nav.topnav a');
    const links = await page.$$eval('nav.topnav a', (as) => as.map((a) => a.textContent!.trim()));
    expect(links).not.toContain('系统审核');
    // Typed in by hand, the page says why it shows nothing (the server's 403).
    page.expectApiFailure(/^GET \/api\/audit/, 403);
    await page.goto(`${env.server.url}/#/audit`);
    await waitForText(page, '无权查看系统审核');
    expect(await page.$$('caiji-audit-page tbody tr[data-id]')).toEqual([]);
    expect(page.problems).toEqual([]);
    await page.close();
  });
});
