import { Hono } from 'hono';
import type { Context } from 'hono';
import { auditExport, auditPage, type AuditParams } from '../../audit/index.js';
import { sendDocument } from './documents.js';

/** The filters of the audit view, as URL parameters (checked by engine/audit/filters.ts). */
function params(c: Context): AuditParams {
  const q = c.req.query();
  const pick = (k: keyof AuditParams) => (q[k] === undefined || q[k] === '' ? {} : { [k]: q[k] });
  return { ...pick('node'), ...pick('person'), ...pick('from'), ...pick('to'), ...pick('collection'), ...pick('kind'), ...pick('cursor'), ...pick('limit') };
}

/**
 * /api/audit — 系统审核: a subtree's audit log for the admins of it (`?node=&person=&from=&to=&
 * collection=&kind=a,b&cursor=&limit=`, newest first, `nextCursor` for the next page);
 * /api/audit/export.xlsx — every entry the same filters select, as a workbook.
 */
export function auditRoutes() {
  const app = new Hono();
  app.get('/', async (c) => c.json(await auditPage(c.get('engine'), c.get('user')!, params(c))));
  app.get('/export.xlsx', async (c) => {
    const { body, filename } = await auditExport(c.get('engine'), c.get('user')!, params(c));
    return sendDocument(c, { body, filename, contentType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', inline: false });
  });
  return app;
}
