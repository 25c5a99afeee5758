import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import puppeteer, { type Browser, type BrowserContextOptions, type HTTPRequest, type Page } from 'puppeteer-core';
import { beforeAll, afterAll, onTestFailed, onTestFinished, vi } from 'vitest';
import { repoRoot } from '../helpers/paths.js';
import { startTestServer, type TestServer } from '../helpers/server.js';

export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
export const screenshotDir = join(repoRoot, 'test/screenshots');

/** Headless Chromium; a missing browser fails the test run loudly (never a silent skip). */
export async function launchBrowser(): Promise<Browser> {
  if (!existsSync(CHROMIUM)) throw new Error(`浏览器端到端测试需要 Chromium：未找到 ${CHROMIUM}（apt-get install chromium fonts-noto-cjk，或设置 CHROMIUM_PATH）`);
  mkdirSync(screenshotDir, { recursive: true });
  return puppeteer.launch({
    executablePath: CHROMIUM,
    headless: true,
    env: { ...process.env, LANG: 'zh_CN.UTF-8', LANGUAGE: 'zh_CN' },
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update',
      '--disable-sync', '--no-first-run', '--lang=zh-CN', '--font-render-hinting=none'],
  });
}

/** A test's page: what went wrong in it so far, and the API refusals the test provokes on purpose. */
export type E2EPage = Page & {
  problems: string[];
  /**
   * Declares an API refusal this test provokes on purpose (a wrong password, a stale version, a
   * field the server refuses): an answer of `status` to a request whose `METHOD /path?query`
   * matches `pattern`. Returns a function that withdraws the declaration.
   */
  expectApiFailure(pattern: RegExp, status: number): () => void;
};

/**
 * A page at 1280×800 in a browser context of its own (its own cookies, so each page is one
 * user's session) that records in `problems` console errors, uncaught exceptions, missing assets
 * and every API answer ≥ 400 the test did not declare with `expectApiFailure`. Inside a test, the
 * test fails at its end when `problems` is not empty: a request the page should not have made, or
 * an error nobody caught, is a bug even when the screen looks right afterwards.
 */
export async function newPage(browser: Browser, width = 1280, height = 800, contextOptions: BrowserContextOptions = {}): Promise<E2EPage> {
  const context = await browser.createBrowserContext(contextOptions);
  const page = (await context.newPage()) as E2EPage;
  page.once('close', () => { void context.close().catch(() => {}); });
  page.problems = [];
  const expected: { pattern: RegExp; status: number }[] = [];
  page.expectApiFailure = (pattern, status) => {
    const entry = { pattern, status };
    expected.push(entry);
    return () => { if (expected.includes(entry)) expected.splice(expected.indexOf(entry), 1); };
  };
  // A new page has no session: the app's question "whose session is this?" is answered 401 until
  // login() succeeds (a test that loses its session later on purpose declares it then).
  loggedOut.set(page, page.expectApiFailure(/^GET \/api\/me$/, 401));
  await page.setViewport({ width, height });
  page.on('pageerror', (e) => page.problems.push(`pageerror: ${(e as Error).message}`));
  page.on('console', (m) => { if (m.type() === 'error' && !/Failed to load resource/.test(m.text())) page.problems.push(`console: ${m.text()}`); });
  page.on('response', (r) => {
    if (r.status() < 400) return;
    const url = new URL(r.url());
    if (!url.pathname.startsWith('/api/')) { page.problems.push(`asset ${r.status()}: ${url.pathname}`); return; }
    const request = `${r.request().method()} ${url.pathname}${url.search}`;
    if (!expected.some((e) => e.status === r.status() && e.pattern.test(request))) page.problems.push(`api ${r.status()}: ${request}`);
  });
  try {
    onTestFinished(() => {
      if (page.problems.length) throw new Error(`the page had problems:\n${page.problems.join('\n')}`);
    });
  } catch {
    // Opened outside a test (a suite's setup): its problems are the caller's to check.
  }
  page.setDefaultTimeout(20_000); // a shared machine under load
  if (jitter > 0) await delayRequests(page, (r) => (new URL(r.url()).pathname.startsWith('/api/') ? Math.random() * jitter : 0));
  return page;
}

/** Per page, the withdrawal of its "no session yet" declaration, for login(). */
const loggedOut = new WeakMap<Page, () => void>();

/**
 * `E2E_JITTER=<ms>` holds every API request of the page for a random 0…ms before it goes out, so
 * answers arrive late and out of order as on a loaded machine. A test that waits for the wrong
 * thing then fails every few runs here instead of once in a while in CI.
 */
