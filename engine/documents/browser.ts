import type { Browser } from 'puppeteer-core';
import { loadPuppeteer } from '../lazy-modules.js';
import { findChromium, noBrowser } from './chromium.js';

const ARGS = [
  '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update',
  '--disable-sync', '--no-first-run', '--headless', '--disable-dev-shm-usage', '--font-render-hinting=none',
];

let browser: Promise<Browser> | null = null;

/** The one browser shared by every print, started on first use and again after a crash. */
export function sharedBrowser(): Promise<Browser> {
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
