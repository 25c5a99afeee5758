import { Hono, type Context } from 'hono';
import { jsonBody } from '../body.js';
import { badRequest } from '../errors.js';
import { documentConfig, requireFormat } from '../../documents/config.js';
import { parseDocumentFile, renderBatchPdf, renderRecordDocument, type RenderedDocument } from '../../documents/render.js';
import { checkPrintable, selectRecords, type BatchSelection } from '../../documents/select.js';
import { startJob, describeJob } from '../../jobs/jobs.js';

/** Most records a batch may print while the request waits; larger ones go through ?async=1. */
export const MAX_SYNC_BATCH = 500;

/** Content-Disposition with the UTF-8 file name (RFC 6266 / 5987) and an ASCII fallback. */
export function disposition(filename: string, inline: boolean): string {
  const ascii = filename.replace(/[^\x20-\x7e]/g, '_').replace(/["\\]/g, '_');
  return `${inline ? 'inline' : 'attachment'}; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(filename)}`;
}

/** Sends a produced file; `?download=1` turns an inline preview into a download. */
export function sendDocument(c: Context, doc: RenderedDocument) {
  const inline = doc.inline && c.req.query('download') !== '1';
  c.header('Content-Type', doc.contentType);
  c.header('Content-Disposition', disposition(doc.filename, inline));
  c.header('Cache-Control', 'no-store');
  return c.body(typeof doc.body === 'string' ? doc.body : new Uint8Array(doc.body));
}

/**
 * /api/records/:collection/:id/documents/:name.(html|pdf|xlsx) — one record's document;
 * POST /api/records/:collection/documents/:name — a batch as one PDF ({ids} or {node, deep});
 * with ?async=1 it answers 202 {jobId} at once and the PDF is fetched from /api/jobs/:id/result.
 */
export function documentsRoutes() {
  const app = new Hono();

  app.get('/:collection/:id/documents/:file', async (c) => {
    const doc = await renderRecordDocument(c.get('engine'), c.get('user')!, c.req.param('collection'), c.req.param('id'), c.req.param('file'));
    return sendDocument(c, doc);
  });

  app.post('/:collection/documents/:file', async (c) => {
    const engine = c.get('engine');
    const user = c.get('user')!;
    const { name, format } = parseDocumentFile(c.req.param('file').includes('.') ? c.req.param('file') : `${c.req.param('file')}.pdf`);
    const col = engine.runtime.collection(c.req.param('collection'));
    const doc = documentConfig(col, name);
    if (requireFormat(doc, format) !== 'pdf') throw badRequest('批量打印只支持 PDF');
    const body = await jsonBody<BatchSelection>(c);
    const records = await selectRecords(engine, user, col, body);
    checkPrintable(engine.runtime, col, doc, records);
    const filename = `${doc.title}-${records.length}份.pdf`;
    const async = c.req.query('async') === '1' || c.req.query('async') === 'true';
    if (async) {
      const job = await startJob(engine.storage, user.userId, 'print', async (report) => ({
        body: await renderBatchPdf(engine, user, col, doc, records, report), contentType: 'application/pdf', filename,
      }), { total: records.length, maxRunning: 3 });
      return c.json({ jobId: job.id, ...describeJob(job) }, 202);
    }
    if (records.length > MAX_SYNC_BATCH) throw badRequest(`超过 ${MAX_SYNC_BATCH} 条的批量打印请使用异步任务（?async=1）`);
    const pdf = await renderBatchPdf(engine, user, col, doc, records);
    return sendDocument(c, { body: pdf, contentType: 'application/pdf', filename, inline: false });
  });

  return app;
}
