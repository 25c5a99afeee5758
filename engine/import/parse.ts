import type ExcelJS from 'exceljs';
import { Readable } from 'node:stream';
import { loadExcel as excel } from '../lazy-modules.js';
import type { CellValue } from './convert.js';
import { headerKey } from './columns.js';
import { DomainError } from '../errors.js';
import { decodeUploadedText } from '../text-encoding.js';

/** An uploaded table: the header row's texts and each data row's cells, with file row numbers. */
export interface ParsedFile {
  format: 'xlsx' | 'csv';
  /** Worksheet the rows come from (xlsx). */
  sheet?: string;
  headerRow: number;
  /** Header texts by column (index 0 = first column). */
  headers: string[];
  rows: { row: number; cells: CellValue[] }[];
  /** Child-table sheets found in an xlsx upload, by the table's title (a sheet of that name). */
  children?: ChildSheet[];
}

/** A child table's sheet as read: its name (the table's title), header and lines. */
export type ChildSheet = Omit<ParsedFile, 'format' | 'children'> & { sheet: string };

/** What a child sheet's header may name: the sheet's name and its column titles (the parent key's included). */
export interface ChildSheetSpec {
  title: string;
  titles: string[];
}

/** Sheets the template adds beside the data sheet. */
export const CODE_SHEET = '代码';

const unsupported = () =>
  new DomainError('unsupported', 'unsupported_media_type', '只能导入 xlsx 或 CSV 文件（请使用下载的导入模板）');

