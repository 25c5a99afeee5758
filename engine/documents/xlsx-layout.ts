import type { Alignment, Borders, Font, PageSetup } from 'exceljs';
import { DomainError } from '../errors.js';
import { layoutProblems } from './xlsx-layout-check.js';

/**
 * A declarative workbook layout (templates/*.xlsx.json). Every text is a Handlebars template
 * rendered against the sheet context; nothing about a particular form lives in the engine.
 */
export interface XlsxLayout {
  /** Named styles that cells refer to. */
  styles?: Record<string, StyleSpec>;
  /** Default font of every cell. */
  font?: Partial<Font>;
  sheets: SheetSpec[];
}

export interface StyleSpec {
  font?: Partial<Font>;
  alignment?: Partial<Alignment>;
  /** "thin" / "medium" etc. for all four sides, or per side. */
  border?: string | Partial<Record<'top' | 'left' | 'bottom' | 'right', string>>;
  /** Background colour, RRGGBB. */
  fill?: string;
}

export interface CellSpec extends StyleSpec {
  /** Handlebars template of the cell's text. */
  value?: string;
  /** Columns the cell spans (merged), default 1. */
  span?: number;
  /** Rows the cell spans (merged), default 1. */
  rowSpan?: number;
  /** Style name(s), applied in order, then the cell's own font/alignment/border/fill. */
  style?: string | string[];
  /** Handlebars expression; when it is falsy the cell stays empty (its style remains). */
  when?: string;
}

export interface RowSpec {
  height?: number;
  cells: CellSpec[];
  /** Handlebars expression; when falsy the row is left out. */
  when?: string;
  /** Repeats the row once per item of an array in the context. */
  repeat?: {
    /** Dotted path of the array, e.g. "related.units". */
    each: string;
    /** First item to use (e.g. 1: every item after the first). */
    from?: number;
    /** Name the item is bound to in the row's cells; `number` holds its 1-based position. */
    as?: string;
    /** Blank rows added to reach this many (ruled lines to write on). */
    minRows?: number;
  };
}

export interface SheetSpec {
  /** Handlebars template of the sheet name. */
  name: string;
  /** Handlebars expression; when falsy the sheet is left out. */
  when?: string;
  /** Names bound to dotted paths of the context, e.g. { "unit": "related.units.0" }. */
  let?: Record<string, string>;
  /** Column widths in characters (a Chinese character is about 2). */
  columns: number[];
  font?: Partial<Font>;
  /** exceljs page setup; paperSize 9 is A4. */
  page?: Partial<PageSetup>;
  rows: RowSpec[];
}

/** The value at a dotted path ("related.units.0.data.fullName"), or undefined. */
export function lookup(ctx: unknown, path: string): unknown {
  let v: any = ctx;
  for (const key of path.split('.').filter(Boolean)) {
    if (v === undefined || v === null) return undefined;
    v = v[key];
  }
  return v;
}

/** Checks the shape of a parsed layout (xlsx-layout-check.ts); throws naming the first problem. */
export function checkLayout(layout: unknown, file: string): XlsxLayout {
  const problems = layoutProblems(layout, file);
  if (problems.length) throw new DomainError('internal', 'template_error', `模板有误：${problems[0]}`);
  return layout as XlsxLayout;
}

/** Merges style specs left to right (later keys win, per font/alignment/border part). */
export function mergeStyles(specs: (StyleSpec | undefined)[]): StyleSpec {
  const out: StyleSpec = {};
  for (const s of specs) {
    if (!s) continue;
    if (s.font) out.font = { ...out.font, ...s.font };
    if (s.alignment) out.alignment = { ...out.alignment, ...s.alignment };
    if (s.border !== undefined) {
      const sides = typeof s.border === 'string' ? { top: s.border, left: s.border, bottom: s.border, right: s.border } : s.border;
      out.border = { ...(typeof out.border === 'object' ? out.border : {}), ...sides };
    }
    if (s.fill) out.fill = s.fill;
  }
  return out;
}

/** exceljs borders from a merged style. */
export function borders(spec: StyleSpec['border']): Partial<Borders> | undefined {
  if (!spec || typeof spec === 'string') return undefined;
  const out: Partial<Borders> = {};
  for (const side of ['top', 'left', 'bottom', 'right'] as const) {
    const style = spec[side];
    if (style && style !== 'none') out[side] = { style: style as any, color: { argb: 'FF000000' } };
  }
  return out;
}
