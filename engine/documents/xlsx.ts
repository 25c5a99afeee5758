import type ExcelJS from 'exceljs';
import { loadExcel } from '../lazy-modules.js';
import type { AppRuntime } from '../runtime/runtime.js';
import type { DocumentConfig } from './config.js';
import type { SheetContext } from './context.js';
import { compile, documentLayout, handlebarsFor } from './templates.js';
import { borders, checkLayout, lookup, mergeStyles, type CellSpec, type RowSpec, type SheetSpec, type StyleSpec, type XlsxLayout } from './xlsx-layout.js';
import { DomainError } from '../errors.js';
import { xlsxBuffer } from '../spreadsheet-formulas.js';

type Scope = Record<string, unknown>;

const A4_PORTRAIT = {
  paperSize: 9, orientation: 'portrait' as const, fitToPage: true, fitToWidth: 1, fitToHeight: 0, horizontalCentered: true,
  margins: { left: 0.6, right: 0.6, top: 0.7, bottom: 0.7, header: 0.3, footer: 0.3 },
};

/** Excel forbids []:*?/\ in sheet names and allows at most 31 characters. */
const sheetName = (name: string) => name.replace(/[[\]:*?/\\]/g, ' ').trim().slice(0, 31) || 'Sheet';

function parseLayout(text: string, file: string): XlsxLayout {
  try {
    return checkLayout(JSON.parse(text), file);
  } catch (err) {
    if (err instanceof DomainError) throw err;
    throw new DomainError('internal', 'template_error', `模板 templates/${file} 不是有效的 JSON：${(err as Error).message}`);
  }
}

/** Writes one workbook from a layout; every text is a Handlebars template over the scope. */
class WorkbookWriter {
  constructor(readonly wb: ExcelJS.Workbook, private readonly rt: AppRuntime, private readonly layout: XlsxLayout) {}

  text(template: string, scope: Scope): string {
    return compile(handlebarsFor(this.rt), template, true)(scope);
  }

  truthy(expr: string | undefined, scope: Scope): boolean {
    return expr === undefined || this.text(`{{#if ${expr}}}1{{/if}}`, scope) === '1';
  }

  sheet(spec: SheetSpec, ctx: Scope) {
    const scope: Scope = { ...ctx };
    for (const [name, path] of Object.entries(spec.let ?? {})) scope[name] = lookup(ctx, path);
    if (!this.truthy(spec.when, scope)) return;
    const ws = this.wb.addWorksheet(sheetName(this.text(spec.name, scope)), {
      pageSetup: { ...A4_PORTRAIT, ...spec.page, margins: { ...A4_PORTRAIT.margins, ...spec.page?.margins } },
      views: [{ showGridLines: false }],
    });
    ws.columns = spec.columns.map((width) => ({ width }));
    const covered = new Set<string>();
    let r = 1;
    for (const row of spec.rows) {
      if (!this.truthy(row.when, scope)) continue;
      for (const s of this.rowScopes(row, scope)) this.row(ws, spec, row, s, r++, covered);
    }
    const lastCol = ws.getColumn(spec.columns.length).letter;
    ws.pageSetup.printArea = `A1:${lastCol}${Math.max(1, r - 1)}`;
  }

  rowScopes(row: RowSpec, scope: Scope): Scope[] {
    if (!row.repeat) return [scope];
    const { each, from = 0, as = 'item', minRows = 0 } = row.repeat;
    const list = lookup(scope, each);
    const items = Array.isArray(list) ? list.slice(from) : [];
    const scopes: Scope[] = items.map((item, i) => ({ ...scope, [as]: item, number: i + 1, index: i }));
    while (scopes.length < minRows) scopes.push({ ...scope, [as]: {}, number: '', index: scopes.length, blankRow: true });
    return scopes;
  }

  row(ws: ExcelJS.Worksheet, sheet: SheetSpec, row: RowSpec, scope: Scope, r: number, covered: Set<string>) {
    if (row.height) ws.getRow(r).height = row.height;
    let col = 1;
    for (const cell of row.cells) {
      while (covered.has(`${r}:${col}`)) col++;
      const span = Math.max(1, cell.span ?? 1);
      const rowSpan = Math.max(1, cell.rowSpan ?? 1);
      const style = this.style(sheet, cell);
      for (let y = r; y < r + rowSpan; y++) {
        for (let x = col; x < col + span; x++) {
          this.apply(ws.getCell(y, x), style);
          if (y > r) covered.add(`${y}:${x}`);
        }
      }
      const value = scope.blankRow || !this.truthy(cell.when, scope) ? '' : this.text(cell.value ?? '', scope);
      ws.getCell(r, col).value = value === '' ? null : value;
      if (span > 1 || rowSpan > 1) ws.mergeCells(r, col, r + rowSpan - 1, col + span - 1);
      col += span;
    }
  }

  style(sheet: SheetSpec, cell: CellSpec): StyleSpec {
    const names = cell.style === undefined ? [] : Array.isArray(cell.style) ? cell.style : [cell.style];
    const { font, alignment, border, fill } = cell;
    return mergeStyles([
      { font: this.layout.font }, { font: sheet.font }, ...names.map((n) => this.layout.styles![n]), { font, alignment, border, fill },
    ]);
  }

  apply(target: ExcelJS.Cell, style: StyleSpec) {
    if (style.font) target.font = style.font;
    target.alignment = { vertical: 'middle', wrapText: true, ...style.alignment };
    const b = borders(style.border);
    if (b) target.border = b;
    if (style.fill) target.fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: `FF${style.fill.replace('#', '')}` } };
  }
}

/** Renders an xlsx workbook for one record from the document's declarative layout. */
export async function renderXlsx(rt: AppRuntime, doc: DocumentConfig, ctx: SheetContext): Promise<Buffer> {
  const layout = documentLayout(rt, doc); // checked and compiled with the config snapshot
  const writer = new WorkbookWriter(new (await loadExcel()).Workbook(), rt, layout);
  writer.wb.creator = ctx.app.title;
  writer.wb.title = doc.title;
  for (const sheet of layout.sheets) writer.sheet(sheet, ctx as unknown as Scope);
  if (!writer.wb.worksheets.length) throw new DomainError('internal', 'template_error', `模板 templates/${doc.template} 没有生成任何工作表`);
  return xlsxBuffer(writer.wb);
}
