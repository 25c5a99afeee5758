import { codeCell, type Column } from './columns.js';

/** A cell as read from a file: text, number, boolean, date or empty. */
export type CellValue = string | number | boolean | Date | null;

const pad = (n: number) => String(n).padStart(2, '0');
const ymd = (y: number, m: number, d: number) => `${y}-${pad(m)}-${pad(d)}`;

/** Excel's day numbers count from 1899-12-30 (its 1900 leap-year bug included). */
function excelSerialToDate(n: number): string {
  const d = new Date(Date.UTC(1899, 11, 30) + Math.round(n * 86400000));
  return ymd(d.getUTCFullYear(), d.getUTCMonth() + 1, d.getUTCDate());
}

/** YYYY-MM-DD from the usual ways a date is written (2017-3-1, 2017/03/01, 2017.3.1, 20170301, 2017年3月1日). */
function dateText(s: string): string {
  const m = /^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?$/.exec(s) ?? /^(\d{4})(\d{2})(\d{2})$/.exec(s);
  return m ? ymd(Number(m[1]), Number(m[2]), Number(m[3])) : s;
}

const TRUE = new Set(['是', 'true', '1', 'y', 'yes', '√', 'TRUE']);
const FALSE = new Set(['否', 'false', '0', 'n', 'no', '×', 'FALSE']);

/** Lookup tables of one coded column: by code, by "label（code）", by label (when unambiguous). */
export function codeIndex(col: Column) {
  const byText = new Map<string, string>();
  const labels = new Map<string, string[]>();
  for (const o of col.codes ?? []) {
    byText.set(o.code, o.code);
    byText.set(codeCell(o), o.code);
    byText.set(`${o.label}(${o.code})`, o.code);
    labels.set(o.label, [...(labels.get(o.label) ?? []), o.code]);
  }
  // A label names a code only when one current code carries it.
  for (const [label, codes] of labels) {
    const current = codes.filter((c) => !(col.codes ?? []).find((o) => o.code === c)?.deprecated);
    const pick = current.length === 1 ? current[0] : codes.length === 1 ? codes[0] : undefined;
    if (pick && !byText.has(label)) byText.set(label, pick);
  }
  return byText;
}

/**
 * A cell's value as the property's JSON value; undefined for an empty cell. What cannot be
 * converted is passed on as text, so the schema's own message names the problem.
 */
export function convertCell(col: Column, v: CellValue, codes?: Map<string, string>): unknown {
  if (v === null || v === undefined) return undefined;
  if (typeof v === 'string') {
    v = v.trim();
    if (v === '') return undefined;
  }
  switch (col.kind) {
    case 'date':
      if (v instanceof Date) return ymd(v.getUTCFullYear(), v.getUTCMonth() + 1, v.getUTCDate());
      if (typeof v === 'number') return excelSerialToDate(v);
      return dateText(String(v));
    case 'boolean': {
      if (typeof v === 'boolean') return v;
      const s = String(v).trim();
      if (TRUE.has(s) || TRUE.has(s.toLowerCase())) return true;
      if (FALSE.has(s) || FALSE.has(s.toLowerCase())) return false;
      return s;
    }
    case 'number':
    case 'integer': {
      const n = typeof v === 'number' ? v : Number(String(v).replace(/,/g, ''));
      return Number.isFinite(n) ? n : String(v);
    }
    case 'code': {
      const s = v instanceof Date ? v.toISOString().slice(0, 10) : String(v).trim();
      const hit = codes?.get(s) ?? codes?.get(s.replace(/\s+/g, ''));
      if (hit) return hit;
      // A numeric code typed into a number cell loses its leading zeros ("01" → 1).
      if (typeof v === 'number') {
        const same = (col.codes ?? []).filter((o) => /^\d+$/.test(o.code) && Number(o.code) === v);
        if (same.length === 1) return same[0].code;
      }
      return s;
    }
    default:
      if (v instanceof Date) return ymd(v.getUTCFullYear(), v.getUTCMonth() + 1, v.getUTCDate());
      if (typeof v === 'number') return Number.isInteger(v) ? String(v) : String(v);
      return String(v);
  }
}
