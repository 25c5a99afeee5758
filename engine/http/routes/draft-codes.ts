import { Hono } from 'hono';
import { HttpError, notFound, badRequest } from '../errors.js';
import { requireConfigAdmin } from './codes-admin.js';
import { draftDocument } from '../../config-versions/drafts.js';
import { readTable, XLSX_TYPE } from '../../directory/read-table.js';
import { previewCodeImport } from '../../codes/import-table.js';
import { codeUsage } from '../../codes/usage.js';
import type { CodeTable } from '../../config/types.js';

/**
 * POST /api/config/draft/codes/:table/import-preview — a code table as a central notice's xlsx or
 * CSV gives it (raw body with its content type, the name in ?filename=; columns by header title:
 * 代码, 名称, optional 停用日期, 替代代码, 上级代码), answered as the draft's table it would make and
 * the diff against the draft's table (added, relabelled, deprecated, removed; removing a code
 * stored records hold is refused and the code kept). Nothing is stored: the studio saves the
 * table into the draft like any other edit. Config admins only.
 */
export function draftCodesRoutes() {
  const app = new Hono();
  app.post('/draft/codes/:table/import-preview', async (c) => {
    requireConfigAdmin(c);
    const engine = c.get('engine');
    const name = c.req.param('table');
    const path = `forms/codes/${name}.json`;
    if (!/^[A-Za-z0-9_-]+$/.test(name)) throw notFound('代码表');
    const text = await draftDocument(engine, path);
    let current: CodeTable;
    try {
      current = JSON.parse(typeof text === 'string' ? text : '') as CodeTable;
    } catch {
      throw badRequest(`草稿中的代码表“${name}”不是有效的 JSON，请先在 JSON 视图中修正`);
    }
    if (!Array.isArray(current?.codes)) throw badRequest(`草稿中的代码表“${name}”缺少「codes」`);
    const type = (c.req.header('content-type') ?? '').toLowerCase();
    const filename = (c.req.query('filename') ?? '').toLowerCase();
    const kind = type.startsWith(XLSX_TYPE) || filename.endsWith('.xlsx') ? 'xlsx'
      : type.startsWith('text/csv') || filename.endsWith('.csv') ? 'csv' : null;
    if (!kind) throw new HttpError(415, 'unsupported_media_type', '请上传 CSV（text/csv）或 xlsx 文件');
    const bytes = Buffer.from(await c.req.arrayBuffer());
    if (!bytes.length) throw badRequest('上传的文件是空的');
    const rows = await readTable(bytes, kind);
    // Stored records may hold any code of the draft's table (in a field or a child table's rows; each record once per code).
    const inUse = (await codeUsage(engine.storage, engine.runtime, name, current.codes.map((x) => x.code))).totals;
    return c.json(previewCodeImport(current, rows, inUse));
  });
  return app;
}
