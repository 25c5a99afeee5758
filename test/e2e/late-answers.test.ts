/**
 * Answers that arrive late and out of order: the user has moved on to another node or record
 * before the first one's answer came. The page must show what the address names, never the
 * older answer that arrived last.
 */
import { describe, it, expect } from 'vitest';
import type { Page } from 'puppeteer-core';
import { nodeId } from '../helpers/demo.js';
import { login, e2eSuite, openPage, delayRequests } from './browser.js';

const env = e2eSuite();

/**
 * Holds back the answer to every GET whose path is exactly `path` for `ms`; others go at once.
 * Resolves `asked` when that request has gone out, so the test moves on only once it is in flight.
 */
async function holdBack(page: Page, path: string, ms: number) {
  let seen!: () => void;
  const asked = new Promise<void>((r) => { seen = r; });
  await delayRequests(page, (r) => {
    if (r.method() !== 'GET' || new URL(r.url()).pathname !== path) return 0;
    seen();
    return ms;
  });
  return { asked };
}

const h1 = (page: Page) => page.$eval('caiji-browse-page .panel.grow', (e) => (e as HTMLElement).innerText);
const fieldValue = (page: Page, field: string) => page.$eval(`[data-field="${field}"] input`, (i) => (i as HTMLInputElement).value);

describe('late answers', () => {
  it('the organization page shows the node last chosen, though the first one answers last', async () => {
    const admin = await env.server.login('ft_admin');
    const [first, second] = [await nodeId(admin, '组织部党委'), await nodeId(admin, '演示支部乙')];
    const page = await openPage(env.browser, 'late-node');
    await login(page, env.server.url, 'ft_admin');
    const { asked } = await holdBack(page, `/api/tree/${first}`, 1500);
    await page.goto(`${env.server.url}/#/browse/${first}`);
    await asked;
    await page.goto(`${env.server.url}/#/browse/${second}`);
    await page.waitForFunction(() => document.querySelector('caiji-browse-page .panel.grow')?.textContent?.includes('：演示支部乙'));
    // Let the held-back answer for the first node arrive, then look again.
    await page.waitForNetworkIdle({ idleTime: 300 });
    expect(await h1(page)).toContain('：演示支部乙');
    expect(await h1(page)).not.toContain('：组织部党委');
    expect(page.problems).toEqual([]);
    await page.close();
  });

  it('the record page shows the record last opened, though the first one answers last', async () => {
    const admin = await env.server.login('ft_admin');
    const list = async (name: string) => (await admin.get(`/api/records/member?q=${encodeURIComponent(name)}`)).body.items[0].id as string;
    const [first, second] = [await list('演示九'), await list('芦会倩')];
    const page = await openPage(env.browser, 'late-record');
    await login(page, env.server.url, 'ft_admin');
    const { asked } = await holdBack(page, `/api/records/member/${first}`, 1500);
    await page.goto(`${env.server.url}/#/record/member/${first}`);
    await asked;
    await page.goto(`${env.server.url}/#/record/member/${second}`);
    await page.waitForFunction(() => (document.querySelector('[data-field="name"] input') as HTMLInputElement | null)?.value === '芦会倩');
    await page.waitForNetworkIdle({ idleTime: 300 });
    expect(await fieldValue(page, 'name')).toBe('芦会倩');
    expect(page.problems).toEqual([]);
    await page.close();
  });

  it('a request that a newer one overtook is cancelled, not only ignored', async () => {
    const admin = await env.server.login('ft_admin');
    const [first, second] = [await nodeId(admin, '组织部党委'), await nodeId(admin, '演示支部乙')];
    const page = await openPage(env.browser, 'late-cancel');
    await login(page, env.server.url, 'ft_admin');
    const firstPath = `/api/tree/${first}`;
    const cancelled: string[] = [];
    page.on('requestfailed', (r) => { if (new URL(r.url()).pathname === firstPath) cancelled.push(r.failure()?.errorText ?? ''); });
    const { asked } = await holdBack(page, firstPath, 1500);
    await page.goto(`${env.server.url}/#/browse/${first}`);
    await asked;
    await page.goto(`${env.server.url}/#/browse/${second}`);
    await page.waitForFunction(() => document.querySelector('caiji-browse-page .panel.grow')?.textContent?.includes('：演示支部乙'));
    await page.waitForNetworkIdle({ idleTime: 300 });
    expect(cancelled).toEqual(['net::ERR_ABORTED']);
    expect(await h1(page)).toContain('：演示支部乙');
    expect(page.problems).toEqual([]);
    await page.close();
  });
});
