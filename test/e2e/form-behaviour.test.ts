/**
 * The record form's behaviour in the browser: conditional fields and their marks, save
 * conflicts with both versions shown, batch print with a progress bar, a narrow window and
 * keyboard use.
 */
import { describe, it, expect } from 'vitest';
import { login, shot, waitForText, clickText, fieldError, e2eSuite, openPage, type E2EPage } from './browser.js';

const env = e2eSuite();
type P = E2EPage;

const open = (width?: number, height?: number): Promise<P> => openPage(env.browser, 'form', width, height);

/** The id of a demo member, through the API. */
async function memberId(name: string): Promise<string> {
  const admin = await env.server.login('bj_admin');
  const res = await admin.get(`/api/records/member?q=${encodeURIComponent(name)}`);
  return res.body.items[0].id;
}

async function openRecord(page: P, id: string) {
  await page.goto(`${env.server.url}/#/record/member/${id}`);
  await page.waitForSelector('caiji-record-form [data-field="name"] input');
}

const visible = (page: P, field: string) => page.$(`caiji-record-form [data-field="${field}"]`).then((h) => !!h);

describe('record form in the browser', () => {
  it('shows a conditional field when its condition holds, marked required, with the same message as the server', async () => {
    const page = await open();
    await login(page, env.server.url, 'tnl_admin');
    await openRecord(page, await memberId('周涛'));
    expect(await visible(page, 'lostDate')).toBe(false);
    expect(await visible(page, 'floatDestination')).toBe(false);
    // 是否为失联党员: 是 → 失联日期 appears, red and required, and its error is announced.
    await page.click('[data-field="lost"] input[type=radio]');
    await page.waitForSelector('[data-field="lostDate"]');
    expect(await page.$eval('[data-field="lostDate"]', (e) => e.classList.contains('essential'))).toBe(true);
    expect(await page.$eval('[data-field="lostDate"] .field-label', (e) => e.textContent)).toContain('*');
    expect(await page.$eval('[data-field="lostDate"] input', (e) => e.hasAttribute('required'))).toBe(true);
    await clickText(page, '.toolbar button', '保存');
    await page.waitForFunction(() => document.querySelector('[data-field="lostDate"] .field-error')?.textContent === '「失联日期」为必填项');
    expect(await page.$eval('[data-field="lostDate"] .field-error', (e) => e.getAttribute('aria-live'))).toBe('polite');
    // Focus went to the field to correct.
    expect(await page.evaluate(() => document.activeElement?.closest('[data-field]')?.getAttribute('data-field'))).toBe('lostDate');
    await page.$eval('[data-field="lostDate"]', (e) => e.scrollIntoView({ block: 'center' }));
    await shot(page, '15-conditional-field');
    // The same data sent to the server gets the same message.
    const admin = await env.server.login('tnl_admin');
    const check = await admin.post('/api/forms/member/validate', { data: { orgId: 'x', name: '周涛', lost: true } });
    expect(check.body.errors).toContainEqual({ path: '/lostDate', message: await fieldError(page, 'lostDate') });
    // Back to 否: the field goes away again.
    await page.click('[data-field="lost"] input[type=radio]:not(:checked)');
    await page.waitForFunction(() => !document.querySelector('[data-field="lostDate"]'));
    expect(page.problems).toEqual([]);
    await page.close();
  });

  it('on a save conflict shows both versions of the differing fields and keeps the user’s input', async () => {
    const id = await memberId('王丽');
    const a = await open();
    const b = await open();
    await login(a, env.server.url, 'tnl_admin');
    await login(b, env.server.url, 'tnl_admin');
    await openRecord(a, id);
    await openRecord(b, id);
    // A changes the mobile number and saves first.
    await a.click('[data-field="mobile"] input', { count: 3 });
    await a.keyboard.type('13512345678');
    await clickText(a, '.toolbar button', '保存');
    await waitForText(a, '已保存');
    // B, still on the old version, changes the mobile number and the address.
    await b.click('[data-field="mobile"] input', { count: 3 });
    await b.keyboard.type('13800000000');
    await b.click('[data-field="address"] textarea', { count: 3 });
    await b.keyboard.type('北京市丰台区太平桥街道太南里1号楼2单元103号');
    b.expectApiFailure(/^PUT \/api\/records\/member\/[\w-]+$/, 409); // the stale save, on purpose
    await clickText(b, '.toolbar button', '保存');
    await b.waitForSelector('caiji-conflict-dialog dialog[open]');
    const rows = await b.$$eval('.conflict-table tbody tr', (trs) => trs.map((tr) => [...tr.children].map((c) => (c as HTMLElement).innerText.trim())));
    expect(rows).toContainEqual(['手机号码', '13800000000', '13512345678']);
    expect(rows.find((r) => r[0] === '家庭住址')?.[1]).toBe('北京市丰台区太平桥街道太南里1号楼2单元103号');
    await shot(b, '16-save-conflict');
    // Keep the other version's mobile number, the own address; then save on the new version.
    await b.click('.conflict-table tbody tr:first-child td:last-child input');
    await clickText(b, 'caiji-conflict-dialog button', '按所选合并');
    await b.waitForFunction(() => !document.querySelector('caiji-conflict-dialog'));
    expect(await b.$eval('[data-field="mobile"] input', (i) => (i as HTMLInputElement).value)).toBe('13512345678');
    expect(await b.$eval('[data-field="address"] textarea', (i) => (i as HTMLTextAreaElement).value)).toContain('103号');
    await clickText(b, '.toolbar button', '保存');
    await waitForText(b, '已保存');
    const admin = await env.server.login('tnl_admin');
    const saved = (await admin.get(`/api/records/member/${id}`)).body;
    expect(saved.data.mobile).toBe('13512345678');
    expect(saved.data.address).toContain('103号');
    expect(a.problems).toEqual([]);
    expect(b.problems).toEqual([]);
    await a.close();
    await b.close();
  });

  it('prints a batch with a progress bar and offers the PDF', async () => {
    const page = await open();
    await login(page, env.server.url, 'tnl_admin');
    await page.goto(`${env.server.url}/#/list/member/${(await env.server.login('tnl_admin').then((c) => c.get('/api/me'))).body.grants[0].node}`);
    await page.waitForSelector('caiji-record-table tbody tr th a');
    const boxes = await page.$$('caiji-record-table tbody input[type=checkbox]');
    await boxes[0].click();
    await boxes[1].click();
    await boxes[2].click();
    await clickText(page, 'caiji-batch-print button', '批量打印');
    await page.waitForSelector('caiji-batch-print progress');
    await page.waitForSelector('caiji-batch-print a[download]', { timeout: 30_000 });
    await shot(page, '17-batch-print');
    const href = await page.$eval('caiji-batch-print a[download]', (a) => a.getAttribute('href')!);
    const head = await page.evaluate(async (u) => {
      const r = await fetch(u);
      const b = new Uint8Array(await r.arrayBuffer());
      return String.fromCharCode(...b.slice(0, 4));
    }, href);
    expect(head).toBe('%PDF');
    expect(await page.$eval('caiji-batch-print progress', (p) => (p as HTMLProgressElement).value)).toBe(100);
    expect(page.problems).toEqual([]);
    await page.close();
  });

  it('works on a narrow window and by keyboard alone', async () => {
    const page = await open(390, 800);
    await page.goto(env.server.url);
    await page.waitForSelector('#login-username');
    // The page's heading has focus; the next stop is the first field.
    await page.waitForFunction(() => document.activeElement?.id === 'login-title');
    await page.keyboard.press('Tab');
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('login-username');
    await page.keyboard.type('tnl_admin');
    await page.keyboard.press('Tab');
    await page.keyboard.type('caiji-demo');
    await page.keyboard.press('Enter');
    await waitForText(page, '当前党组织');
    await shot(page, '18-narrow-organizations');
    // Every input on the form page has a label.
    await openRecord(page, await memberId('孙伟'));
    const unlabelled = await page.$$eval('main input:not([type=hidden]), main select, main textarea', (els) => els
      .filter((e) => !(e as HTMLInputElement).labels?.length && !e.getAttribute('aria-label') && !e.closest('[role=radiogroup],[role=group]'))
      .map((e) => e.outerHTML.slice(0, 80)));
    expect(unlabelled).toEqual([]);
    await shot(page, '19-narrow-form');
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    expect(overflow).toBeLessThanOrEqual(0);
    expect(page.problems).toEqual([]);
    await page.close();
  });
});
