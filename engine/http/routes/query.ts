import { Hono } from 'hono';
import type { Context } from 'hono';
import { jsonBody } from '../body.js';
import { badRequest } from '../errors.js';
import { sendDocument } from './documents.js';
import { prepareQuery, runQuery, countQuery } from '../../query/service.js';
import { queryFields } from '../../query/fields.js';
import { OPERATORS } from '../../query/conditions.js';
import { queryWorkbook } from '../../query/workbook.js';
import { listSaved, saveQuery, deleteSaved } from '../../query/saved.js';

export const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

/** A download is a plain GET (a link the browser saves): its spec travels as ?spec=<JSON>. */
export function specParam(c: Context): unknown {
  const raw = c.req.query('spec');
  if (!raw || raw.length > 16_000) throw badRequest('缺少 spec 参数或其过长');
  try {
    return JSON.parse(raw);
  } catch {
    throw badRequest('spec 参数不是有效的 JSON');
  }
}

/** /api/query — the query builder: fields, a page of results, their count, the export, saved queries. */
export function queryRoutes() {
  const app = new Hono();

  app.get('/saved/:collection', async (c) => c.json({ items: await listSaved(c.get('engine'), c.get('user')!, c.req.param('collection')) }));
  app.post('/saved/:collection', async (c) => {
    const id = await saveQuery(c.get('engine'), c.get('user')!, c.req.param('collection'), await jsonBody(c));
    return c.json({ id }, 201);
  });
  app.delete('/saved/:collection/:id', async (c) => {
    await deleteSaved(c.get('engine'), c.get('user')!, c.req.param('id'));
    return c.body(null, 204);
  });

  // What can be asked of a collection: its fields by title, their kinds and codes, the operators.
  app.get('/:collection/fields', (c) => {
    const col = c.get('engine').runtime.collection(c.req.param('collection'));
    return c.json({
      collection: col.name, title: col.title, listColumns: col.listColumns ?? [],
      fields: queryFields(col),
      operators: Object.entries(OPERATORS).map(([op, o]) => ({ op, title: o.title, kinds: o.kinds, ...(o.bands ? { bands: o.bands } : {}) })),
    });
  });

  app.post('/:collection', async (c) => {
    const engine = c.get('engine');
    const prepared = await prepareQuery(engine, c.get('user')!, c.req.param('collection'), await jsonBody(c));
    return c.json(await runQuery(engine, prepared));
  });

  app.post('/:collection/count', async (c) => {
    const engine = c.get('engine');
    const prepared = await prepareQuery(engine, c.get('user')!, c.req.param('collection'), await jsonBody(c));
    return c.json({ total: await countQuery(engine, prepared) });
  });

  app.get('/:collection/export.xlsx', async (c) => {
    const engine = c.get('engine');
    const prepared = await prepareQuery(engine, c.get('user')!, c.req.param('collection'), specParam(c));
    const body = await queryWorkbook(engine, prepared);
    return sendDocument(c, { body, contentType: XLSX, filename: `${prepared.collection.title}查询结果.xlsx`, inline: false });
  });

  return app;
}
