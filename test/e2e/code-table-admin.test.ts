/**
 * What a code change does is said before it is done, and the code-table editor fits the screen:
 * - 批量替换's dry run names, per workflow state, the records whose state the replacement changes
 *   (this copy's workflow lacks RECODED, so a replacement is an edit that sends 待确认 and 已确认
 *   back to 未提交) and the confirm button counts them;
 * - 保存代码表 that deprecates a code records use asks first, naming the code and its records:
 *   取消 saves nothing, 确认保存 saves;
 * - at 1280×800 the editor's last column is on screen, a row of a code in use is no taller than
 *   the others, 替代代码 is chosen with checkboxes; at 1024 the table scrolls inside its frame.
 */
import { describe, it, expect } from 'vitest';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { copyApp } from '../helpers/app-copy.js';
import { memberData, nodeId } from '../helpers/demo.js';
import type { Client } from '../helpers/client.js';
import { login, shot, waitForText, clickText, e2eSuite, openPage, type E2EPage } from './browser.js';

const appDir = copyApp();
const wfFile = join(appDir, 'workflows/member-confirmation.json');
const wf = JSON.parse(readFileSync(wfFile, 'utf8'));
delete wf.meta.events.RECODED;
wf.meta.internalEvents = ['EDITED'];
writeFileSync(wfFile, JSON.stringify(wf, null, 2));

const CODE = '0198';
let admin: Client;
let cfg: Client;
let branch: string;

const env = e2eSuite({
  app: appDir,
  testTimeout: 120_000,
  async setup() {
    admin = await env.server.login('pdl_admin');
    cfg = await env.server.login('config_admin');
    branch = await nodeId(admin, '潘东亮支部乙');
    let t = (await cfg.get('/api/codes/job-position')).body;
    const added = await cfg.put('/api/codes/job-position', { ...t, codes: [...t.codes, { code: CODE, label: '测试旧岗位' }] }, t.version);
    if (added.status !== 200) throw new Error(`add code: ${added.status} ${JSON.stringify(added.body)}`);
    // Three records holding the code: one left 未提交, one 待确认, one 已确认 (offline).
    const ids: string[] = [];
    for (const name of ['状态甲', '状态乙', '状态丙']) {
      const res = await admin.post('/api/records/member', memberData(branch, { name, jobPosition: CODE }));
      if (res.status !== 201) throw new Error(`member: ${res.status} ${JSON.stringify(res.body)}`);
      ids.push(res.body.id);
    }
    const sent = [
      await admin.post(`/api/records/member/${ids[1]}/events`, { type: 'SUBMIT' }),
      await admin.post(`/api/records/member/${ids[2]}/events`, { type: 'OFFLINE_CONFIRM', signedDate: '2026-01-05', note: '线下签字' }),
    ];
    for (const r of sent) if (r.status !== 200) throw new Error(`event: ${r.status} ${JSON.stringify(r.body)}`);
    t = (await cfg.get('/api/codes/job-position')).body;
    const dep = await cfg.put('/api/codes/job-position', {
      ...t, codes: t.codes.map((c: any) => (c.code === CODE ? { ...c, deprecated: '2026-11-01', replacedBy: ['0111'] } : c)),
    }, t.version);
    if (dep.status !== 200) throw new Error(`deprecate: ${dep.status} ${JSON.stringify(dep.body)}`);
  },
  teardown: () => rmSync(appDir, { recursive: true, force: true }),
});

const text = (page: E2EPage, sel: string) => page.$eval(sel, (e) => e.textContent!.replace(/\s+/g, ' ').trim());

/** Opens a code table's editor as the config admin. */
async function openEditor(page: E2EPage, table: string) {
  await login(page, env.server.url, 'config_admin');
  await page.goto(`${env.server.url}/#/codes/${table}`);
  await page.waitForFunction(() => [...document.querySelectorAll('caiji-codes-page thead th')].some((t) => t.textContent!.trim() === '使用记录数'));
  await clickText(page, 'button', '编辑代码表');
  await page.waitForSelector('.code-editor tbody tr[data-row]');
}