/** Plain value of an exceljs cell (rich text, formulas and links reduced to what they show). */
function cellValue(v: ExcelJS.CellValue): CellValue {
  if (v === null || v === undefined) return null;
  if (typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean' || v instanceof Date) return v;
  const o = v as any;
  if (Array.isArray(o.richText)) return o.richText.map((t: { text: string }) => t.text).join('');
  if ('result' in o) return cellValue(o.result as ExcelJS.CellValue);
  if ('text' in o) return typeof o.text === 'string' ? o.text : cellValue(o.text);
  if ('error' in o) return String(o.error);
  return String(v);
}

/** The first row (of the first few) naming at least `min` known column titles. */
function findHeader(rows: { row: number; cells: CellValue[] }[], titles: Set<string>, min: number) {
  for (const r of rows.slice(0, 5)) {
    const hits = r.cells.filter((c) => typeof c === 'string' && titles.has(headerKey(c))).length;
    if (hits >= min) return r;
  }
  return undefined;
}

function split(all: { row: number; cells: CellValue[] }[], format: ParsedFile['format'], titles: Set<string>, sheet?: string): ParsedFile {
  const header = findHeader(all, titles, Math.min(2, titles.size));
  if (!header) throw new DomainError('invalid', 'invalid', '文件中没有找到表头：第一行应为各字段的名称（请使用下载的导入模板）');
  const headers = header.cells.map((c) => (c === null ? '' : String(c)));
  const rows = all.filter((r) => r.row > header.row && r.cells.some((c) => c !== null && !(typeof c === 'string' && c.trim() === '')));
  return { format, sheet, headerRow: header.row, headers, rows };
}

type Line = { row: number; cells: CellValue[] };
/** A worksheet as read: its name, visibility and non-empty lines, in the workbook's order. */
interface SheetRead { name: string; state: string; lines: Line[] }

/** One row's cells by column (missing cells null). */
function rowCells(row: ExcelJS.Row): CellValue[] {
  const cells: CellValue[] = [];
  row.eachCell({ includeEmpty: true }, (cell, col) => { cells[col - 1] = cellValue(cell.value); });
  for (let i = 0; i < cells.length; i++) if (cells[i] === undefined) cells[i] = null;
  return cells;
}

/**
 * Every worksheet's lines, read with exceljs's streaming reader: each row becomes a line as it is
 * parsed and no workbook model is built. The full load's cell objects, style reconciliation and
 * the garbage they left were most of an import's time — a child sheet of 50 000 lines cost more
 * than the whole main sheet (profiled: test/bench/README.md). Shared strings and styles are cached,
 * so text and dates read as before; a hyperlink reads as its text.
 */
async function streamSheets(buf: Buffer): Promise<SheetRead[]> {
  const reader = new (await excel()).stream.xlsx.WorkbookReader(Readable.from([buf]), {
    sharedStrings: 'cache', styles: 'cache', hyperlinks: 'ignore', worksheets: 'emit', entries: 'ignore',
  });
  const sheets: SheetRead[] = [];
  for await (const ws of reader) {
    const lines: Line[] = [];
    for await (const row of ws as unknown as AsyncIterable<ExcelJS.Row>) if (row.hasValues) lines.push({ row: row.number, cells: rowCells(row) });
    const w = ws as unknown as { name: string; state?: string };
    sheets.push({ name: w.name, state: w.state ?? 'visible', lines });
  }
  // The zip may hold the sheets in any order: the workbook's is its list of sheets.
  const order = ((reader as unknown as { model?: { sheets?: { name: string }[] } }).model?.sheets ?? []).map((x) => x.name);
  return sheets.sort((a, b) => order.indexOf(a.name) - order.indexOf(b.name));
}

/** The same from the full in-memory load: for a file the streaming reader cannot take (parts in an unusual order). */
async function loadSheets(buf: Buffer): Promise<SheetRead[]> {
  const wb = new (await excel()).Workbook();
  await wb.xlsx.load(buf as unknown as ArrayBuffer);
  return wb.worksheets.map((ws) => {
    const lines: Line[] = [];
    ws.eachRow({ includeEmpty: false }, (row, n) => { lines.push({ row: n, cells: rowCells(row) }); });
    return { name: ws.name, state: ws.state, lines };
  });
}

async function parseXlsx(buf: Buffer, titles: Set<string>, childSpecs: ChildSheetSpec[]): Promise<ParsedFile> {
  let sheets: SheetRead[];
  try {
    sheets = await streamSheets(buf).catch(() => loadSheets(buf));
  } catch {
    throw new DomainError('invalid', 'invalid', '无法读取该 xlsx 文件，文件可能已损坏');
  }
  // The main sheet is the first visible one that is neither the code lists nor a child table's.
  const childNames = new Set(childSpecs.map((t) => t.title.trim()));
  const sheet = sheets.find((w) => w.state === 'visible' && w.name !== CODE_SHEET && !childNames.has(w.name.trim())) ?? sheets[0];
  if (!sheet) throw new DomainError('invalid', 'invalid', '文件中没有工作表');
  const main = split(sheet.lines, 'xlsx', titles, sheet.name);
  const children: ChildSheet[] = [];
  for (const spec of childSpecs) {
    const ws = sheets.find((w) => w !== sheet && w.name.trim() === spec.title.trim());
    if (!ws?.lines.length) continue;
    try {
      const { format: _f, ...read } = split(ws.lines, 'xlsx', new Set(spec.titles.map(headerKey)), ws.name);
      children.push({ ...read, sheet: ws.name });
    } catch (err) {
      if (err instanceof DomainError) throw new DomainError('invalid', 'invalid', `工作表「${ws.name}」中没有找到表头：第一行应为各列的名称（请使用下载的导入模板）`);
      throw err;
    }
  }
  return { ...main, children };
}

/** RFC 4180 CSV (quotes, doubled quotes, newlines in quotes; comma, semicolon or tab separated). */
export function parseCsvText(text: string): string[][] {
  const firstLine = text.slice(0, text.indexOf('\n') >>> 0);
  const sep = [',', '\t', ';'].sort((a, b) => firstLine.split(b).length - firstLine.split(a).length)[0];
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (quoted) {
      if (ch === '"') {
        if (text[i + 1] === '"') { field += '"'; i++; } else quoted = false;
      } else field += ch;
    } else if (ch === '"' && field === '') quoted = true;
    else if (ch === sep) { row.push(field); field = ''; }
    else if (ch === '\n' || ch === '\r') {
      if (ch === '\r' && text[i + 1] === '\n') i++;
      row.push(field); rows.push(row); row = []; field = '';
    } else field += ch;
  }
  if (field !== '' || row.length) { row.push(field); rows.push(row); }
  return rows;
}

function parseCsv(buf: Buffer, titles: Set<string>): ParsedFile {
  const rows = parseCsvText(decodeUploadedText(buf)).map((cells, i) => ({ row: i + 1, cells: cells.map((c) => (c === '' ? null : c)) as CellValue[] }));
  return split(rows, 'csv', titles, undefined);
}

const isZip = (buf: Buffer) => buf.length > 4 && buf[0] === 0x50 && buf[1] === 0x4b && buf[2] === 0x03 && buf[3] === 0x04;

/**
 * Reads an uploaded file by its content (a zip is xlsx, anything else is tried as CSV); the
 * filename or content type only breaks ties. `titles` are the column titles the header may use;
 * `childSpecs` name the child tables' sheets an xlsx may carry besides the main one.
 */
export async function parseUpload(
  buf: Buffer, titles: string[], hint: { filename?: string; contentType?: string } = {}, childSpecs: ChildSheetSpec[] = [],
): Promise<ParsedFile> {
  if (!buf.length) throw new DomainError('bad_request', 'bad_request', '上传的文件为空');
  const keys = new Set(titles.map(headerKey));
  if (isZip(buf)) return parseXlsx(buf, keys, childSpecs);
  if (/\.xlsx?$/i.test(hint.filename ?? '') || /spreadsheetml|ms-excel/.test(hint.contentType ?? '')) throw unsupported();
  if (buf.includes(0)) throw unsupported();
  return parseCsv(buf, keys);
}
