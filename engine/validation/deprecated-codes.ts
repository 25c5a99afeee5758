import type { JsonSchema } from '../config/types.js';
import type { FieldError } from './messages.js';
import { fieldLabel, isChildTable } from './field-titles.js';

interface CodeInfo { code: string; label: string; deprecated?: string; replacedBy?: string[] }

/** One deprecated code a record holds: its top-level field, the pointer of the value, the code. */
export interface DeprecatedCode { field: string; path: string; column?: string; entry: CodeInfo; replacements: CodeInfo[] }

function deprecatedEntry(prop: JsonSchema | undefined, value: unknown) {
  const codes = prop?.['x-codes'] as CodeInfo[] | undefined;
  if (!codes || typeof value !== 'string') return null;
  const entry = codes.find((c) => c.code === value);
  if (!entry?.deprecated) return null;
  const replacements = (entry.replacedBy ?? []).map((code) => codes.find((c) => c.code === code) ?? { code, label: code });
  return { entry, replacements };
}

/**
 * Deprecated codes held by the record's code fields: top-level ones, and every cell of a child
 * table's code column (path /family/2/relation).
 */
export function deprecatedCodesIn(schema: JsonSchema, data: Record<string, unknown>): DeprecatedCode[] {
  const found: DeprecatedCode[] = [];
  for (const [field, prop] of Object.entries<JsonSchema>(schema.properties ?? {})) {
    const value = data[field];
    const top = deprecatedEntry(prop, value);
    if (top) found.push({ field, path: `/${field}`, ...top });
    if (!isChildTable(prop) || !Array.isArray(value)) continue;
    const columns = Object.entries<JsonSchema>(prop.items.properties ?? {}).filter(([, c]) => c['x-codes']);
    value.forEach((row, i) => {
      if (!row || typeof row !== 'object') return;
      for (const [column, c] of columns) {
        const cell = deprecatedEntry(c, Object.hasOwn(row, column) ? (row as Record<string, unknown>)[column] : undefined);
        if (cell) found.push({ field, path: `/${field}/${i}/${column}`, column, ...cell });
      }
    });
  }
  return found;
}

/** `label` is how the message names the place, quotes included (field-titles.ts fieldLabel). */
export function deprecatedMessage(label: string, entry: CodeInfo, replacements: CodeInfo[]): string {
  const choices = replacements.map((c) => `${c.label}（${c.code}）`).join('、');
  return `${label}的代码“${entry.label}（${entry.code}）”已停用${choices ? `，请改选：${choices}` : ''}`;
}

/** Whether the previous record already held this code here: in a table, in the same column of any row (rows move). */
function heldBefore(d: DeprecatedCode, data: Record<string, unknown>, previous: Record<string, unknown>): boolean {
  if (!d.column) return previous[d.field] === data[d.field];
  const rows = previous[d.field];
  return Array.isArray(rows) && rows.some((r) => !!r && typeof r === 'object' && Object.hasOwn(r, d.column!) && r[d.column!] === d.entry.code);
}

/**
 * A deprecated code may stay on a record that already held it, but is refused as new input:
 * the value is new when there is no previous record or the previous value differs.
 */
export function checkDeprecatedCodes(schema: JsonSchema, data: Record<string, unknown>, previous?: Record<string, unknown>): FieldError[] {
  return deprecatedCodesIn(schema, data)
    .filter((d) => !previous || !heldBefore(d, data, previous))
    .map((d) => ({ path: d.path, message: deprecatedMessage(fieldLabel(schema, d.path), d.entry, d.replacements) }));
}
