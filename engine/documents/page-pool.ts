import { availableParallelism } from 'node:os';
import type { Browser, HTTPRequest, Page } from 'puppeteer-core';
import { launchBrowser } from './browser.js';
import type { Asset } from './assets.js';

/** Answers a page's requests during one print: the asset a URL names, or null to refuse it. */
export type AssetServer = (url: string) => Promise<Asset | null>;

/** A browser page kept open between prints, so the next print finds its fonts decoded; one browser each (browser.ts). */
export interface WarmPage {
  page: Page;
  browser: Browser;
  /** The loaded HTML without its body's content; the print pipeline (pdf.ts) keeps it. */
  frame: string | null;
  prints: number;
  assets: AssetServer | null;
}

/** Pages printing at once: Chromium lays out and paints a page on one thread, so one per core (at most two). */
export const PAGES = Math.max(1, Math.min(2, availableParallelism()));
/** A page and its browser are closed after this many prints: whatever a long-lived renderer gathers is let go. */
const RECYCLE_AFTER = 200;

const idle: WarmPage[] = [];
let busy = 0;
const waiting: (() => void)[] = [];

async function answer(warm: WarmPage, req: HTTPRequest): Promise<void> {
  const url = req.url();
  try {
    if (url === 'about:blank' || url.startsWith('data:')) return await req.continue();
    const asset = await warm.assets?.(url).catch(() => null);
    if (!asset) return await req.abort();
    // The origin is made up: without this header Chromium drops a font silently.
    await req.respond({ status: 200, contentType: asset.type, headers: { 'access-control-allow-origin': '*' }, body: asset.body });
  } catch {
    // the page was closed meanwhile
  }
}

/** Closes a page's browser; one that does not close (a stuck renderer) is killed after a few seconds. */
function retire(warm: WarmPage): void {
  const proc = warm.browser.process();
  const kill = setTimeout(() => proc?.kill('SIGKILL'), 5_000);
  kill.unref();
  void warm.browser.close().catch(() => undefined).finally(() => clearTimeout(kill));
}

/** A new browser and its page: scripts off, print media, no request leaves it but to the current print's assets. */
async function openPage(): Promise<WarmPage> {
  const browser = await launchBrowser();
  try {
    const page = (await browser.pages())[0] ?? await browser.newPage();
    const warm: WarmPage = { page, browser, frame: null, prints: 0, assets: null };
    await page.setJavaScriptEnabled(false);
    // The screen layout is then the printed one, and printing does not restyle and lay out every sheet again.
    await page.emulateMediaType('print');
    await page.setRequestInterception(true);
    page.on('request', (req) => void answer(warm, req));
    return warm;
  } catch (err) {
    await browser.close().catch(() => undefined);
    throw err;
  }
}

/** An idle page whose browser is still there (closeBrowser, a crash), or a new one. */
async function take(): Promise<WarmPage> {
  for (let w = idle.pop(); w; w = idle.pop()) {
    if (w.browser.connected && !w.page.isClosed()) return w;
    retire(w);
  }
  return openPage();
}

/**
 * Runs `work` on a warm page with `assets` answering its requests; at most PAGES at once, the
 * rest wait. A page whose work failed is closed with its browser rather than reused (its state
 * is unknown).
 */
export async function withWarmPage<T>(assets: AssetServer | null, work: (page: WarmPage) => Promise<T>): Promise<T> {
  if (busy >= PAGES) await new Promise<void>((resolve) => waiting.push(resolve));
  busy++;
  let warm: WarmPage | undefined;
  let reusable = false;
  try {
    warm = await take();
    warm.assets = assets;
    const out = await work(warm);
    reusable = true;
    return out;
  } finally {
    if (warm) {
      warm.assets = null;
      if (reusable && ++warm.prints < RECYCLE_AFTER && warm.browser.connected) idle.push(warm);
      else retire(warm);
    }
    busy--;
    waiting.shift()?.();
  }
}