const jitter = Number(process.env.E2E_JITTER ?? 0);

/** Holds each request of the page back for `delayOf(request)` ms before it goes out. */
export async function delayRequests(page: Page, delayOf: (r: HTTPRequest) => number) {
  await page.setRequestInterception(true);
  page.on('request', (r) => {
    if (r.isInterceptResolutionHandled()) return;
    setTimeout(() => { void r.continue().catch(() => {}); }, delayOf(r));
  });
}

/** The server and browser an e2e file shares between its tests. */
export interface E2E {
  server: TestServer;
  browser: Browser;
}

/**
 * Registers an e2e file's hooks: the real server on a fresh SQLite file (the given app, demo data
 * loaded), one headless Chromium, an optional setup after both are up, and closing all of it.
 * Browser steps share the machine with other test files: timeouts allow for a slow moment.
 */
export function e2eSuite(opts: { app?: string; setup?: (env: E2E) => Promise<void>; teardown?: () => void; testTimeout?: number; setupTimeout?: number } = {}): E2E {
  vi.setConfig({ testTimeout: opts.testTimeout ?? 90_000, hookTimeout: 120_000 });
  const env = {} as E2E;
  beforeAll(async () => {
    env.server = await startTestServer(opts.app);
    env.browser = await launchBrowser();
    await opts.setup?.(env);
  }, opts.setupTimeout ?? 120_000);
  afterAll(async () => {
    await env.browser?.close();
    await env.server?.stop();
    opts.teardown?.();
  });
  return env;
}

/** A page for the running test; when the test fails its screen is saved as fail-<tag>-<time>.png. */
export async function openPage(browser: Browser, tag: string, width?: number, height?: number): Promise<E2EPage> {
  const page = await newPage(browser, width, height);
  onTestFailed(async () => { if (!page.isClosed()) await shot(page, `fail-${tag}-${Date.now()}`); });
  return page;
}

export async function shot(page: Page, name: string) {
  await page.screenshot({ path: join(screenshotDir, `${name}.png`) as `${string}.png`, fullPage: false });
}

/** Waits until the text appears somewhere in the page (light DOM throughout). */
export async function waitForText(page: Page, text: string, timeout = 10_000) {
  await page.waitForFunction((t) => document.body.innerText.includes(t), { timeout }, text);
}

let clickMark = 0;

/**
 * Clicks the first enabled element matching the selector whose text contains `text`. It is marked
 * and clicked through a puppeteer locator, which waits until it is visible, enabled and no longer
 * moving: content arriving late (a breadcrumb, a panel) shifts the page, and a click computed
 * before the shift lands beside the button.
 */
export async function clickText(page: Page, selector: string, text: string) {
  const mark = `c${++clickMark}`;
  await page.waitForFunction((s, t, m) => {
    const el = [...document.querySelectorAll(s)].find((e) => (e as HTMLElement).innerText.includes(t) && !(e as HTMLButtonElement).disabled);
    el?.setAttribute('data-e2e-click', m);
    return !!el;
  }, {}, selector, text, mark);
  try {
    await page.locator(`[data-e2e-click="${mark}"]`).click();
  } catch (e) {
    // Say what became of the element: gone (re-rendered), disabled, hidden or still moving.
    const state = await page.evaluate((m) => {
      const el = document.querySelector(`[data-e2e-click="${m}"]`) as HTMLButtonElement | null;
      if (!el) return 'no longer in the page';
      const r = el.getBoundingClientRect();
      return `disabled=${el.disabled} box=${Math.round(r.x)},${Math.round(r.y)},${Math.round(r.width)}x${Math.round(r.height)} viewport=${innerWidth}x${innerHeight}`;
    }, mark).catch((err) => String(err));
    throw new Error(`clicking ${selector} 「${text}」 failed (${state}): ${(e as Error).message}`);
  }
}

/** Logs in through the login page. */
export async function login(page: Page, base: string, username: string, password = 'caiji-demo') {
  await page.goto(`${base}/#/login`);
  await page.waitForSelector('#login-username');
  await page.type('#login-username', username);
  await page.type('#login-password', password);
  await Promise.all([page.waitForFunction(() => !location.hash.startsWith('#/login')), page.click('button[type=submit]')]);
  loggedOut.get(page)?.();
  loggedOut.delete(page);
}

/** The text of the error shown at a field (by property name). */
export async function fieldError(page: Page, field: string): Promise<string> {
  return page.$eval(`[data-field="${field}"] .field-error`, (e) => (e as HTMLElement).innerText.trim()).catch(() => '');
}
