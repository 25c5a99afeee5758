import { Hono, type Context } from 'hono';
import { requireConfigAdmin } from './codes-admin.js';
import { sendDocument } from './documents.js';
import { draftRuntime, engineWithRuntime } from '../../config-versions/draft-runtime.js';
import { renderRecordDocument } from '../../documents/render.js';
import { workbookGrid } from '../../documents/xlsx-grid.js';

/** The engine with the open draft's config: documents render from the draft's templates. */
async function draftEngine(c: Context) {
  requireConfigAdmin(c);
  const engine = c.get('engine');
  return engineWithRuntime(engine, (await draftRuntime(engine, '打印预览')).runtime);
}

/**
 * /api/config/draft/documents/:collection/:id/:name.(html|pdf|xlsx) — a record's document as the
 * open draft prints it (the same rendering as /api/records/…/documents, with the draft's
 * templates, layouts and config), and …/:name/table — an xlsx document read back as tables for
 * an HTML preview. The record is read with the config admin's own read grant. Config admins only.
 */
export function draftDocumentRoutes() {
  const app = new Hono();

  app.get('/:collection/:id/:file', async (c) => {
    const doc = await renderRecordDocument(await draftEngine(c), c.get('user')!, c.req.param('collection'), c.req.param('id'), c.req.param('file'));
    return sendDocument(c, doc);
  });

  app.get('/:collection/:id/:name/table', async (c) => {
    const doc = await renderRecordDocument(await draftEngine(c), c.get('user')!, c.req.param('collection'), c.req.param('id'), `${c.req.param('name')}.xlsx`);
    return c.json({ filename: doc.filename, sheets: await workbookGrid(doc.body as Buffer) });
  });

  return app;
}
