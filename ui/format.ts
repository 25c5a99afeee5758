import { codeEntry } from './api/session.js';
import type { JsonSchema } from './api/types.js';

/** A value as a table cell or read-only field shows it: code labels, 是/否, dates as stored. */
export function displayValue(prop: JsonSchema | undefined, value: unknown): string {
  if (value === undefined || value === null || value === '') return '';
  if (prop?.['x-codes']) {
    const e = codeEntry(prop, value);
    return e ? `${e.label}${e.deprecated ? '（已停用）' : ''}` : String(value);
  }
  if (typeof value === 'boolean') return value ? '是' : '否';
  if (Array.isArray(value)) return value.map((v) => displayValue(prop?.items, v)).join('、');
  return String(value);
}

export const percent = (x: number | null | undefined) => (x === null || x === undefined ? '—' : `${Math.round(x * 100)}%`);

export function dateTime(iso: string | undefined | null): string {
  if (!iso) return '';
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  const p = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())} ${p(d.getHours())}:${p(d.getMinutes())}`;
}
