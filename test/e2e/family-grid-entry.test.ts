/**
 * Entering rows in a child table (家庭主要成员及社会关系) as a person does: a code cell's search
 * puts the best match first, so Enter takes it (an exact label or code, then labels starting with
 * the text, then labels containing it); and a row just added is not shown as wrong — its errors
 * show once a cell is left or a save is tried, as a field's do — while a save still refuses it; the
 * page's 「N 处需更正后才能保存」 counts them only once they show.
 */
import { describe, it, expect } from 'vitest';
import { login, shot, waitForText, clickText, e2eSuite, openPage, type E2EPage } from './browser.js';

const env = e2eSuite();
type P = E2EPage;

async function memberId(name: string): Promise<string> {
  const admin = await env.server.login('bj_admin');
  const res = await admin.get(`/api/records/member?q=${encodeURIComponent(name)}`);
  return res.body.items[0].id;
}

/** A stored member's form, scrolled to the family grid; answers the grid's id base (cell i, c is `${base}-${i}-${c}`). */
async function openFamily(page: P, name: string): Promise<string> {
  await page.goto(`${env.server.url}/#/record/member/${await memberId(name)}`);
  await page.waitForSelector('caiji-record-form [data-field="family"] caiji-table-grid');
  await page.$eval('[data-field="family"]', (e) => e.scrollIntoView({ block: 'start' }));
  return page.$eval('caiji-table-grid', (g) => (g as unknown as { gridId: string }).gridId);
}

const cell = (base: string, i: number, c: string) => `[id="${base}-${i}-${c}"]`;
const cellError = (page: P, base: string, i: number, c: string) =>
  page.$eval(`[id="${base}-${i}-${c}-err"]`, (e) => (e as HTMLElement).innerText.trim());
/** The page's count of errors to correct (「N 处需更正后才能保存」), 0 when it shows none. */
const errCount = (page: P) => page.$eval('caiji-record-page', (p) => Number(/(\d+) 处需更正/.exec(p.querySelector('.err-count')?.textContent ?? '')?.[1] ?? 0));
/** Errors shown in the grid's cells now. */
const shownCellErrors = (page: P) => page.$$eval('caiji-table-grid [id$="-err"]', (es) => es.filter((e) => (e as HTMLElement).innerText.trim()).length);
const rowFlagged = (page: P, base: string, i: number) => page.$eval(`[id="${base}-${i}"]`, (e) => e.classList.contains('has-error'));

async function addRow(page: P, base: string, i: number) {
  await clickText(page, 'caiji-table-grid button', '添加一行');
  await page.waitForFunction((id) => document.activeElement?.id === id, {}, `${base}-${i}-name`);
}

/** Types into a code cell, waits for the list to follow, presses Enter; answers what the cell shows then. */
async function typeAndEnter(page: P, sel: string, text: string): Promise<{ first: string; shown: string }> {
  await page.click(sel);
  await page.type(sel, text);
  await page.waitForFunction((s) => {
    const input = document.querySelector(s) as HTMLInputElement | null;
    return !!input && input.getAttribute('aria-expanded') === 'true' && !!input.closest('caiji-code-select')?.querySelector('li.active');
  }, {}, sel);
  const first = await page.$eval(sel, (e) => e.closest('caiji-code-select')?.querySelector('li[role=option] .opt-label')?.textContent ?? '');
  await page.keyboard.press('Enter');
  await page.waitForFunction((s) => document.querySelector(s)?.getAttribute('aria-expanded') === 'false', {}, sel);
  return { first, shown: await page.$eval(sel, (e) => (e as HTMLInputElement).value.replace(/\s+/g, ' ').trim()) };
}

