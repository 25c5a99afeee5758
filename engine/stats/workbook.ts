import { loadExcel } from '../lazy-modules.js';
import { xlsxBuffer } from '../spreadsheet-formulas.js';
import type { StatsTable } from './service.js';

/**
 * A statistic as a workbook: the table as the page shows it — each count with its share of the
 * grand total (one axis) or each cell with the row's total (two axes), totals last.
 */
export async function statsWorkbook(t: StatsTable): Promise<Buffer> {
  const wb = new (await loadExcel()).Workbook();
  wb.creator = 'caiji';
  const sheet = wb.addWorksheet('统计', { views: [{ state: 'frozen', ySplit: 2, xSplit: 1 }] });
  sheet.addRow([t.title]).font = { bold: true, size: 13 };
  const pct = (n: number, of: number) => (of ? n / of : null);
  if (t.colTitle === null) {
    sheet.addRow([t.rowTitle, '人数', '占比']).font = { bold: true };
    t.rows.forEach((r, i) => sheet.addRow([r.label, t.cells[i][0], pct(t.cells[i][0], t.total)]));
    sheet.addRow(['合计', t.total, pct(t.total, t.total)]).font = { bold: true };
    sheet.getColumn(3).numFmt = '0.0%';
  } else {
    sheet.addRow([`${t.rowTitle} \\ ${t.colTitle}`, ...t.cols.map((c) => c.label), '合计', '占比']).font = { bold: true };
    t.rows.forEach((r, i) => sheet.addRow([r.label, ...t.cells[i], t.rowTotals[i], pct(t.rowTotals[i], t.total)]));
    sheet.addRow(['合计', ...t.colTotals, t.total, pct(t.total, t.total)]).font = { bold: true };
    sheet.getColumn(t.cols.length + 3).numFmt = '0.0%';
  }
  sheet.getColumn(1).width = 30;
  return xlsxBuffer(wb);
}
