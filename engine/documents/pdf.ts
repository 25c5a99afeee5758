import type { Browser } from 'puppeteer-core';
import { loadPuppeteer } from '../lazy-modules.js';
import { findChromium, noBrowser } from './chromium.js';
import { HttpError } from '../http/errors.js';

const ARGS = [
  '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update',
  '--disable-sync', '--no-first-run', '--headless', '--disable-dev-shm-usage', '--font-render-hinting=none',
];

let browser: Promise<Browser> | null = null;
const MAX_PAGES = 2;
let open = 0;
const waiting: (() => void)[] = [];

/** The one browser shared by every request, started on first use and again after a crash. */
function sharedBrowser(): Promise<Browser> {
  if (!browser) {
    const executablePath = findChromium();
    const launching = loadPuppeteer().then((puppeteer) => puppeteer.launch({ executablePath, args: ARGS, headless: true, pipe: true }))
      .then((b) => {
        b.on('disconnected', () => { if (browser === launching) browser = null; });
        return b;
      })
      .catch((err: Error) => {
        browser = null;
        throw noBrowser(`浏览器 ${executablePath} 无法启动（${err.message.split('\n')[0]}）`);
      });
    browser = launching;
  }
  return browser;
}

async function slot<T>(work: () => Promise<T>): Promise<T> {
  if (open >= MAX_PAGES) await new Promise<void>((resolve) => waiting.push(resolve));
  open++;
  try {
    return await work();
  } finally {
    open--;
    waiting.shift()?.();
  }
}

/**
 * Prints a self-contained HTML document to PDF (A4 unless the document's CSS @page says otherwise).
 * Scripts are off and every network request is refused: a template renders from local data only.
 */
export function htmlToPdf(html: string): Promise<Buffer> {
  return slot(async () => {
    const b = await sharedBrowser();
    const page = await b.newPage();
    try {
      await page.setJavaScriptEnabled(false);
      await page.setRequestInterception(true);
      page.on('request', (req) => {
        if (req.url().startsWith('data:') || req.url() === 'about:blank') void req.continue();
        else void req.abort();
      });
      await page.setContent(html, { waitUntil: 'load', timeout: 60_000 });
      const pdf = await page.pdf({ format: 'A4', printBackground: true, preferCSSPageSize: true, timeout: 300_000 });
      return Buffer.from(pdf);
    } catch (err) {
      if (err instanceof HttpError) throw err;
      throw new HttpError(500, 'pdf_failed', `生成 PDF 失败：${(err as Error).message.split('\n')[0]}`);
    } finally {
      await page.close().catch(() => undefined);
    }
  });
}

/** Closes the shared browser (server shutdown, tests). Safe to call when none was started. */
export async function closeBrowser(): Promise<void> {
  const current = browser;
  browser = null;
  if (!current) return;
  try {
    await (await current).close();
  } catch {
    // never started, or already gone
  }
}
