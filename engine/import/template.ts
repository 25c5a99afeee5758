import type ExcelJS from 'exceljs';
import { loadExcel as excel } from '../lazy-modules.js';
import type { Collection } from '../config/types.js';
import { importColumns, codeCell, childTables, parentKey, type Column } from './columns.js';
import { CODE_SHEET } from './parse.js';
import type { ScopeNode } from './nodes.js';
import { xlsxBuffer } from '../spreadsheet-formulas.js';

const DATA_ROWS = 1000;
const MAX_NODE_LIST = 5000;
const colName = (n: number): string => (n <= 0 ? '' : colName(Math.floor((n - 1) / 26)) + String.fromCharCode(65 + ((n - 1) % 26)));

function note(col: Column, essentialLabel: string): string {
  const lines = [col.description ?? ''];
  if (col.essential) lines.push(`（${essentialLabel}）`);
  if (col.required) lines.push('（必填）');
  if (col.kind === 'date') lines.push('日期格式：YYYY-MM-DD');
  if (col.kind === 'boolean') lines.push('填写“是”或“否”');
  if (col.kind === 'code') lines.push('从下拉列表中选择，或填写代码');
  if (col.kind === 'node') lines.push('填写组织全称或编码，须在您的管理范围内');
  return lines.filter(Boolean).join('\n');
}

type AddList = (title: string, values: string[]) => string;

/** Writes a header of columns and its data rows into a sheet: titles, notes, formats, dropdowns. */
function fillSheet(sheet: ExcelJS.Worksheet, cols: Column[], rows: unknown[][], addList: AddList, nodes: ScopeNode[], essentialLabel: string, notes: Map<number, string> = new Map()) {
  cols.forEach((col, i) => {
    const n = i + 1;
    const cell = sheet.getRow(1).getCell(n);
    cell.value = col.title;
    cell.font = { bold: true, color: { argb: col.essential || col.required ? 'FFC00000' : 'FF000000' } };
    cell.fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FFF2F2F2' } };
    cell.alignment = { vertical: 'middle', horizontal: 'center', wrapText: true };
    const text = [notes.get(i), note(col, essentialLabel)].filter(Boolean).join('\n');
    if (text) cell.note = text;
    const column = sheet.getColumn(n);
    column.width = Math.max(10, Math.min(30, col.title.length * 2 + 4));
    let formula: string | undefined;
    if (col.kind === 'code') {
      formula = addList(col.title, (col.codes ?? []).filter((o) => !o.deprecated).map(codeCell));
      column.width = 24;
    } else if (col.kind === 'boolean') formula = '"是,否"';
    else if (col.kind === 'node' && nodes.length && nodes.length <= MAX_NODE_LIST) {
      formula = addList(col.title, nodes.map((nd) => nd.fullName ?? nd.label ?? nd.id));
      column.width = 40;
    }
    if (col.kind === 'string' || col.kind === 'node') column.numFmt = '@';
    if (col.kind === 'date') column.numFmt = 'yyyy-mm-dd';
    if (formula) {
      (sheet as unknown as { dataValidations: { add(range: string, v: ExcelJS.DataValidation): void } }).dataValidations.add(`${colName(n)}2:${colName(n)}${Math.max(DATA_ROWS, rows.length + 100) + 1}`, {
        type: 'list', allowBlank: true, formulae: [formula],
        showErrorMessage: col.kind !== 'node', errorStyle: 'warning', errorTitle: col.title, error: '请从列表中选择',
      });
    }
  });
  sheet.getRow(1).height = 30;
  for (const row of rows) sheet.addRow(row);
}

/**
 * What a child sheet's key column says about it. The decision it states: a record on the main
 * sheet takes exactly the lines given for it, so a record without lines has its table cleared —
 * the sheet is the whole table, as an empty cell on the main sheet clears that field. Leaving
 * the sheet out of the file keeps every stored table.
 */
export const childSheetNote = (table: string, key: string, record: string) =>
  `每行填写「${table}」的一条记录，「${key}」填写所属${record}的${key}（须在主表中或已登记）。`
  + `文件含本工作表时，主表中每条${record}的「${table}」以本表为准：本表中没有其行的，导入后该表清空；删除本工作表则保留已有内容。`;

/**
 * The import template of a collection: one column per field titled as the form titles it, a
 * note with the field's description, essential fields in red, dropdown lists of current codes
 * ("label（code）", from a hidden sheet) and of the user's writable tree nodes, text format
 * for identifiers so spreadsheets keep their digits. Each child table gets a sheet of its own
 * named by its title: the parent's unique key first, then the table's columns, one line per row.
 * `rows` and `childRows` (an export) fill the sheets below the header, cell values as an upload
 * writes them; the lists then reach past the last row too.
 */
export async function buildTemplate(
  c: Collection, nodes: ScopeNode[], essentialLabel = '必填项', rows: unknown[][] = [], childRows: Map<string, unknown[][]> = new Map(),
): Promise<Buffer> {
  const cols = importColumns(c);
  const wb = new (await excel()).Workbook();
  wb.creator = 'caiji';
  const sheet = wb.addWorksheet(c.title, { views: [{ state: 'frozen', ySplit: 1 }] });
  const key = parentKey(c);
  const tables = key ? childTables(c) : [];
  const childSheets = tables.map((t) => wb.addWorksheet(t.sheet, { views: [{ state: 'frozen', ySplit: 1 }] }));
  const codes = wb.addWorksheet(CODE_SHEET, { state: 'veryHidden' });
  let listCol = 0;
  const lists = new Map<string, string>();
  const addList: AddList = (title, values) => {
    // The same list (a code table used on two sheets) is written once.
    const seen = lists.get(JSON.stringify(values));
    if (seen) return seen;
    listCol++;
    const letter = colName(listCol);
    codes.getCell(`${letter}1`).value = title;
    values.forEach((v, i) => { codes.getCell(`${letter}${i + 2}`).value = v; });
    const range = `'${CODE_SHEET}'!$${letter}$2:$${letter}$${Math.max(2, values.length + 1)}`;
    lists.set(JSON.stringify(values), range);
    return range;
  };
  fillSheet(sheet, cols, rows, addList, nodes, essentialLabel);
  tables.forEach((t, i) => {
    const keyCol: Column = { ...key!, essential: false, required: true, description: undefined };
    fillSheet(childSheets[i], [keyCol, ...t.columns], childRows.get(t.property) ?? [], addList, nodes, essentialLabel,
      new Map([[0, childSheetNote(t.title, key!.title, c.title)]]));
  });
  return xlsxBuffer(wb);
}