describe('family grid entry', () => {
  it('a code cell takes the best match on Enter: exact label or code, then a label starting with the text', async () => {
    const page = await openPage(env.browser, 'code-rank', 1366, 900);
    await login(page, env.server.url, 'bj_admin');
    const base = await openFamily(page, '周涛');
    await addRow(page, base, 0);
    const relation = cell(base, 0, 'relation');
    // 母: 母亲 starts with it, 父母 (code 50, first in code order) only contains it.
    expect(await typeAndEnter(page, relation, '母')).toEqual({ first: '母亲', shown: '母亲 52' });
    await shot(page, 'family-grid-code-rank');
    // 女: the label 女 itself, not 女婿 (28), which comes first in code order and contains it.
    await page.$eval(relation, (e) => { (e as HTMLInputElement).value = ''; });
    expect(await typeAndEnter(page, relation, '女')).toEqual({ first: '女', shown: '女 30' });
    // A full code picks that code.
    expect(await typeAndEnter(page, relation, '51')).toEqual({ first: '父亲', shown: '父亲 51' });
    // 父: labels starting with it, in code order (父母 50, 父亲 51), before those containing it (岳父 …).
    const opts = await (async () => {
      await page.click(relation);
      await page.type(relation, '父');
      await page.waitForFunction((s) => !!document.querySelector(s)?.closest('caiji-code-select')?.querySelector('li.active'), {}, relation);
      return page.$eval(relation, (e) => [...(e.closest('caiji-code-select')?.querySelectorAll('li[role=option] .opt-label') ?? [])].map((x) => x.textContent));
    })();
    expect(opts.slice(0, 2)).toEqual(['父母', '父亲']);
    expect(opts.indexOf('岳父')).toBeGreaterThan(1);
    await page.keyboard.press('Escape');
    // An empty search lists every current code in code order, as before.
    await page.$eval(relation, (e) => (e as HTMLInputElement).blur());
    await page.click(cell(base, 0, 'politicalStatus'));
    await page.click(relation);
    await page.waitForFunction((s) => document.querySelector(s)?.getAttribute('aria-expanded') === 'true', {}, relation);
    const all = await page.$eval(relation, (e) => [...(e.closest('caiji-code-select')?.querySelectorAll('li[role=option] .opt-code') ?? [])].map((x) => x.textContent ?? ''));
    expect(all.slice(0, 4)).toEqual(['01', '02', '10', '11']);
    expect([...all].sort()).toEqual(all);
    await page.keyboard.press('Escape');
    await page.close();
  });

  it('a row just added shows no error until a cell is left or a save is tried; the save still refuses it', async () => {
    const page = await openPage(env.browser, 'new-row', 1366, 900);
    await login(page, env.server.url, 'bj_admin');
    // A stored record's form shows every error of what is stored: not those of a row added now.
    const base = await openFamily(page, '周涛');
    const stored = await errCount(page);
    await addRow(page, base, 0);
    await new Promise((r) => setTimeout(r, 300)); // a render that would show them has happened
    expect(await errCount(page)).toBe(stored); // the row's errors are not counted while not shown
    expect(await cellError(page, base, 0, 'name')).toBe('');
    expect(await cellError(page, base, 0, 'relation')).toBe('');
    expect(await rowFlagged(page, base, 0)).toBe(false);
    expect(await page.$eval(cell(base, 0, 'name'), (e) => e.getAttribute('aria-invalid'))).not.toBe('true');
    await shot(page, 'family-grid-new-row');
    // Leaving the 姓名 cell empty: its error shows, 与该人关系 (not visited) still not.
    await page.keyboard.press('Tab');
    await page.waitForFunction((s) => !!document.querySelector(s)?.textContent?.trim(), {}, `[id="${base}-0-name-err"]`);
    expect(await cellError(page, base, 0, 'name')).toBe('「家庭主要成员及社会关系」第1行「姓名」为必填项');
    expect(await cellError(page, base, 0, 'relation')).toBe('');
    await page.waitForFunction((n) => document.querySelector('caiji-record-page .err-count')?.textContent?.startsWith(`${n} 处`), {}, stored + 1);
    // A second new row stays quiet while the first is flagged.
    await page.focus(`[id="${base}-add"]`);
    await page.keyboard.press('Enter');
    await page.waitForFunction((id) => document.activeElement?.id === id, {}, `${base}-1-name`);
    expect(await cellError(page, base, 1, 'name')).toBe('');
    // Saving is refused and now every error of both rows shows, focus on the first wrong cell.
    await clickText(page, '.toolbar button', '保存');
    await waitForText(page, '需要更正后才能保存');
    await page.waitForFunction((s) => !!document.querySelector(s)?.textContent?.trim(), {}, `[id="${base}-1-relation-err"]`);
    expect(await cellError(page, base, 0, 'relation')).toBe('「家庭主要成员及社会关系」第1行「与该人关系」为必填项');
    expect(await cellError(page, base, 1, 'name')).toBe('「家庭主要成员及社会关系」第2行「姓名」为必填项');
    expect(await rowFlagged(page, base, 1)).toBe(true);
    expect(await page.evaluate(() => document.activeElement?.id)).toBe(`${base}-0-name`);
    // Every error shows now, and the count says so: the rows' errors are counted.
    expect(await shownCellErrors(page)).toBeGreaterThanOrEqual(4);
    await page.waitForFunction((n) => document.querySelector('caiji-record-page .err-count')?.textContent?.startsWith(`${n} 处`), {}, stored + await shownCellErrors(page));
    await shot(page, 'family-grid-new-row-save');
    // A row added after the refused save is quiet again until the next try.
    await clickText(page, 'caiji-table-grid button', '添加一行');
    await page.waitForFunction((id) => document.activeElement?.id === id, {}, `${base}-2-name`);
    await new Promise((r) => setTimeout(r, 300));
    expect(await cellError(page, base, 2, 'name')).toBe('');
    expect(await cellError(page, base, 1, 'name')).toBe('「家庭主要成员及社会关系」第2行「姓名」为必填项');
    expect(await errCount(page)).toBe(stored + await shownCellErrors(page));
    await page.close();
  });
});
