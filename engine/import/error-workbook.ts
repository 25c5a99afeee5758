import type ExcelJS from 'exceljs';
import { loadExcel as excel } from '../lazy-modules.js';
import type { CellValue } from './convert.js';
import type { ParsedFile } from './parse.js';
import type { PreviewRow, RowError } from './preview.js';
import { xlsxBuffer } from '../spreadsheet-formulas.js';

/** Title of the column the error workbook adds (ignored when the file is uploaded again). */
export const ERROR_COLUMN = '错误信息';

const RED = { type: 'pattern' as const, pattern: 'solid' as const, fgColor: { argb: 'FFFFC7CE' } };

/** One sheet's errors written in: the 错误信息 column (its messages per line) and a note on each bad cell. */
function markSheet(
  sheet: ExcelJS.Worksheet, part: { headerRow: number; headers: string[]; rows: { row: number }[] },
  errorsByLine: Map<number, { messages: string[]; cells: RowError[] }>,
) {
  const existing = part.headers.findIndex((h) => h.trim() === ERROR_COLUMN);
  const errCol = existing >= 0 ? existing + 1 : part.headers.length + 1;
  const head = sheet.getRow(part.headerRow).getCell(errCol);
  head.value = ERROR_COLUMN;
  head.font = { bold: true, color: { argb: 'FFC00000' } };
  sheet.getColumn(errCol).width = 60;
  for (const line of part.rows) {
    const found = errorsByLine.get(line.row);
    const cell = sheet.getRow(line.row).getCell(errCol);
    if (!found) { cell.value = null; continue; }
    cell.value = found.messages.join('；');
    cell.font = { color: { argb: 'FFC00000' } };
    cell.alignment = { wrapText: true, vertical: 'top' };
    const perColumn = new Map<number, string[]>();
    for (const e of found.cells) if (e.column !== undefined) perColumn.set(e.column, [...(perColumn.get(e.column) ?? []), e.message]);
    for (const [col, messages] of perColumn) {
      const target = sheet.getRow(line.row).getCell(col + 1);
      target.note = messages.join('\n');
      target.fill = RED;
    }
  }
}

/**
 * A copy of the uploaded file with each invalid row's errors written in: a column 「错误信息」
 * listing them, and a note on each offending cell — on the main sheet, and on a child table's
 * sheet at the line and cell an error about a table row points to. An xlsx upload keeps its own
 * sheets, layout and formats; a CSV upload becomes an xlsx of the same rows. The person fixes it
 * and uploads it again.
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
    for (const r of file.rows) sheet.getRow(r.row).values = r.cells.map((c: CellValue) => (c === null ? undefined : c)) as ExcelJS.CellValue[];
  }
  // Errors by sheet ('' the main one) and line: a main row lists all of its errors, a child line its own.
  const bySheet = new Map<string, Map<number, { messages: string[]; cells: RowError[] }>>();
  const at = (s: string, line: number) => {
    const lines = bySheet.get(s) ?? bySheet.set(s, new Map()).get(s)!;
    return lines.get(line) ?? lines.set(line, { messages: [], cells: [] }).get(line)!;
  };
  for (const r of rows) {
    if (r.action !== 'invalid') continue;
    for (const e of r.errors) {
      if (!r.sheet) at('', r.row).messages.push(e.message);
      const own = e.sheet ? (e.line !== undefined ? at(e.sheet, e.line) : undefined) : at('', r.row);
      if (!own) continue;
      if (e.sheet) own.messages.push(e.message);
      own.cells.push(e);
    }
  }
  markSheet(sheet, file, bySheet.get('') ?? new Map());
  for (const child of file.children ?? []) {
    const ws = wb.getWorksheet(child.sheet);
    if (ws) markSheet(ws, child, bySheet.get(child.sheet) ?? new Map());
  }
  return xlsxBuffer(wb);
}
