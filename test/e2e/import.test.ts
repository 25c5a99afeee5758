/**
 * 批量维护 in the browser: an admin downloads the import template, uploads a CSV file with one
 * valid and one invalid row, sees the error at its row (import refused while it is there),
 * uploads the corrected file and imports it; the member then exists.
 */
import { describe, it, expect } from 'vitest';
import { mkdtempSync, writeFileSync, rmSync, readdirSync } from 'node:fs';
import ExcelJS from 'exceljs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { memberData, nodeId } from '../helpers/demo.js';
import type { Client } from '../helpers/client.js';
import { login, shot, waitForText, clickText, e2eSuite, openPage, newPage, type E2EPage } from './browser.js';

const HUIMIN = '中共北京市丰台区太平桥街道太南里社区惠民支部委员会';
let admin: Client;
let huimin: string;
const dir = mkdtempSync(join(tmpdir(), 'caiji-import-e2e-'));
type P = E2EPage;

const env = e2eSuite({
  testTimeout: 120_000,
  async setup() {
    admin = await env.server.login('ft_admin');
    huimin = await nodeId(admin, '惠民党支部');
  },
  teardown: () => rmSync(dir, { recursive: true, force: true }),
});

/** A member row as a person fills in the template, by column title. */
function row(name: string, over: Record<string, string> = {}): Record<string, string> {
  const d = memberData('x', { name });
  return {
    所在支部: HUIMIN, 姓名: name, 性别: '男（1）', 民族: '汉族（01）', 出生日期: String(d.birthDate), 身份证号码: String(d.idNumber),
    最高学历: '21', 工作岗位: '0111', 党员类型: '中共党员（正式党员）（1）', 入党日期: '2010-07-01', 转正日期: '2011-07-01',
    党籍状态: '9001', 是否为失联党员: '否', 是否为流动党员: '否', 手机号码: '13800138000', 家庭住址: '北京市丰台区测试路1号', ...over,
  };
}
function csv(name: string, rows: Record<string, string>[]): string {
  const titles = Object.keys(rows[0]);
  const text = [titles.join(','), ...rows.map((r) => titles.map((t) => r[t]).join(','))].join('\n') + '\n';
  const file = join(dir, name);
  writeFileSync(file, text);
  return file;
}

