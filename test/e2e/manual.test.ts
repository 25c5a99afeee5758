/**
 * The operating manual, clicked through in headless Chromium: an admin fixes and submits
 * members, members confirm or ask for changes, the admin corrects and resubmits and prints;
 * a joint branch links its units by credit code and downloads its sheet.
 */
import { describe, it, expect } from 'vitest';
import { login, shot, waitForText, clickText, fieldError, e2eSuite, openPage, type E2EPage } from './browser.js';

const env = e2eSuite();

type P = E2EPage;

/** A page for one user; on failure its screen is saved. */
const open = (): Promise<P> => openPage(env.browser, 'manual');
const settle = (ms = 300) => new Promise((r) => setTimeout(r, ms));

/** Opens a node in the tree page by clicking its row link's "查看" (members) or label. */
async function openTreeNode(page: P, label: string) {
  await page.waitForSelector('caiji-tree [role=treeitem]');
  await clickText(page, 'caiji-tree a', label);
  await page.waitForFunction((l) => document.querySelector('h1')?.textContent?.includes('信息') && document.body.innerText.includes(`：${l}`), {}, label);
}

/** The state shown in the list row of a record. */
async function rowState(page: P, name: string): Promise<string> {
  return page.$$eval('caiji-record-table tbody tr', (rows, n) => {
    const row = rows.find((r) => r.querySelector('th a')?.textContent?.trim() === n);
    return row?.querySelector('.state')?.textContent?.trim() ?? '';
  }, name);
}

/** From anywhere to the member list of the user's own (first) node. */
async function openOwnList(page: P) {
  await page.goto(`${env.server.url}/#/browse`);
  const sel = 'caiji-node-table tbody tr:first-child a[aria-label^="查看"]';
  await page.waitForSelector(sel);
  await page.click(sel);
  await page.waitForSelector('caiji-record-table tbody tr th a');
}

async function tick(page: P, name: string) {
  await page.waitForSelector(`caiji-record-table input[aria-label="选择 ${name}"]`);
  await page.click(`caiji-record-table input[aria-label="选择 ${name}"]`);
}

/** Chooses a code in a field's searchable select by typing and Enter (keyboard only). */
async function chooseCode(page: P, field: string, typed: string) {
  const sel = `[data-field="${field}"] input[role=combobox]`;
  await page.focus(sel);
  await page.keyboard.type(typed);
  await page.waitForSelector(`[data-field="${field}"] li[role=option]:not([aria-disabled=true])`);
  await page.keyboard.press('Enter');
}

/** Fetches a link's target from inside the page (the session cookie goes along). */
async function fetchHead(page: P, href: string) {
  return page.evaluate(async (u) => {
    const r = await fetch(u);
    const b = new Uint8Array(await r.arrayBuffer());
    return { status: r.status, type: r.headers.get('content-type') ?? '', head: String.fromCharCode(...b.slice(0, 4)), size: b.length };
  }, href);
}

