/**
 * A code held only inside child-table rows, as a person sees it: the 代码表 page counts the member
 * under 使用记录数 (in red: deprecated and still used), 需重新录入 names the table, the column and the
 * rows, and the bulk replacement's dry run says where before it rewrites the rows. 与该人关系
 * (family-relation) is used by a column of 家庭主要成员及社会关系 alone.
 */
import { describe, it, expect } from 'vitest';
import { memberData, nodeId } from '../helpers/demo.js';
import type { Client } from '../helpers/client.js';
import { login, shot, waitForText, clickText, e2eSuite, openPage } from './browser.js';

let admin: Client;
let branch: string;
let memberId: string;
const WHERE = '「家庭主要成员及社会关系」第2行「与该人关系」';

// A code table's save is a config version in the database: the demo app's files stay as they are.
const env = e2eSuite({
  async setup() {
    admin = await env.server.login('pdl_admin');
    branch = await nodeId(admin, '潘东亮支部乙');
    // A member whose second row holds 86 (舅母), which the config admin then deprecates for 88 (姨母).
    const family = [{ name: '行一', relation: '85' }, { name: '行二', relation: '86' }];
    const res = await admin.post('/api/records/member', memberData(branch, { name: '子表替换', family }));
    if (res.status !== 201) throw new Error(`member: ${res.status} ${JSON.stringify(res.body)}`);
    memberId = res.body.id;
    const cfg = await env.server.login('config_admin');
    const t = (await cfg.get('/api/codes/family-relation')).body;
    const saved = await cfg.put('/api/codes/family-relation', {
      ...t, codes: t.codes.map((c: any) => (c.code === '86' ? { ...c, deprecated: '2026-01-01', replacedBy: ['88'] } : c)),
    }, t.version);
    if (saved.status !== 200) throw new Error(`deprecate: ${saved.status} ${JSON.stringify(saved.body)}`);
  },
});

describe('codes inside child-table rows in the browser', () => {
  it('the 代码表 page counts the member holding the deprecated code in a row', async () => {
    const page = await openPage(env.browser, 'child-codes-usage');
    await login(page, env.server.url, 'config_admin');
    await page.goto(`${env.server.url}/#/codes/family-relation`);
    await page.waitForFunction(() => [...document.querySelectorAll('caiji-codes-page thead th')].some((t) => t.textContent!.trim() === '使用记录数'));
    const used = () => page.$$eval('caiji-codes-page tbody tr', (trs) => {
      const tr = trs.find((r) => r.querySelector('td code')?.textContent === '86')!;
      return tr.querySelector('td.num')!.textContent!.trim() + (tr.querySelector('td.num strong.warn') ? ' warn' : '');
    });
    expect(await used()).toBe('1 warn');
    expect(page.problems).toEqual([]);
    await page.close();
  });

  it('需重新录入 names the table, column and row; the replacement rewrites the row', async () => {
    const page = await openPage(env.browser, 'child-codes-recode');
    await login(page, env.server.url, 'pdl_admin');
    await page.goto(`${env.server.url}/#/recode/${branch}`);
    await page.waitForSelector('.recode-group[data-code="86"]');
    const group = await page.$eval('.recode-group[data-code="86"]', (e) => ({
      title: e.querySelector('.group-title')!.textContent!.replace(/\s+/g, ' '),
      records: [...e.querySelectorAll('.record-links li')].map((li) => li.textContent!.replace(/\s+/g, ' ').trim()),
    }));
    expect(group.title).toContain('党员「家庭主要成员及社会关系」「与该人关系」：舅母（86）');
    expect(group.records).toEqual([`子表替换 ${WHERE}`]);
    await shot(page, 'recode-child-rows');

    await clickText(page, '.recode-group[data-code="86"] button', '批量替换');
    await page.waitForSelector('dialog[open] .dry-run-summary');
    expect(await page.$eval('dialog[open]', (e) => e.textContent!.replace(/\s+/g, ' '))).toContain(`子表替换 ${WHERE}`);
    await clickText(page, 'dialog[open] button', '确认替换 1 条');
    await waitForText(page, '已将 1 条记录');
    await page.waitForFunction(() => !document.querySelector('.recode-group[data-code="86"]'));
    expect((await admin.get(`/api/records/member/${memberId}`)).body.data.family.map((r: any) => r.relation)).toEqual(['85', '88']);
    expect(page.problems).toEqual([]);
    await page.close();
  });
});
