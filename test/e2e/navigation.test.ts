/**
 * Pages are elements Lit reuses: going from one record's page to another by the hash must not let
 * any panel of the new page ask the server about the previous page's record (issue 20, point 7:
 * an organization page opened straight after a member page asked for grants, members and units of
 * `node=<the member's id>`, got three 404s and threw an uncaught 「党组织不存在或无权访问」).
 */
import { describe, it, expect } from 'vitest';
import { login, e2eSuite, openPage, shot } from './browser.js';

const env = e2eSuite();

describe('navigating between record pages', () => {
  it('member page → organization page by hash: no request with the member id, no failure, no page error', async () => {
    const admin = await env.server.login('lianhe_admin');
    const org = (await admin.get(`/api/records/organization?q=${encodeURIComponent('太南里社区非公联合党支部')}`)).body.items[0];
    const member = (await admin.get(`/api/records/member?node=${org.id}&limit=1`)).body.items[0];
    expect(org?.id && member?.id).toBeTruthy();

    const page = await openPage(env.browser, 'navigation');
    await login(page, env.server.url, 'lianhe_admin');
    await page.evaluate((id) => { location.hash = `#/record/member/${id}`; }, member.id);
    await page.waitForSelector('caiji-history .timeline > li');

    // From here on, every API request the page makes, and every refusal.
    const requests: string[] = [];
    page.on('request', (r) => { if (new URL(r.url()).pathname.startsWith('/api/')) requests.push(`${r.method()} ${r.url()}`); });
    await page.evaluate((id) => { location.hash = `#/record/organization/${id}`; }, org.id);
    // The organization page, whole: its units, its grants, its history.
    await page.waitForFunction(() => document.querySelectorAll('caiji-attached-records tbody tr').length > 0
      && !!document.querySelector('caiji-grants-panel .data-table') && !!document.querySelector('caiji-history .timeline > li'));
    await page.waitForNetworkIdle({ idleTime: 300 });
    await shot(page, 'navigation-member-to-org');

    expect(requests.length).toBeGreaterThan(0);
    expect(requests.filter((r) => r.includes(member.id))).toEqual([]);
    expect(requests.filter((r) => r.includes(`/api/grants?node=${org.id}`))).toHaveLength(1);
    expect(page.problems).toEqual([]);
    await page.close();
  });
});
