/**
 * The studio's code tables and workflow designer (issue 19, 3 and 4), through the studio only, on
 * a copy of the app: a 单位类别 code deprecated with two replacements → the impact names the units
 * → published → 需重新录入 lists them; a CSV imported into a code table, its diff seen and taken,
 * published → the product's table has the code; a state 上级审核 after 已确认 that only a higher
 * admin may reach (guard above) → published → a branch admin is not offered the event, a district
 * admin is, and the progress page counts the state.
 */
import { describe, it, expect } from 'vitest';
import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import type { Page } from 'puppeteer-core';
import { copyApp } from '../helpers/app-copy.js';
import { nodeId } from '../helpers/demo.js';
import { login, shot, waitForText, clickText, e2eSuite, openPage } from './browser.js';

const appDir = copyApp();
const env = e2eSuite({ app: appDir, testTimeout: 240_000, teardown: () => rmSync(appDir, { recursive: true, force: true }) });

async function barSays(page: Page, text: string) {
  await page.waitForFunction((t) => (document.querySelector('.studio-bar') as HTMLElement | null)?.innerText.includes(t), {}, text);
}

/** Opens the studio as config_admin with a fresh draft. */
async function studio(tag: string) {
  const page = await openPage(env.browser, tag);
  await page.setViewport({ width: 1366, height: 768 });
  page.on('dialog', (d) => void d.accept());
  await login(page, env.server.url, 'config_admin');
  await page.goto(`${env.server.url}/#/studio`);
  await barSays(page, '没有打开的草稿');
  await clickText(page, '.studio-bar button', '打开草稿');
  await page.waitForFunction(() => !(document.querySelector('.studio-bar') as HTMLElement).innerText.includes('没有打开的草稿'));
  return page;
}

async function publish(page: Page, note: string) {
  await barSays(page, '可发布');
  await clickText(page, '.studio-bar button', '发布');
  await page.waitForSelector('dialog[open] textarea, dialog[open] input');
  await page.type('dialog[open] textarea, dialog[open] input', note);
  await clickText(page, 'dialog .dialog-foot button', '发布');
  await barSays(page, '没有打开的草稿');
}

