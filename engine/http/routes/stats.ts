import { Hono } from 'hono';
import { jsonBody } from '../body.js';
import { sendDocument } from './documents.js';
import { specParam, XLSX } from './query.js';
import { prepareStats, runStats } from '../../stats/service.js';
import { statsWorkbook } from '../../stats/workbook.js';

/** /api/stats — grouped counts of a subtree (one or two axes) and the table as a workbook. */
export function statsRoutes() {
  const app = new Hono();

  app.post('/:collection', async (c) => {
    const engine = c.get('engine');
    return c.json(await runStats(engine, await prepareStats(engine, c.get('user')!, c.req.param('collection'), await jsonBody(c))));
  });

  app.get('/:collection/export.xlsx', async (c) => {
    const engine = c.get('engine');
    const table = await runStats(engine, await prepareStats(engine, c.get('user')!, c.req.param('collection'), specParam(c)));
    return sendDocument(c, { body: await statsWorkbook(table), contentType: XLSX, filename: `${table.title}.xlsx`, inline: false });
  });

  return app;
}
