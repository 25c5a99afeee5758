import type { Browser } from 'puppeteer-core';
import { loadPuppeteer } from '../lazy-modules.js';
import { findChromium, noBrowser } from './chromium.js';

/**
 * --single-process: Chromium otherwise starts a new "print compositor" process for every PDF
 * and ships the whole recording (fonts included) to it, about half of a one-sheet print. In one
 * process the renderer is a thread, which is why the pool runs one browser per page: two pages of
 * one such browser would share that thread. Templates are config and run without scripts.
 */
const ARGS = [
  '--single-process', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update',
  '--disable-sync', '--no-first-run', '--headless', '--disable-dev-shm-usage', '--font-render-hinting=none',
];

const running = new Set<Promise<Browser>>();

/**
 * How long one step of a print (loading the page, filling and laying out its body, printing) may
 * take, in ms (CAIJI_PRINT_STEP_TIMEOUT_MS, default 30 s; a 1 000-sheet chunk takes a few). Without
 * a bound of its own a step that cannot finish — a request the page waits for that is never
 * answered, a renderer that stopped — held the request until puppeteer's protocol timeout (180 s)
 * and then answered 500 "Page.printToPDF timed out" (pdf.ts `bounded`).
 */
export const printStepTimeout = () => Number(process.env.CAIJI_PRINT_STEP_TIMEOUT_MS) || 30_000;

/** Starts a browser for one warm page; 503 with what to install when there is none. */
export function launchBrowser(): Promise<Browser> {
  const executablePath = findChromium();
  const launching = loadPuppeteer()
    .then((puppeteer) => puppeteer.launch({ executablePath, args: ARGS, headless: true, pipe: true, protocolTimeout: 2 * printStepTimeout() }))
    .catch((err: Error) => {
      throw noBrowser(`浏览器 ${executablePath} 无法启动（${err.message.split('\n')[0]}）`);
    });
  running.add(launching);
  launching.then((b) => b.on('disconnected', () => running.delete(launching)), () => running.delete(launching));
  return launching;
}

/** Closes every browser (server shutdown, tests). Safe to call when none was started. */
export async function closeBrowser(): Promise<void> {
  const all = [...running];
  running.clear();
  await Promise.all(all.map(async (launching) => {
    try {
      await (await launching).close();
    } catch {
      // never started, or already gone
    }
  }));
}
