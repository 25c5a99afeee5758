import type { Collection, JsonSchema } from '../config/types.js';
import { DomainError } from '../errors.js';
import { normalizeValue } from '../validation/transform.js';
import { childTables, headerKey, type ChildTable, type Column } from './columns.js';
import { codeIndex, convertCell } from './convert.js';
import type { ParsedFile } from './parse.js';
import { ERROR_COLUMN } from './error-workbook.js';

/** One line of a child sheet: its line number in the sheet and the table row it holds. */
export interface ChildLine {
  line: number;
  row: Record<string, unknown>;
}

/** A child table's sheet as the preview uses it: lines grouped by their parent's key. */
export interface ChildSheetRead {
  table: ChildTable;
  sheet: string;
  /** Column of the sheet (0-based) by the row's property; the key's column under ''. */
  columns: Map<string, number>;
  /** Key value → the lines naming it, in the sheet's order (the table's row order). */
  byParent: Map<string, ChildLine[]>;
  /** Lines whose key cell is empty. */
  keyless: number[];
  ignored: string[];
}

/**
 * Reads the child sheets of an upload: the parent's key (normalised as the main sheet's, so
 * "x" finds "X"), and each line's cells as a table row, converted and normalised as a form
 * would save them (empty cells left out).
 */
export function readChildSheets(c: Collection, key: Column, file: ParsedFile): ChildSheetRead[] {
  const tables = childTables(c);
  const keyProp = c.schema.properties?.[key.property] as JsonSchema | undefined;
  const out: ChildSheetRead[] = [];
  for (const sheet of file.children ?? []) {
    const table = tables.find((t) => t.sheet.trim() === sheet.sheet.trim());
    if (!table) continue;
    const items = (c.schema.properties?.[table.property] as JsonSchema).items as JsonSchema;
    const byTitle = new Map(table.columns.map((col) => [headerKey(col.title), col]));
    const columns = new Map<string, number>();
    const mapped: { column: number; col: Column; codes?: Map<string, string> }[] = [];
    const ignored: string[] = [];
    sheet.headers.forEach((h, i) => {
      const k = headerKey(h);
      const col = k === headerKey(key.title) ? key : byTitle.get(k);
      if (!col) { if (h.trim() && h.trim() !== ERROR_COLUMN) ignored.push(`${sheet.sheet}：${h}`); return; }
      const prop = col === key ? '' : col.property;
      if (columns.has(prop)) throw new DomainError('invalid', 'invalid', `工作表「${sheet.sheet}」的表头中「${col.title}」出现了两次（第 ${columns.get(prop)! + 1} 列和第 ${i + 1} 列）`);
      columns.set(prop, i);
      if (col !== key) mapped.push({ column: i, col, codes: col.kind === 'code' ? codeIndex(col) : undefined });
    });
    if (!columns.has('')) throw new DomainError('invalid', 'invalid', `工作表「${sheet.sheet}」缺少「${key.title}」列，无法确定各行属于哪条${c.title}记录`);
    const byParent = new Map<string, ChildLine[]>();
    const keyless: number[] = [];
    // In the schema's column order, so a row read back equals the stored one.
    const ordered = [...mapped].sort((a, b) => table.columns.indexOf(a.col) - table.columns.indexOf(b.col))
      .map((m) => ({ ...m, prop: items.properties?.[m.col.property] as JsonSchema | undefined }));
    for (const line of sheet.rows) {
      const value = normalizeValue(keyProp, convertCell(key, line.cells[columns.get('')!] ?? null));
      if (value === undefined) { keyless.push(line.row); continue; }
      const row: Record<string, unknown> = {};
      for (const m of ordered) {
        const v = normalizeValue(m.prop, convertCell(m.col, line.cells[m.column] ?? null, m.codes));
        if (v !== undefined) row[m.col.property] = v;
      }
      const k = String(value);
      const lines = byParent.get(k);
      if (lines) lines.push({ line: line.row, row });
      else byParent.set(k, [{ line: line.row, row }]);
    }
    out.push({ table, sheet: sheet.sheet, columns, byParent, keyless, ignored });
  }
  return out;
}

/** The same rows whatever the order of each row's keys (a stored row's keys keep the order it was saved in). */
function sameRows(a: unknown, b: Record<string, unknown>[]): boolean {
  if (!Array.isArray(a) || a.length !== b.length) return false;
  const canon = (r: unknown) => JSON.stringify(Object.entries((r ?? {}) as Record<string, unknown>).filter(([, v]) => v !== undefined).sort(([x], [y]) => (x < y ? -1 : 1)));
  return a.every((r, i) => canon(r) === canon(b[i]));
}

/**
 * A record's tables as the file gives them: each sheet present replaces the table with exactly
 * the lines naming this record; no line clears it (an empty table stored as [] stays so). A
 * table equal to the stored one keeps the stored value, so an untouched round trip changes nothing.
 */
export function applyChildRows(data: Record<string, unknown>, before: Record<string, unknown> | undefined, key: string, sheets: ChildSheetRead[]) {
  for (const s of sheets) {
    const prop = s.table.property;
    const given = (s.byParent.get(key) ?? []).map((l) => l.row);
    const stored = before?.[prop];
    if (!given.length) {
      if (Array.isArray(stored) && stored.length === 0) data[prop] = stored;
      else delete data[prop];
    } else data[prop] = sameRows(stored, given) ? stored : given;
  }
}

/**
 * Where a validation error about a child table points in the file: the sheet, the line of the
 * row (`/family/2/…` is the third line naming this record) and the cell's column.
 */
export function placeInSheets(path: string, key: string, sheets: ChildSheetRead[]): { sheet: string; line?: number; column?: number } | undefined {
  const [, prop, index, cell] = path.split('/');
  const s = sheets.find((x) => x.table.property === prop);
  if (!s) return undefined;
  const lines = s.byParent.get(key) ?? [];
  const at = index !== undefined && /^\d+$/.test(index) ? lines[Number(index)] : lines[0];
  return { sheet: s.sheet, line: at?.line, column: cell !== undefined ? s.columns.get(cell) : undefined };
}

/** An error message naming the sheet and line it belongs to. */
export const atSheetLine = (sheet: string, line: number | undefined, message: string) =>
  `工作表「${sheet}」${line !== undefined ? `第 ${line} 行` : ''}：${message}`;