describe('the manual in the browser', () => {
  it('an admin logs in, lands on the organization page with tree, breadcrumb and list', async () => {
    const page = await open();
    await page.goto(env.server.url);
    await page.waitForSelector('#login-username');
    // The application's own note tells members what their username is and whom to ask.
    expect(await page.$eval('.login-note', (e) => e.textContent)).toContain('用户名一般为本人身份证号码');
    await shot(page, '01-login');
    await login(page, env.server.url, 'ft_admin');
    await waitForText(page, '当前党组织');
    const crumbs = await page.$eval('caiji-breadcrumb', (e) => (e as HTMLElement).innerText.replace(/\s+/g, ''));
    expect(crumbs).toBe('中共北京市委>>丰台区委');
    await page.waitForSelector('caiji-node-table thead th');
    const heads = await page.$$eval('caiji-node-table thead th', (ths) => ths.map((t) => t.textContent!.trim()));
    expect(heads).toEqual(['党组织简称', '党组织编码', '党组织隶属关系', '组织类别', '所在单位', '党员信息完整度', '下级党员']);
    await openTreeNode(page, '中共丰台区太平桥街道工委');
    await page.waitForSelector('caiji-tree [aria-selected=true]');
    await settle(500);
    await shot(page, '02-organizations');
    expect(page.problems).toEqual([]);
    await page.close();
  });

  it('opens a branch, sees the Chinese error at an invalid member’s field, fixes it, submits two members in one batch', async () => {
    const page = await open();
    await login(page, env.server.url, 'ft_admin');
    await waitForText(page, '当前党组织');
    await clickText(page, 'caiji-tree a', '组织部党委');
    await waitForText(page, '演示支部乙');
    // 查看 on the branch row opens its member list.
    await page.locator('caiji-node-table a[aria-label="查看演示支部乙的下级党员"]').click();
    await page.waitForSelector('caiji-record-table tbody tr th a');
    await waitForText(page, '演示九');
    await clickText(page, 'caiji-record-table a', '演示九');
    await page.waitForSelector('[data-field="jobPosition"]');
    await page.waitForFunction(() => document.querySelector('[data-field="jobPosition"] .field-error')?.textContent?.includes('已停用'));
    const err = await fieldError(page, 'jobPosition');
    expect(err).toContain('「工作岗位」的代码“机关干部岗位（011）”已停用，请改选：党政机关公务员（0111）');
    // The error is tied to its input for screen readers.
    const described = await page.$eval('[data-field="jobPosition"] input[role=combobox]', (i) => i.getAttribute('aria-describedby') ?? '');
    const errId = await page.$eval('[data-field="jobPosition"] .field-error', (e) => e.id);
    expect(described.split(' ')).toContain(errId);
    await page.$eval('[data-field="jobPosition"]', (e) => e.scrollIntoView({ block: 'center' }));
    await shot(page, '03-member-error');

    // Live validation: a wrong ID number is refused at the field as it is typed.
    const id = '[data-field="idNumber"] input';
    const original = await page.$eval(id, (i) => (i as HTMLInputElement).value);
    await page.click(id, { count: 3 });
    await page.keyboard.type('110106198805050133');
    await page.$eval(id, (i) => (i as HTMLInputElement).blur());
    await page.waitForFunction(() => document.querySelector('[data-field="idNumber"] .field-error')?.textContent?.includes('校验码'));
    await page.click(id, { count: 3 });
    await page.keyboard.type(original);

    await chooseCode(page, 'jobPosition', '0111');
    await page.waitForFunction(() => !document.querySelector('[data-field="jobPosition"] .field-error')?.textContent);
    expect(await page.$eval('[data-field="jobPosition"] input', (i) => (i as HTMLInputElement).value)).toContain('党政机关公务员');
    await clickText(page, 'button', '保存');
    await waitForText(page, '已保存');
    await page.waitForSelector('.badge.ok');

    // Back to the district's list: both members in one batch.
    await openOwnList(page);
    await waitForText(page, '芦会倩');
    await tick(page, '演示九');
    await tick(page, '芦会倩');
    await page.waitForFunction(() => [...document.querySelectorAll('caiji-batch-actions button')].some((b) => b.textContent!.includes('提交确认')));
    await shot(page, '04-member-list-selected');
    await clickText(page, 'caiji-batch-actions button', '提交确认');
    await waitForText(page, '已提交确认 2 条');
    await page.waitForFunction(() => ['演示九', '芦会倩'].every((n) => [...document.querySelectorAll('caiji-record-table tbody tr')]
      .some((r) => r.querySelector('th a')?.textContent?.trim() === n && r.querySelector('.state')?.textContent === '待确认')));
    expect(await rowState(page, '演示九')).toBe('待确认');
    expect(await rowState(page, '芦会倩')).toBe('待确认');
    expect(page.problems).toEqual([]);
    await page.close();
  });

  it('one member confirms, another asks for a change', async () => {
    const page = await open();
    await login(page, env.server.url, 'yanshijiu');
    await waitForText(page, '我的信息');
    await page.waitForSelector('caiji-action-bar button');
    // The history names people as they are known (the admin's display name), not by username.
    await page.waitForSelector('caiji-history .tl-actor');
    const actors = await page.$$eval('caiji-history .tl-actor', (els) => els.map((e) => e.textContent));
    expect(actors).toContain('丰台区委管理员');
    expect(actors).not.toContain('ft_admin');
    // What the member is told follows the record's state (the workflow's selfHint for it).
    const hint = () => page.$eval('.self-hint', (e) => e.textContent ?? '');
    expect(await hint()).toContain('核实无误请点击【确认信息】');
    expect(await hint()).toContain('红色为中组部采集项');
    await shot(page, '05-self-service');
    await clickText(page, 'caiji-action-bar button', '确认信息');
    await page.waitForFunction(() => document.querySelector('.record-head .state')?.textContent === '已确认');
    expect(await hint()).toContain('您已确认以上信息');
    await page.close();

    const other = await open();
    await login(other, env.server.url, 'luhuiqian');
    await waitForText(other, '我的信息');
    await clickText(other, 'caiji-action-bar button', '修改信息');
    await other.waitForSelector('dialog[open] textarea, dialog[open] input');
    const reason = await other.$('dialog[open] [id$="-reason"]');
    await reason!.type('手机号码已更换为13900001111');
    await other.evaluate(() => {
      const box = [...document.querySelectorAll('dialog[open] label')].find((l) => l.textContent!.trim() === '手机号码')!.querySelector('input')!;
      box.click();
    });
    await shot(other, '06-request-change');
    await clickText(other, 'dialog[open] button[type=submit]', '修改信息');
    await other.waitForFunction(() => document.querySelector('.record-head .state')?.textContent === '待修改');
    expect(await other.$eval('.self-hint', (e) => e.textContent)).toContain('管理员更正后会重新提交给您确认');
    expect(other.problems).toEqual([]);
    await other.close();
  });

  it('the admin sees the states, corrects, resubmits and downloads the PDF', async () => {
    const page = await open();
    await login(page, env.server.url, 'ft_admin');
    await openOwnList(page);
    await waitForText(page, '芦会倩');
    expect(await rowState(page, '演示九')).toBe('已确认');
    expect(await rowState(page, '芦会倩')).toBe('待修改');
    // The state filter lists only the records that wait for a correction.
    await page.select('#list-state', 'changes_requested');
    await clickText(page, 'form.filters button', '查询');
    await page.waitForFunction(() => { const s = [...document.querySelectorAll('caiji-record-table .state')]; return s.length > 0 && s.every((x) => x.textContent === '待修改'); });
    expect(await page.$$eval('caiji-record-table tbody tr th a', (as) => as.map((a) => a.textContent!.trim()))).toContain('芦会倩');
    await shot(page, '07-list-filtered');
    await clickText(page, 'caiji-record-table a', '芦会倩');
    await page.waitForSelector('[data-field="mobile"] input');
    await waitForText(page, '手机号码已更换为13900001111');
    await page.click('[data-field="mobile"] input', { count: 3 });
    await page.keyboard.type('13900001111');
    await clickText(page, 'button', '保存');
    await waitForText(page, '已保存');
    await page.waitForFunction(() => [...document.querySelectorAll('caiji-action-bar button')].some((b) => b.textContent!.includes('提交确认') && !(b as HTMLButtonElement).disabled));
    await clickText(page, 'caiji-action-bar button', '提交确认');
    await page.waitForFunction(() => document.querySelector('.state-now .state')?.textContent === '待确认');
    await shot(page, '08-member-resubmitted');

    // 演示九 confirmed: print preview and PDF.
    await openOwnList(page);
    await waitForText(page, '演示九');
    await clickText(page, 'caiji-record-table a', '演示九');
    await page.waitForSelector('caiji-document-buttons a');
    const pdf = await page.$eval('caiji-document-buttons a[href$=".pdf?download=1"]', (a) => (a as HTMLAnchorElement).getAttribute('href')!);
    const preview = await page.$eval('caiji-document-buttons a[href$=".html"]', (a) => (a as HTMLAnchorElement).getAttribute('href')!);
    const got = await fetchHead(page, pdf);
    expect(got.status).toBe(200);
    expect(got.type).toContain('application/pdf');
    expect(got.head).toBe('%PDF');
    const sheet = await open();
    await sheet.setCookie(...(await page.cookies()));
    await sheet.goto(env.server.url + preview);
    await waitForText(sheet, '演示九');
    await shot(sheet, '09-print-preview');
    await sheet.close();
    expect(page.problems).toEqual([]);
    await page.close();
  });
});
