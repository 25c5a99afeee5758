/**
 * A workflow event over a mixed selection (manual: 批量提交确认): offered while any selected record
 * allows it, saying before sending which records it will not go to and why, and afterwards which
 * were refused, each a link to open it.
 */
import { describe, it, expect } from 'vitest';
import { login, shot, waitForText, clickText, e2eSuite, openPage } from './browser.js';

const env = e2eSuite();

describe('batch events in the member list', () => {
  it('a mixed selection sends 提交确认 to the records that allow it and names the rest', async () => {
    const api = await env.server.login('tnl_admin');
    // The three records of the outside replay, judged by the API as the list will show them.
    const people = (await api.get(`/api/records/member?q=${encodeURIComponent('')}&limit=200`)).body.items
      .filter((r: any) => ['李建国', '胡子峰', '孙伟'].includes(r.data.name));
    expect(people.map((p: any) => p.data.name).sort()).toEqual(['孙伟', '李建国', '胡子峰'].sort());
    const can = new Map<string, boolean>();
    for (const p of people) can.set(p.data.name, (await api.get(`/api/records/member/${p.id}/events`)).body.events.some((e: any) => e.type === 'SUBMIT'));
    const ready = [...can].filter(([, ok]) => ok).map(([n]) => n);
    const held = [...can].filter(([, ok]) => !ok).map(([n]) => n);
    // The replay's point: some can go, some cannot.
    expect(ready.length).toBeGreaterThan(0);
    expect(held.length).toBeGreaterThan(0);

    const page = await openPage(env.browser, 'batch');
    await login(page, env.server.url, 'tnl_admin');
    await waitForText(page, '当前党组织');
    await page.waitForSelector('caiji-node-table tbody tr:first-child a[aria-label^="查看"]');
    await page.click('caiji-node-table tbody tr:first-child a[aria-label^="查看"]');
    for (const name of ['李建国', '胡子峰', '孙伟']) {
      await page.waitForSelector(`caiji-record-table input[aria-label="选择 ${name}"]`);
      await page.click(`caiji-record-table input[aria-label="选择 ${name}"]`);
    }
    // The button stays, with the count that will go; the note names each record held back and why.
    await page.waitForFunction((n) => document.querySelector('caiji-batch-actions button[data-event="SUBMIT"]')?.textContent?.includes(`（${n}/3）`), {}, ready.length);
    const note = await page.$eval('caiji-batch-actions .batch-held[data-event="SUBMIT"]', (d) => (d as HTMLElement).innerText);
    expect(note).toContain(`将发送 ${ready.length} 条`);
    for (const n of held) expect(note).toContain(n);
    for (const n of ready) expect(note).not.toContain(`${n}：`);
    expect(note).toMatch(/必填|完整|不能/);
    await shot(page, '04b-member-list-mixed-selection');
    await clickText(page, 'caiji-batch-actions button[data-event="SUBMIT"]', '提交确认');
    await page.waitForSelector('caiji-batch-actions .batch-outcome');
    const outcome = await page.$eval('caiji-batch-actions .batch-outcome', (d) => (d as HTMLElement).innerText);
    expect(outcome).toContain(`${ready.length} 条已执行`);
    expect(outcome).toContain(`${held.length} 条未执行`);
    await shot(page, '04c-member-list-batch-outcome');
    // The records that went are 待确认; each refused one is a link to its page.
    for (const p of people) {
      const state = (await api.get(`/api/records/member/${p.id}`)).body.state;
      expect(state === 'pending').toBe(ready.includes(p.data.name));
    }
    const links = await page.$$eval('caiji-batch-actions .batch-outcome li a', (as) => as.map((a) => [a.textContent, a.getAttribute('href')]));
    expect(links.map(([n]) => n).sort()).toEqual([...held].sort());
    await page.click('caiji-batch-actions .batch-outcome li a');
    await page.waitForFunction(() => location.hash.startsWith('#/record/member/'));
    expect(page.problems).toEqual([]);
    await page.close();
  });
});
