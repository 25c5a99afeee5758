import type ExcelJS from 'exceljs';
import { loadExcel as excel } from '../lazy-modules.js';
import type { ParsedFile } from './parse.js';
import type { PreviewRow } from './preview.js';
import { xlsxBuffer } from '../spreadsheet-formulas.js';

/** Title of the column the error workbook adds (ignored when the file is uploaded again). */
export const ERROR_COLUMN = '错误信息';

const RED = { type: 'pattern' as const, pattern: 'solid' as const, fgColor: { argb: 'FFFFC7CE' } };

/**
 * A copy of the uploaded file with each invalid row's errors written in: a column 「错误信息」
 * listing them, and a note on each offending cell. An xlsx upload keeps its own sheets, layout
 * and formats; a CSV upload becomes an xlsx of the same rows. The person fixes it and uploads it again.
 */
export async function buildErrorWorkbook(upload: Buffer, file: ParsedFile, rows: PreviewRow[]): Promise<Buffer> {
  const wb = new (await excel()).Workbook();
  let sheet: ExcelJS.Worksheet;
  if (file.format === 'xlsx') {
    await wb.xlsx.load(upload as unknown as ArrayBuffer);
    sheet = wb.getWorksheet(file.sheet!)!;
  } else {
    sheet = wb.addWorksheet('导入数据');
    // A dense array starts at column A. (A leading `undefined` would not make it "sparse" for
    // exceljs: the element exists, so every value moved one column right and the last header
    // was overwritten by the error column.)
    sheet.getRow(file.headerRow).values = file.headers;
    for (const r of file.rows) sheet.getRow(r.row).values = r.cells.map((c) => (c === null ? undefined : c)) as ExcelJS.CellValue[];
  }
  const existing = file.headers.findIndex((h) => h.trim() === ERROR_COLUMN);
  const errCol = existing >= 0 ? existing + 1 : file.headers.length + 1;
  const head = sheet.getRow(file.headerRow).getCell(errCol);
  head.value = ERROR_COLUMN;
  head.font = { bold: true, color: { argb: 'FFC00000' } };
  sheet.getColumn(errCol).width = 60;
  const byRow = new Map(rows.map((r) => [r.row, r]));
  for (const line of file.rows) {
    const r = byRow.get(line.row);
    const cell = sheet.getRow(line.row).getCell(errCol);
    if (!r || r.action !== 'invalid') { cell.value = null; continue; }
    cell.value = r.errors.map((e) => e.message).join('；');
    cell.font = { color: { argb: 'FFC00000' } };
    cell.alignment = { wrapText: true, vertical: 'top' };
    const perColumn = new Map<number, string[]>();
    for (const e of r.errors) if (e.column !== undefined) perColumn.set(e.column, [...(perColumn.get(e.column) ?? []), e.message]);
    for (const [col, messages] of perColumn) {
      const target = sheet.getRow(line.row).getCell(col + 1);
      target.note = messages.join('\n');
      target.fill = RED;
    }
  }
  return xlsxBuffer(wb);
}
