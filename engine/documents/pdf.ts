import type { Page } from 'puppeteer-core';
import { withWarmPage, type AssetServer, type WarmPage } from './page-pool.js';
import { DomainError } from '../errors.js';
import { printStepTimeout } from './browser.js';

export { closeBrowser } from './browser.js';

/**
 * Run in the page with the body's HTML: parse it aside, load the declared web-font faces whose
 * unicode-range covers its text, only then put it in and lay it out, and wait for any font or
 * picture that layout still asked for. Fonts that arrive after the first layout (one by one,
 * through request interception) would each lay out every sheet again: for a long batch on a
 * fresh page that was most of the time.
 */
const FILL = `async (html) => {
  const parsed = document.createElement('template');
  parsed.innerHTML = html;
  const cps = [...new Set(Array.from(parsed.content.textContent, (ch) => ch.codePointAt(0)))].sort((a, b) => a - b);
  const anyIn = (from, to) => {
    let lo = 0, hi = cps.length;
    while (lo < hi) { const mid = (lo + hi) >> 1; if (cps[mid] < from) lo = mid + 1; else hi = mid; }
    return lo < cps.length && cps[lo] <= to;
  };
  const needed = (range) => range.split(',').some((part) => {
    const [from, to] = part.trim().slice(2).split('-');
    return anyIn(parseInt(from.replace(/[?]/g, '0'), 16), parseInt((to ?? from).replace(/[?]/g, 'f'), 16));
  });
  await Promise.all([...document.fonts].filter((f) => f.status === 'unloaded' && needed(f.unicodeRange)).map((f) => f.load().catch(() => undefined)));
  document.body.replaceChildren(parsed.content);
  document.body.offsetHeight;
  await Promise.all([...document.images].map((img) => img.decode().catch(() => undefined)));
  await document.fonts.ready;
}`;

/** A whole HTML document cut around its body's content: `head` + body + `tail` is the document again. */
export interface Framed { head: string; body: string; tail: string }

/** Cuts a document at its body's content; null when it has no <body>…</body>. */
export function splitBody(html: string): Framed | null {
  const open = html.search(/<body[\s>]/i);
  const start = open < 0 ? -1 : html.indexOf('>', open) + 1;
  const end = html.lastIndexOf('</body>');
  if (start <= 0 || end < start) return null;
  return { head: html.slice(0, start), body: html.slice(start, end), tail: html.slice(end) };
}

/**
 * `work` or, when it takes longer than the step's bound, 503 pdf_timeout in Chinese. The page is
 * then given up by the pool (withWarmPage closes a page whose work failed and opens a new one).
 */
export function bounded<T>(step: string, work: Promise<T>): Promise<T> {
  const ms = printStepTimeout();
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new DomainError('unavailable', 'pdf_timeout',
      `生成 PDF 超时：${step}在 ${Math.round(ms / 100) / 10} 秒内未完成，请稍后重试；如仍失败请联系系统管理员`)), ms);
  });
  work.catch(() => undefined); // the abandoned step fails later, when its page is closed
  return Promise.race([work, timeout]).finally(() => clearTimeout(timer));
}

/** Replaces the page's body content with `body` (fonts it needs loaded first: FILL). */
export const fillBody = (page: Page, body: string) => bounded('排版', page.evaluate(`(${FILL})(${JSON.stringify(body)})`));

/**
 * Puts `html` into the page. The rest of the document (head, styles, font declarations) is
 * loaded only when it differs from what the page holds, so the same template again (the usual
 * case) keeps its stylesheets parsed and its fonts decoded; the body is always filled by FILL.
 */
async function load(warm: WarmPage, html: string): Promise<void> {
  const framed = splitBody(html);
  if (!framed) {
    warm.frame = null;
    await bounded('载入页面', warm.page.setContent(html, { waitUntil: 'load', timeout: printStepTimeout() + 1000 }));
    await bounded('排版', warm.page.evaluate(`(${FILL})(document.body.innerHTML)`));
    return;
  }
  const frame = framed.head + framed.tail;
  if (frame !== warm.frame) {
    warm.frame = null;
    await bounded('载入页面', warm.page.setContent(frame, { waitUntil: 'load', timeout: printStepTimeout() + 1000 }));
    warm.frame = frame;
  }
  await fillBody(warm.page, framed.body);
}

/** Prints what the page shows (A4 unless the document's CSS @page says otherwise). */
export async function printPage(page: Page): Promise<Buffer> {
  // Untagged: the structure tree costs ~40 % of the print and quadruples the file, and
  // nothing reads it (text extraction works without it).
  const pdf = await bounded('打印', page.pdf({
    format: 'A4', printBackground: true, preferCSSPageSize: true, tagged: false, outline: false,
    waitForFonts: false, timeout: printStepTimeout() + 1000,
  }));
  return Buffer.from(pdf);
}

/**
 * Loads `html` into a warm page and runs `work` on it (measure, print). Scripts are off; the
 * only requests answered are `assets` (the document's fonts). Failures become 500 pdf_failed.
 */
export function onLoadedPage<T>(html: string, assets: AssetServer | null, work: (page: Page) => Promise<T>): Promise<T> {
  return withWarmPage(assets, async (warm) => {
    try {
      await load(warm, html);
      // Measuring and printing together (form-layer, overlay) are one step as a whole too.
      return await bounded('打印', work(warm.page));
    } catch (err) {
      if (err instanceof DomainError) throw err;
      throw new DomainError('internal', 'pdf_failed', `生成 PDF 失败：${(err as Error).message.split('\n')[0]}`);
    }
  });
}

/**
 * Prints a self-contained HTML document to PDF (A4 unless the document's CSS @page says
 * otherwise). Scripts are off; the only requests answered are `assets` (the document's fonts).
 */
export const htmlToPdf = (html: string, assets: AssetServer | null = null): Promise<Buffer> => onLoadedPage(html, assets, printPage);
