/** Reads an uploaded table (CSV or xlsx, first worksheet) into a header row and data rows of text. */
import type ExcelJS from 'exceljs';
import { loadExcel } from '../lazy-modules.js';
import { parseCsv } from './csv.js';
import { decodeUploadedText } from '../text-encoding.js';
import { domainBadRequest } from '../errors.js';

export const XLSX_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

const cellText = (v: ExcelJS.CellValue): string => {
  if (v === null || v === undefined) return '';
  if (v instanceof Date) return v.toISOString().slice(0, 10);
  if (typeof v === 'object') {
    if ('richText' in v) return v.richText.map((t) => t.text).join('');
    if ('text' in v) return String(v.text);
    if ('result' in v) return cellText(v.result as ExcelJS.CellValue);
  }
  return String(v);
};

export async function readTable(bytes: Buffer, kind: 'csv' | 'xlsx'): Promise<string[][]> {
  if (kind === 'csv') return parseCsv(decodeUploadedText(bytes));
  const wb = new (await loadExcel()).Workbook();
  try {
    await wb.xlsx.load(bytes as any);
  } catch {
    throw domainBadRequest('无法读取 xlsx 文件');
  }
  const sheet = wb.worksheets[0];
  if (!sheet) throw domainBadRequest('xlsx 文件中没有工作表');
  const rows: string[][] = [];
  sheet.eachRow({ includeEmpty: false }, (r) => {
    const cells: string[] = [];
    for (let i = 1; i <= sheet.columnCount; i++) cells.push(cellText(r.getCell(i).value).trim());
    rows.push(cells);
  });
  return rows;
}