describe('studio: code tables and the workflow designer', () => {
  it('a 单位类别 code deprecated with two replacements: impact, publish, 需重新录入', async () => {
    const page = await studio('studio-codes');
    await page.goto(`${env.server.url}/#/studio/codes/unit-category`);
    await page.waitForSelector('caiji-studio-code-tables tr[data-code="23"]');
    const i = await page.$eval('caiji-studio-code-tables tr[data-code="23"]', (tr) => Number((tr as HTMLElement).dataset.row));
    await page.click(`#code-${i}-off`);
    await page.waitForSelector(`#code-${i}-replacedBy`);
    await page.select(`#code-${i}-replacedBy`, '21', '22');
    await clickText(page, 'caiji-studio-code-tables button', '保存到草稿');
    await page.waitForFunction(() => (document.querySelector('caiji-studio-code-tables') as HTMLElement).innerText.includes('与草稿一致'));
    await shot(page, 'studio-codes-deprecated');

    await clickText(page, '.studio-bar button', '影响分析');
    await page.waitForSelector('.studio-impact-table');
    const impact = await page.$eval('.studio-impact', (e) => (e as HTMLElement).innerText);
    expect(impact).toContain('单位');
    await publish(page, '单位类别 23 停用');

    const lianhe = await openPage(env.browser, 'studio-codes-recode');
    await login(lianhe, env.server.url, 'lianhe_admin');
    const node = await nodeId(await env.server.login('lianhe_admin'), '太南里社区非公联合党支部');
    await lianhe.goto(`${env.server.url}/#/recode/${node}`);
    await lianhe.waitForSelector('.recode-group[data-code="23"]');
    const group = await lianhe.$eval('.recode-group[data-code="23"]', (e) => (e as HTMLElement).innerText);
    expect(group).toMatch(/涉及 [1-9]\d* 条记录/);
    expect(group).toContain('21');
    await shot(lianhe, 'studio-codes-recode');
  });

  it('a CSV imported into a code table: diff, take, publish, the product has the code', async () => {
    const page = await studio('studio-codes-import');
    await page.goto(`${env.server.url}/#/studio/codes/unit-category`);
    await page.waitForSelector('caiji-studio-code-tables tr[data-code="9001"]');
    const table = await env.server.login('config_admin').then((c) => c.get('/api/codes/unit-category')).then((r) => r.body);
    const csv = ['代码,名称', ...table.codes.map((c: any) => `${c.code},${c.label}`), '9010,新型经营主体'].join('\n');
    const file = join(tmpdir(), `unit-category-${process.pid}.csv`);
    writeFileSync(file, csv);
    const input = await page.$('#codes-import-file');
    await (input as any).uploadFile(file);
    await page.waitForSelector('.import-diff tr[data-change="added"]');
    expect(await page.$eval('.diff-summary', (e) => e.textContent)).toMatch(/新增 1 项/);
    await shot(page, 'studio-codes-import-diff');
    await clickText(page, '.codes-import-result button', '采用');
    await page.waitForSelector('caiji-studio-code-tables tr[data-code="9010"]');
    await barSays(page, '已改 1 个文件');
    await publish(page, '单位类别 新增 9010');
    const after = (await (await env.server.login('bj_admin')).get('/api/codes/unit-category')).body;
    expect(after.codes.map((c: any) => c.code)).toContain('9010');
    rmSync(file);
  });

  it('a state 上级审核 after 已确认 that only a higher admin may pass; offered accordingly; counted', async () => {
    const page = await studio('studio-workflow');
    await page.goto(`${env.server.url}/#/studio/workflows/member-confirmation`);
    await page.waitForSelector('.wf-diagram g.wf-state[data-state="confirmed"]');
    await shot(page, 'studio-workflow-before');
    await page.click('#wf-add-state');
    await page.type('#wf-new-title', '上级审核');
    await page.select('#wf-new-from', 'confirmed');
    await page.type('#wf-new-event', '上级审核通过');
    await clickText(page, '.wf-add button', '添加');
    await page.waitForSelector('.wf-diagram g.wf-edge[data-from="confirmed"]');
    // The new event's guard: 上级 (above) instead of the default permission.
    await page.select('#wf-guard-add', 'above');
    await page.waitForSelector('.wf-guard[data-guard="above"]');
    await clickText(page, '.wf-guard[data-guard="permission"] button', '删除');
    await page.waitForFunction(() => !document.querySelector('.wf-guard[data-guard="permission"]'));
    expect(await page.$eval('#wf-who', (e) => e.textContent)).toContain('上级');
    await clickText(page, '#wf-save', '保存到草稿');
    await page.waitForFunction(() => (document.querySelector('caiji-studio-workflow') as HTMLElement).innerText.includes('与草稿一致'));
    await shot(page, 'studio-workflow-added');
    await publish(page, '上级审核');

    const admin = await env.server.login('bj_admin');
    const root = (await admin.get('/api/tree')).body.node.id;
    const confirmed = (await admin.get(`/api/records/member?node=${root}&state=confirmed&subtree=1`)).body.items[0];
    expect(confirmed, 'a confirmed member').toBeTruthy();
    const offered = async (user: string) => {
      const p = await openPage(env.browser, `studio-workflow-${user}`);
      await login(p, env.server.url, user);
      await p.goto(`${env.server.url}/#/record/member/${confirmed.id}`);
      await p.waitForSelector('.action-bar');
      await waitForText(p, '当前状态');
      const buttons = await p.$$eval('.action-bar button', (bs) => bs.map((b) => (b as HTMLElement).innerText.trim()));
      await shot(p, `studio-workflow-${user}`);
      await p.close();
      return buttons;
    };
    expect(await offered('bj_admin')).toContain('上级审核通过');
    const branchAdmin = await branchAdminOf(confirmed.node);
    if (branchAdmin) expect(await offered(branchAdmin)).not.toContain('上级审核通过');

    const progress = await openPage(env.browser, 'studio-workflow-progress');
    await login(progress, env.server.url, 'bj_admin');
    await progress.goto(`${env.server.url}/#/progress/${root}`);
    await progress.waitForSelector('table thead th');
    expect(await progress.$$eval('table thead th', (ths) => ths.map((t) => t.textContent!.trim()))).toContain('上级审核');
    await shot(progress, 'studio-workflow-progress');
  });
});

/** The demo's admin of the member's own branch, when the demo has one for it. */
async function branchAdminOf(node: string): Promise<string | null> {
  for (const user of ['pdl_admin', 'meiyu_admin', 'tnl_admin', 'lianhe_admin']) {
    const c = await env.server.login(user);
    if ((await c.get(`/api/tree/${node}`)).status === 200) return user;
  }
  return null;
}
