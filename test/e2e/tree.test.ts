/**
 * The organization tree draws an arrow only on a node with something to open (issue 20, point 10):
 * before, every node not yet opened showed ▸, leaves included, until a click found nothing.
 */
import { describe, it, expect } from 'vitest';
import { login, e2eSuite, openPage, shot } from './browser.js';

const env = e2eSuite();

describe('organization tree', () => {
  it('leaves have no arrow; a node with children has one, opened or not', async () => {
    const admin = await env.server.login('ft_admin');
    const committee = (await admin.get(`/api/records/organization?q=${encodeURIComponent('丰台区太平桥街道太南里社区党委')}`)).body.items[0];
    const page = await openPage(env.browser, 'tree');
    await login(page, env.server.url, 'ft_admin');
    await page.evaluate((id) => { location.hash = `#/browse/${id}`; }, committee.id);
    // The path down to the committee opens by itself; its branches are listed below it.
    await page.waitForFunction((id) => !!document.querySelector(`caiji-tree [data-id="${id}"] [role=group] [role=treeitem]`), {}, committee.id);
    const rows = await page.$$eval('caiji-tree [role=treeitem]', (items) => items.map((li) => ({
      label: li.querySelector(':scope > .tree-row > a')!.textContent!.trim(),
      arrow: li.querySelector(':scope > .tree-row > .twisty')!.textContent!.trim(),
      expanded: li.getAttribute('aria-expanded'),
    })));
    await shot(page, 'tree-leaves');
    const row = (label: string) => rows.find((r) => r.label === label);
    // Opened on the way down: arrows pointing down.
    expect(row('丰台区委')).toEqual({ label: '丰台区委', arrow: '▾', expanded: 'true' });
    expect(row('丰台区太平桥街道太南里社区党委')?.arrow).toBe('▾');
    // Not opened, with children below it (美域家园社区第二支部委员会 …): an arrow to open it.
    expect(row('中共丰台区卢沟桥街道工委')).toEqual({ label: '中共丰台区卢沟桥街道工委', arrow: '▸', expanded: 'false' });
    // The committee's branches hang no nodes: no arrow, and not announced as expandable.
    const branches = (await admin.get(`/api/tree/${committee.id}`)).body.children.map((c: any) => c.label);
    expect(branches.length).toBeGreaterThan(3);
    for (const b of branches) expect(row(b), b).toEqual({ label: b, arrow: '', expanded: null });
    expect(page.problems).toEqual([]);
    await page.close();
  });
});
