import { Hono, type Context } from 'hono';
import { requireUser } from '../middleware/session.js';
import { jsonBody } from '../body.js';
import { badRequest } from '../errors.js';
import { importTemplate, exportRecords, runPreview, runCommit, errorsWorkbook } from '../../import/index.js';
import { startJob, getJob, describeJob } from '../../jobs/jobs.js';

const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
const attachment = (name: string) => `attachment; filename="import.xlsx"; filename*=UTF-8''${encodeURIComponent(name)}`;

/** The uploaded file: a multipart field (any name) or the raw request body. */
async function upload(c: Context): Promise<{ buf: Buffer; filename?: string; contentType?: string }> {
  const type = c.req.header('content-type') ?? '';
  if (/^multipart\/form-data/i.test(type)) {
    const body = await c.req.parseBody();
    const file = Object.values(body).find((v): v is File => typeof v === 'object' && v !== null && 'arrayBuffer' in v);
    if (!file) throw badRequest('请选择要上传的文件');
    return { buf: Buffer.from(await file.arrayBuffer()), filename: file.name, contentType: file.type };
  }
  const name = c.req.query('filename') ?? c.req.header('x-filename');
  return { buf: Buffer.from(await c.req.arrayBuffer()), filename: name ? decodeURIComponent(name) : undefined, contentType: type };
}

/**
 * /api/import — 批量维护: the template of a collection, preview of an upload, commit, the import
 * log, the error workbook of an upload, and the progress of a large file (?async=1 → 202 + job).
 */
export function importRoutes() {
  const app = new Hono();
  app.use('*', requireUser);

  app.get('/jobs/:job', async (c) => c.json(describeJob(await getJob(c.get('engine').storage, c.req.param('job'), c.get('user')!.userId))));

  app.get('/:collection/template.xlsx', async (c) => {
    const engine = c.get('engine');
    const col = engine.runtime.collection(c.req.param('collection'));
    const buf = await importTemplate(engine, c.get('user')!, col.name);
    return c.body(new Uint8Array(buf), 200, { 'content-type': XLSX, 'content-disposition': attachment(`${col.title}导入模板.xlsx`) });
  });

  // The records a list shows (same node, deep, state, q), as a filled-in template to edit and upload.
  app.get('/:collection/export.xlsx', async (c) => {
    const engine = c.get('engine');
    const col = engine.runtime.collection(c.req.param('collection'));
    const q = c.req.query();
    if (q.deep !== undefined && !['0', '1', 'true', 'false'].includes(q.deep)) throw badRequest('deep 应为 0 或 1');
    const buf = await exportRecords(engine, c.get('user')!, col.name, { node: q.node, deep: q.deep === '1' || q.deep === 'true', state: q.state, q: q.q });
    const node = q.node ? await engine.storage.records.get(engine.storage.db, q.node) : undefined;
    const where = node ? String(node.data[engine.runtime.config.tree.labelField] ?? '') : '';
    return c.body(new Uint8Array(buf), 200, { 'content-type': XLSX, 'content-disposition': attachment(`${col.title}${where ? `-${where}` : ''}.xlsx`) });
  });

  app.post('/:collection/preview', async (c) => {
    const engine = c.get('engine');
    const user = c.get('user')!;
    const collection = c.req.param('collection');
    engine.runtime.collection(collection);
    const file = await upload(c);
    const meta = { filename: file.filename, contentType: file.contentType };
    if (c.req.query('async') === '1') {
      const job = await startJob(engine.storage, user.userId, 'preview', (report) => runPreview(engine, user, collection, file.buf, meta, report), { failure: '导入任务失败，请稍后重试' });
      return c.json(describeJob(job), 202);
    }
    return c.json(await runPreview(engine, user, collection, file.buf, meta));
  });

  app.post('/:collection/commit', async (c) => {
    const engine = c.get('engine');
    const user = c.get('user')!;
    engine.runtime.collection(c.req.param('collection'));
    const body = await jsonBody<{ previewId?: unknown }>(c);
    if (typeof body?.previewId !== 'string') throw badRequest('请求体应为 {"previewId": "…"}');
    const previewId = body.previewId;
    if (c.req.query('async') === '1') {
      const job = await startJob(engine.storage, user.userId, 'commit', (report) => runCommit(engine, user, previewId, report), { failure: '导入任务失败，请稍后重试' });
      return c.json(describeJob(job), 202);
    }
    return c.json(await runCommit(engine, user, previewId));
  });

  app.get('/:collection/log', async (c) => {
    const engine = c.get('engine');
    const col = engine.runtime.collection(c.req.param('collection'));
    return c.json({ items: await engine.storage.importLog.list(engine.storage.db, col.name, c.get('user')!.username) });
  });

  app.get('/:id/errors.xlsx', async (c) => {
    const buf = await errorsWorkbook(c.get('engine'), c.get('user')!, c.req.param('id'));
    return c.body(new Uint8Array(buf), 200, { 'content-type': XLSX, 'content-disposition': attachment('导入错误.xlsx') });
  });

  return app;
}