describe('bulk import in the browser', () => {
  it('template, a file with an invalid row, the error at the row, the corrected file imported', async () => {
    const page = await openPage(env.browser, 'import');
    await login(page, env.server.url, 'ft_admin');
    await page.goto(`${env.server.url}/#/browse/${huimin}`);
    await clickText(page, 'a.btn', '批量维护');
    await page.waitForSelector('#import-file');
    expect(await page.$eval('label[for="import-file"]', (l) => l.textContent)).toBe('选择文件');

    // The template link answers an xlsx workbook.
    const template = await page.$eval('a[download][href*="template.xlsx"]', (a) => (a as HTMLAnchorElement).href);
    const got = await page.evaluate(async (url) => {
      const r = await fetch(url);
      return { status: r.status, type: r.headers.get('content-type'), size: (await r.arrayBuffer()).byteLength };
    }, template);
    expect(got).toMatchObject({ status: 200, type: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet' });
    expect(got.size).toBeGreaterThan(1000);

    const good = row('导入甲');
    const bad = row('导入乙', { 身份证号码: '110105198001011234' });
    const input = (await page.$('input#import-file[type=file]')) as import('puppeteer-core').ElementHandle<HTMLInputElement>;
    await input.uploadFile(csv('members.csv', [good, bad]));
    await page.waitForFunction(() => document.querySelector('.upload-form .file-name')?.textContent === 'members.csv');
    await clickText(page, 'button', '上传并预览');
    await page.waitForSelector('.import-errors tr[data-row="3"]');
    const counts = await page.$eval('.import-counts', (e) => e.textContent!.replace(/\s+/g, ''));
    expect(counts).toContain('新增1');
    expect(counts).toContain('有误1');
    expect(await page.$eval('.import-errors tr[data-row="3"]', (e) => e.textContent)).toMatch(/身份证号码|公民身份号码/);
    expect(await page.$eval('a[href*="errors.xlsx"]', (a) => (a as HTMLAnchorElement).textContent)).toContain('下载错误文件');
    const commitDisabled = await page.$$eval('button', (bs) => (bs.find((b) => b.textContent!.includes('确认导入')) as HTMLButtonElement).disabled);
    expect(commitDisabled).toBe(true);
    await shot(page, '50-import-preview-errors');

    // The corrected file (the bad row fixed) is imported whole.
    await input.uploadFile(csv('members-fixed.csv', [good, row('导入乙')]));
    await clickText(page, 'button', '上传并预览');
    await page.waitForFunction(() => !document.querySelector('.import-errors') && document.querySelector('.import-counts')?.textContent?.includes('2'));
    await clickText(page, 'button', '确认导入');
    await waitForText(page, '导入完成：新增 2 条');
    await page.waitForFunction(() => document.querySelector('.import-log tbody tr')?.textContent?.includes('已导入'));
    await shot(page, '51-import-done');
    const log = await page.$$eval('.import-log tbody tr', (rows) => rows.map((r) => r.textContent!));
    expect(log[0]).toContain('已导入');
    expect(log[1]).toContain('已预览');

    for (const name of ['导入甲', '导入乙']) {
      const res = await admin.get(`/api/records/member?node=${huimin}&deep=1&q=${encodeURIComponent(name)}`);
      expect(res.body.items.map((r: any) => r.data.name)).toEqual([name]);
    }
    expect(page.problems).toEqual([]);
  });

  it('a file dropped on the upload bar is chosen as if picked; a file of another kind is refused by name', async () => {
    const page = await openPage(env.browser, 'import-drop');
    await login(page, env.server.url, 'ft_admin');
    await page.goto(`${env.server.url}/#/import/member/${huimin}`);
    await page.waitForSelector('.upload-form');
    const person = row('拖入甲');
    const text = [Object.keys(person).join(','), Object.values(person).join(',')].join('\n');
    const drop = (name: string, content: string) => page.evaluate((n, c) => {
      const dt = new DataTransfer();
      dt.items.add(new File([c], n, { type: n.endsWith('.csv') ? 'text/csv' : 'text/plain' }));
      const form = document.querySelector('.upload-form')!;
      const over = new DragEvent('dragover', { dataTransfer: dt, bubbles: true, cancelable: true });
      form.dispatchEvent(over);
      const dragging = form.classList.contains('dragging') || over.defaultPrevented;
      form.dispatchEvent(new DragEvent('drop', { dataTransfer: dt, bubbles: true, cancelable: true }));
      return dragging;
    }, name, content);

    expect(await drop('notes.txt', 'hello')).toBe(true);
    await waitForText(page, '「notes.txt」不是 .xlsx 或 .csv 文件');
    expect(await page.$eval('.upload-form button[type=submit]', (b) => (b as HTMLButtonElement).disabled)).toBe(true);

    await drop('dropped.csv', text);
    await page.waitForFunction(() => document.querySelector('.upload-form .file-name')?.textContent === 'dropped.csv');
    expect(await page.$('.form-error')).toBeNull();
    await clickText(page, 'button', '上传并预览');
    await page.waitForFunction(() => document.querySelector('.import-counts')?.textContent?.replace(/\s+/g, '').includes('新增1'));
    expect(await page.$eval('h2.group-title', (h) => h.textContent)).toBe('预览：dropped.csv');
    expect(page.problems).toEqual([]);
  });

  it('the list exports what it shows as an Excel file in the template’s layout', async () => {
    // A browser context that saves downloads into a folder of its own.
    const downloads = mkdtempSync(join(dir, 'downloads-'));
    const page = await newPage(env.browser, 1280, 800, { downloadBehavior: { policy: 'allow', downloadPath: downloads } });
    await login(page, env.server.url, 'ft_admin');
    const tnl = await nodeId(admin, '丰台区太平桥街道太南里社区党委');
    await page.goto(`${env.server.url}/#/list/member/${tnl}?state=changes_requested`);
    await page.waitForSelector('caiji-record-table tbody tr');
    await clickText(page, 'caiji-export-button button', '导出 Excel');
    await waitForText(page, '已导出');
    const toastText = await page.evaluate(() => document.querySelector('.toasts')?.textContent);
    // The page hands the browser the file under the server's name (the node's). The test browser
    // runs with LANG=zh_CN.UTF-8, a locale this machine lacks, so Chromium saves a Chinese name
    // as "download": the one file saved is read, whatever it is called.
    expect(toastText).toBe('已导出 党员-丰台区太平桥街道太南里社区党委.xlsx');
    let saved: string[] = [];
    for (let i = 0; i < 100 && !(saved = readdirSync(downloads).filter((f) => !f.endsWith('.crdownload'))).length; i++) await new Promise((r) => setTimeout(r, 100));
    expect(saved).toHaveLength(1);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.readFile(join(downloads, saved[0]));
    const sheet = wb.worksheets[0];
    const titles = (sheet.getRow(1).values as unknown[]).slice(1).map(String);
    expect(titles.slice(0, 3)).toEqual(['所在支部', '姓名', '性别']);
    expect(sheet.rowCount).toBe(2);
    expect(sheet.getRow(2).getCell(titles.indexOf('姓名') + 1).value).toBe('赵敏');
    await shot(page, '53-list-exported');
    expect(page.problems).toEqual([]);
    await page.close();
  });

  it('a read-only 书记 is offered 导出 Excel on the list they read, and it downloads; 批量维护 is not offered', async () => {
    const page = await openPage(env.browser, 'export-reader');
    await login(page, env.server.url, 'zhaoguoming');
    const reader = await env.server.login('zhaoguoming');
    const { node, nodeLabel } = (await reader.get('/api/me')).body.grants[0] as { node: string; nodeLabel: string };
    await page.goto(`${env.server.url}/#/list/member/${node}`);
    await page.waitForSelector('caiji-record-table tbody tr');
    await clickText(page, 'caiji-export-button button', '导出 Excel');
    await waitForText(page, '已导出');
    await page.goto(`${env.server.url}/#/browse/${node}`);
    await waitForText(page, nodeLabel);
    await page.waitForSelector('caiji-node-table');
    expect(await page.evaluate(() => document.body.innerText.includes('批量维护'))).toBe(false);
    expect((page as P).problems).toEqual([]);
  });

  it('a large file is checked as a job with a progress bar', async () => {
    const page = await openPage(env.browser, 'import-large');
    const polled: string[] = [];
    page.on('request', (r) => { if (r.url().includes('/api/import/')) polled.push(r.url()); });
    await login(page, env.server.url, 'ft_admin');
    await page.goto(`${env.server.url}/#/import/member/${huimin}`);
    await page.waitForSelector('#import-file');
    const rows = Array.from({ length: 1500 }, (_, i) => row(`批量${i}`));
    const input = (await page.$('input#import-file[type=file]')) as import('puppeteer-core').ElementHandle<HTMLInputElement>;
    await input.uploadFile(csv('large.csv', rows));
    await clickText(page, 'button', '上传并预览');
    await page.waitForSelector('.import-counts', { timeout: 60_000 });
    expect(await page.$eval('.import-counts', (e) => e.textContent!.replace(/\s+/g, ''))).toContain('共1500行');
    expect(polled.some((u) => /\/preview\?async=1/.test(u))).toBe(true);
    expect(polled.some((u) => /\/api\/import\/jobs\//.test(u))).toBe(true);
    await shot(page, '52-import-large-preview');
    expect(page.problems).toEqual([]);
  });
});
