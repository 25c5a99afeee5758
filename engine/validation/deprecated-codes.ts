import type { JsonSchema } from '../config/types.js';
import type { FieldError } from './messages.js';
import { fieldLabel, isChildTable } from './field-titles.js';

interface CodeInfo { code: string; label: string; deprecated?: string; replacedBy?: string[] }

/** One deprecated code a record holds: its top-level field, the pointer of the value, the code. */
export interface DeprecatedCode { field: string; path: string; column?: string; entry: CodeInfo; replacements: CodeInfo[] }

type Stale = Map<string, { entry: CodeInfo; replacements: CodeInfo[] }>;

/** A code property's deprecated codes with their replacements, or null when it has none. */
function staleCodes(prop: JsonSchema): Stale | null {
  const codes = prop['x-codes'] as CodeInfo[] | undefined;
  const stale: Stale = new Map();
  for (const entry of codes ?? []) {
    if (entry.deprecated) stale.set(entry.code, { entry, replacements: (entry.replacedBy ?? []).map((code) => codes!.find((c) => c.code === code) ?? { code, label: code }) });
  }
  return stale.size ? stale : null;
}

/** The fields (and child-table columns) of a schema that have deprecated codes: what a record is searched for. */
interface StalePlan { fields: [string, Stale][]; tables: [string, [string, Stale][]][] }

/**
 * Worked out once per (immutable, compiled) schema: every validation of every record asks, and a
 * linear search of each code table for each value was a hotspot of large imports.
 */
const plans = new WeakMap<JsonSchema, StalePlan>();
function planOf(schema: JsonSchema): StalePlan {
  let plan = plans.get(schema);
  if (plan) return plan;
  plan = { fields: [], tables: [] };
  for (const [field, prop] of Object.entries<JsonSchema>(schema.properties ?? {})) {
    const top = staleCodes(prop);
    if (top) plan.fields.push([field, top]);
    if (!isChildTable(prop)) continue;
    const columns = Object.entries<JsonSchema>(prop.items.properties ?? {}).flatMap(([column, c]) => {
      const stale = staleCodes(c);
      return stale ? [[column, stale] as [string, Stale]] : [];
    });
    if (columns.length) plan.tables.push([field, columns]);
  }
  plans.set(schema, plan);
  return plan;
}

const staleEntry = (stale: Stale, value: unknown) => (typeof value === 'string' ? stale.get(value) : undefined);

/**
 * Deprecated codes held by the record's code fields: top-level ones, and every cell of a child
 * table's code column (path /family/2/relation).
 */
export function deprecatedCodesIn(schema: JsonSchema, data: Record<string, unknown>): DeprecatedCode[] {
  const found: DeprecatedCode[] = [];
  const plan = planOf(schema);
  for (const [field, stale] of plan.fields) {
    const top = staleEntry(stale, data[field]);
    if (top) found.push({ field, path: `/${field}`, ...top });
  }
  for (const [field, columns] of plan.tables) {
    const value = data[field];
    if (!Array.isArray(value)) continue;
    value.forEach((row, i) => {
      if (!row || typeof row !== 'object') return;
      for (const [column, stale] of columns) {
        const cell = staleEntry(stale, Object.hasOwn(row, column) ? (row as Record<string, unknown>)[column] : undefined);
        if (cell) found.push({ field, path: `/${field}/${i}/${column}`, column, ...cell });
      }
    });
  }
  if (found.length < 2) return found;
  // In the schema's order of fields, as before (a table's cells after its own field's).
  const order = Object.keys(schema.properties ?? {});
  return found.sort((a, b) => order.indexOf(a.field) - order.indexOf(b.field));
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
