import { loadExcel } from '../lazy-modules.js';
import { xlsxBuffer } from '../spreadsheet-formulas.js';
import { domainBadRequest } from '../errors.js';
import type { prepareQuery } from './service.js';
import type { QueryContext } from './scope.js';
import { tableText } from './table-text.js';

/** An export is a file a person opens: past this many rows they should narrow the query. */
export const MAX_EXPORT_ROWS = 50_000;
const PAGE = 2000;

/**
 * The query's result as a workbook: the chosen columns under their titles, codes as their labels,
 * node fields as node labels, yes/no in words, a child table's rows in words as the page shows
 * them (tableText); every row in scope that matches, in the query's order, read a page at a time.
 * Text that looks like a formula is quote-prefixed (xlsxBuffer).
 */
export async function queryWorkbook(engine: QueryContext, p: Awaited<ReturnType<typeof prepareQuery>>): Promise<Buffer> {
  const q = { collection: p.collection.name, scope: p.scope, where: p.where };
  const n = await engine.storage.recordConditions.count(engine.storage.db, q);
  if (n > MAX_EXPORT_ROWS) throw domainBadRequest(`查询结果有 ${n} 条，超过导出上限 ${MAX_EXPORT_ROWS} 条，请增加条件或缩小范围`);
  const wb = new (await loadExcel()).Workbook();
  wb.creator = 'caiji';
  const sheet = wb.addWorksheet(`${p.collection.title}查询结果`, { views: [{ state: 'frozen', ySplit: 1 }] });
  const fields = p.columns.map((c) => p.byName.get(c)!);
  // A child table's rows are lines of words: a wide column whose cells wrap.
  sheet.columns = fields.map((f) => (f.kind === 'table'
    ? { header: f.title, width: 60, style: { alignment: { wrapText: true, vertical: 'top' as const } } }
    : { header: f.title, width: Math.min(40, Math.max(10, f.title.length * 2 + 4)) }));
  sheet.getRow(1).font = { bold: true };
  const codeLabels = new Map(fields.filter((f) => f.codes).map((f) => [f.name, new Map(f.codes!.map((c) => [c.code, c.label]))]));
  for (let offset = 0; offset < n; offset += PAGE) {
    const { items } = await engine.storage.recordConditions.page(engine.storage.db, q, { limit: PAGE, offset, sort: p.sort });
    const nodeIds = [...new Set(items.flatMap((r) => fields.filter((f) => f.kind === 'node').map((f) => r.data[f.name]).filter((v): v is string => typeof v === 'string')))];
    const nodeLabels = await engine.storage.records.fieldOf(engine.storage.db, nodeIds, engine.runtime.config.tree.labelField);
    for (const r of items) {
      sheet.addRow(fields.map((f) => {
        const v = r.data[f.name];
        if (v === undefined || v === null) return null;
        if (f.kind === 'code') return codeLabels.get(f.name)!.get(String(v)) ?? String(v);
        if (f.kind === 'node') return String(nodeLabels.get(String(v)) ?? v);
        if (f.kind === 'boolean') return v ? '是' : '否';
        if (f.kind === 'table') return tableText(p.collection, f.name, v) || null;
        return typeof v === 'object' ? JSON.stringify(v) : (v as string | number);
      }));
    }
    if (items.length < PAGE) break;
  }
  return xlsxBuffer(wb);
}
