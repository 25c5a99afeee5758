/**
 * Answers arriving late do not move what a person is about to click. For each place that loads
 * something of its own after the rest is shown — the browse page's node table (the units each
 * node sits in), the organization page's units panel above the grants panel, and the 所属党组织
 * path in the linking dialog — the late answer is held in the browser (CDP Fetch), the box of the
 * element a person would click is taken, the answer is released and rendered, and the box is
 * the same.
 */
import { describe, it, expect } from 'vitest';
import type { CDPSession } from 'puppeteer-core';
import { login, shot, waitForText, clickText, e2eSuite, openPage, type E2EPage } from './browser.js';

const env = e2eSuite();
type Box = { x: number; y: number; width: number; height: number };

/** Holds in the browser every API answer whose URL matches `urlPattern` until `release()`. */
async function holdAnswers(page: E2EPage, urlPattern: string) {
  const cdp: CDPSession = await page.createCDPSession();
  const held: string[] = [];
  let holding = true;
  cdp.on('Fetch.requestPaused', (e: { requestId: string }) => {
    if (holding) held.push(e.requestId);
    else void cdp.send('Fetch.continueRequest', { requestId: e.requestId }).catch(() => undefined);
  });
  await cdp.send('Fetch.enable', { patterns: [{ urlPattern, requestStage: 'Response' }] });
  return {
    held,
    /** Waits until at least one answer is held (the request is out and answered, not yet delivered). */
    async untilHeld() {
      for (let i = 0; i < 200 && !held.length; i++) await new Promise((r) => setTimeout(r, 100));
      if (!held.length) throw new Error(`no answer to ${urlPattern} was held`);
    },
    async release() {
      holding = false;
      for (const requestId of held.splice(0)) await cdp.send('Fetch.continueRequest', { requestId });
      await cdp.send('Fetch.disable');
    },
  };
}

/** The element's box in the viewport, or null when it is not in the page. */
const boxOf = (page: E2EPage, selector: string) => page.evaluate((s) => {
  const el = document.querySelector(s);
  if (!el) return null;
  const r = el.getBoundingClientRect();
  return { x: r.x, y: r.y, width: r.width, height: r.height };
}, selector) as Promise<Box | null>;

/**
 * The element's box once it has stood still for a moment: other things on the page (not under
 * test here) may still be arriving; only the held answer is to move nothing.
 */
async function stillBox(page: E2EPage, selector: string): Promise<Box | null> {
  let last = await boxOf(page, selector);
  for (let i = 0; i < 50; i++) {
    await settle(page);
    const now = await boxOf(page, selector);
    if (JSON.stringify(now) === JSON.stringify(last)) return now;
    last = now;
  }
  throw new Error(`${selector} never stood still`);
}

/** Lets the page render what it has: a short pause and two frames. */
async function settle(page: E2EPage) {
  await new Promise((r) => setTimeout(r, 300));
  await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
}

async function idOf(collection: string, q: string): Promise<string> {
  const admin = await env.server.login('ft_admin');
  return (await admin.get(`/api/records/${collection}?q=${encodeURIComponent(q)}`)).body.items[0].id;
}

describe('late answers do not move what is about to be clicked', () => {
  it('the browse table: a node link shown keeps its place when the 所在单位 column arrives, and opens its node', async () => {
    const page = await openPage(env.browser, 'no-shift-table');
    await login(page, env.server.url, 'tnl_admin');
    const hold = await holdAnswers(page, '*/api/records/unit?*');
    await page.goto(`${env.server.url}/#/browse`);
    await waitForText(page, '当前党组织');
    // The table's requests for the units are out and held.
    await hold.untilHeld();
    const link = 'caiji-node-table tbody th a';
    const before = await stillBox(page, link);
    await hold.release();
    await page.waitForFunction(() => document.querySelector('caiji-node-table tbody')?.textContent?.includes('北京市丰台区太平桥街道太南里社区居民委员会'));
    await settle(page);
    const after = await boxOf(page, link);
    expect(after).not.toBeNull();
    // A link that was shown before the column arrived is where it was (or none was shown yet).
    if (before) expect(after).toEqual(before);
    await shot(page, 'no-shift-node-table');
    // Shown, it is clickable: a click at its place opens its node.
    const name = await page.$eval(link, (a) => a.textContent!.trim());
    // Aimed at the middle of its first line (a wrapped link's box holds the gap between its lines).
    const line = await page.$eval(link, (a) => { const r = a.getClientRects()[0]; return { x: r.x + r.width / 2, y: r.y + r.height / 2 }; });
    await page.mouse.click(line.x, line.y);
    await page.waitForFunction(() => location.hash.startsWith('#/record/organization/'));
    await page.waitForFunction((n) => document.querySelector('caiji-breadcrumb')?.textContent?.includes(n), {}, name);
    expect(page.problems).toEqual([]);
    await page.close();
  });

  it('授予 keeps its place when the units panel above it arrives', async () => {
    const org = await idOf('organization', '太南里社区非公联合党支部');
    const page = await openPage(env.browser, 'no-shift-grant');
    await login(page, env.server.url, 'tnl_admin');
    const hold = await holdAnswers(page, '*/api/records/unit?*');
    await page.goto(`${env.server.url}/#/record/organization/${org}`);
    const grant = 'caiji-grants-panel .grant-form button[type=submit]';
    await page.waitForSelector(grant);
    await hold.untilHeld();
    const before = await stillBox(page, grant);
    await hold.release();
    await page.waitForSelector('caiji-attached-records tbody tr th a');
    await settle(page);
    expect(await boxOf(page, grant)).toEqual(before);
    await page.$eval('caiji-attached-records', (e) => e.scrollIntoView());
    await shot(page, 'no-shift-grant');
    expect(page.problems).toEqual([]);
    await page.close();
  });

  it('the linking dialog: 选择… and the first field keep their place when the 所属党组织 path arrives', async () => {
    const org = await idOf('organization', '太南里社区非公联合党支部');
    const page = await openPage(env.browser, 'no-shift-dialog');
    await login(page, env.server.url, 'lianhe_admin');
    await page.goto(`${env.server.url}/#/record/organization/${org}`);
    await page.waitForSelector('caiji-attached-records tbody tr th a');
    const hold = await holdAnswers(page, '*/api/tree/*/path*');
    await clickText(page, 'caiji-action-bar button', '关联单位');
    const pick = 'dialog[open] caiji-node-picker button';
    const first = 'dialog[open] [data-field="creditCode"] input';
    await page.waitForSelector(first);
    await page.waitForSelector(pick);
    await hold.untilHeld();
    const before = [await stillBox(page, pick), await stillBox(page, first)];
    expect(await page.$eval('dialog[open] .node-path', (p) => p.textContent)).toBe('…');
    await hold.release();
    await page.waitForFunction(() => document.querySelector('dialog[open] .node-path')?.textContent?.endsWith('太南里社区非公联合党支部'));
    await settle(page);
    expect([await boxOf(page, pick), await boxOf(page, first)]).toEqual(before);
    await shot(page, 'no-shift-dialog');
    expect(page.problems).toEqual([]);
    await page.close();
  });
});
