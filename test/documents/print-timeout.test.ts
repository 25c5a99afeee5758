import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { htmlToPdf, closeBrowser } from '../../engine/documents/pdf.js';
import { DomainError } from '../../engine/errors.js';
import { pdfText, requireTools, squash } from './tools.js';

/**
 * A print that cannot finish fails within seconds with a Chinese message, the page pool gives
 * the stuck page up, and the next print works — through the real Chromium. The page is made to
 * hang by a request the print's asset server never answers.
 */
describe('a print that cannot finish', () => {
  const previous = process.env.CAIJI_PRINT_STEP_TIMEOUT_MS;
  beforeAll(() => {
    requireTools();
    process.env.CAIJI_PRINT_STEP_TIMEOUT_MS = '2000';
  });
  afterAll(async () => {
    if (previous === undefined) delete process.env.CAIJI_PRINT_STEP_TIMEOUT_MS;
    else process.env.CAIJI_PRINT_STEP_TIMEOUT_MS = previous;
    await closeBrowser();
  });

  const ORIGIN = 'http://print.caiji.invalid';
  /** An asset server that never answers: the page waits for it forever. */
  const never = () => new Promise<null>(() => undefined);

  const refused = async (html: string) => {
    const started = Date.now();
    const err = await htmlToPdf(html, never).then(() => null, (e) => e);
    return { err, seconds: (Date.now() - started) / 1000 };
  };

  it('a page whose stylesheet never arrives: 503 pdf_timeout in Chinese within seconds, then the next print works', async () => {
    const { err, seconds } = await refused(`<!doctype html><html><head><link rel="stylesheet" href="${ORIGIN}/hang.css"></head><body><p>卡住</p></body></html>`);
    expect(err).toBeInstanceOf(DomainError);
    expect(err).toMatchObject({ kind: 'unavailable', code: 'pdf_timeout' });
    expect(err.message).toBe('生成 PDF 超时：载入页面在 2 秒内未完成，请稍后重试；如仍失败请联系系统管理员');
    expect(seconds).toBeLessThan(10);
    const ok = await htmlToPdf('<!doctype html><html><body><p>下一份正常打印</p></body></html>');
    expect(squash(pdfText(ok))).toContain('下一份正常打印');
  });

  it('a body whose picture never arrives: the layout step gives up, and every page of the pool prints again', async () => {
    const { err } = await refused(`<!doctype html><html><head></head><body><img src="${ORIGIN}/hang.png"><p>卡住</p></body></html>`);
    expect(err).toMatchObject({ kind: 'unavailable', code: 'pdf_timeout' });
    expect(err.message).toContain('排版');
    // As many prints at once as the pool has pages, and more: none lands on a broken page.
    const texts = await Promise.all([1, 2, 3, 4].map(async (n) => squash(pdfText(await htmlToPdf(`<!doctype html><html><body><p>第${n}份</p></body></html>`)))));
    texts.forEach((t, i) => expect(t).toContain(`第${i + 1}份`));
  });
});