describe('code changes said before they are made; the code-table editor fits the screen', () => {
  it('批量替换 says per state which records go back, in the dry run and on the confirm button', async () => {
    const page = await openPage(env.browser, 'recode-states');
    await login(page, env.server.url, 'pdl_admin');
    await page.goto(`${env.server.url}/#/recode/${branch}`);
    await clickText(page, `.recode-group[data-code="${CODE}"] button`, '批量替换');
    await page.waitForSelector('dialog[open] .dry-run-summary');
    expect(await text(page, 'dialog[open] .dry-run-states')).toBe('其中 1 条待确认、1 条已确认的记录将退回「未提交」；其余 1 条的流程状态不变。');
    expect(await page.$eval('dialog[open] .dry-run-states', (e) => e.getAttribute('role'))).toBe('alert');
    await shot(page, 'recode-dry-run-states');
    await clickText(page, 'dialog[open] button', '确认替换 3 条（2 条状态将改变）');
    await waitForText(page, '已退回「未提交」');
    await page.waitForFunction((c) => !document.querySelector(`.recode-group[data-code="${c}"]`), {}, CODE);
    expect(page.problems).toEqual([]);
    await page.close();
  });

  it('保存代码表 that deprecates a code in use asks first: 取消 saves nothing, 确认保存 saves', async () => {
    const before = (await cfg.get('/api/codes/job-position')).body;
    const used = (await cfg.get('/api/codes/job-position/usage')).body.totals.find((x: any) => x.code === '013').count;
    expect(used).toBeGreaterThan(0);
    const page = await openPage(env.browser, 'codes-save-confirm');
    await openEditor(page, 'job-position');
    const row = await page.$eval('.code-editor tr[data-code="013"]', (tr) => Number((tr as HTMLElement).dataset.row));
    await page.click(`#code-${row}-off`);
    // 替代代码 by checkboxes, no Ctrl-click.
    await page.click(`#code-${row}-replacedBy`);
    await page.click(`#code-${row}-replacedBy-012`);
    expect(await text(page, `#code-${row}-replacedBy`)).toContain('事业单位管理人员');
    await shot(page, 'codes-replaced-by-checklist');
    await clickText(page, 'button', '保存代码表');
    await page.waitForSelector('dialog[open] .used-code-changes');
    const asked = await text(page, 'dialog[open]');
    expect(asked).toContain(`事业单位专业技术人员（013）`);
    expect(asked).toContain('改用 事业单位管理人员（012）');
    expect(asked).toContain(`${used} 条记录使用`);
    expect(asked).toContain('需重新录入');
    await shot(page, 'codes-save-confirm');
    await clickText(page, 'dialog[open] button', '取消');
    await page.waitForFunction(() => !document.querySelector('dialog[open]'));
    const kept = (await cfg.get('/api/codes/job-position')).body;
    expect(kept.version).toBe(before.version);
    expect(kept.codes.find((c: any) => c.code === '013').deprecated).toBeUndefined();
    // The edit is still there: saved this time.
    await clickText(page, 'button', '保存代码表');
    await clickText(page, 'dialog[open] button', '确认保存');
    await waitForText(page, `已保存为第 ${before.version + 1} 版`);
    expect((await cfg.get('/api/codes/job-position')).body.codes.find((c: any) => c.code === '013')).toMatchObject({ replacedBy: ['012'] });
    expect(page.problems).toEqual([]);
    await page.close();
  });

  it('at 1280×800 the editor shows its last column and in-use rows keep the height of the others; at 1024 it scrolls in its frame', async () => {
    const page = await openPage(env.browser, 'codes-editor-layout', 1280, 800);
    await openEditor(page, 'job-position');
    const measure = () => page.evaluate(() => {
      const wrap = document.querySelector('.code-editor .table-wrap')!.getBoundingClientRect();
      const last = document.querySelector('.code-editor thead th:last-child')!.getBoundingClientRect();
      // Rows of current codes (a deprecated one carries its date on a second line), in use or not.
      const rows = [...document.querySelectorAll('.code-editor tbody tr[data-row]:not(.off)')].map((tr) => ({
        inUse: !!tr.querySelector('td:last-child button[disabled]'), height: tr.getBoundingClientRect().height,
      }));
      return {
        lastRight: last.right, wrapRight: wrap.right, viewport: innerWidth, pageScroll: document.documentElement.scrollWidth,
        inUse: Math.max(...rows.filter((r) => r.inUse).map((r) => r.height)),
        free: Math.max(...rows.filter((r) => !r.inUse).map((r) => r.height)),
        counts: [rows.filter((r) => r.inUse).length, rows.filter((r) => !r.inUse).length],
      };
    });
    const wide = await measure();
    expect(wide.counts[0]).toBeGreaterThan(0);
    expect(wide.counts[1]).toBeGreaterThan(0);
    expect(wide.lastRight).toBeLessThanOrEqual(wide.wrapRight);
    expect(wide.lastRight).toBeLessThanOrEqual(wide.viewport);
    expect(wide.inUse).toBeLessThanOrEqual(wide.free + 1);
    await shot(page, 'codes-editor-1280');
    await page.setViewport({ width: 1024, height: 800 });
    const narrow = await measure();
    expect(narrow.pageScroll).toBeLessThanOrEqual(narrow.viewport);
    expect(narrow.inUse).toBeLessThanOrEqual(narrow.free + 1);
    await shot(page, 'codes-editor-1024');
    expect(page.problems).toEqual([]);
    await page.close();
  });
});
