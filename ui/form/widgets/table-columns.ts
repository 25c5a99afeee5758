import type { JsonSchema } from '../../api/types.js';
import type { RowHints } from '../../../engine/validation/form-hints.js';
import { displayValue } from '../../format.js';

/** One column of a child table: a property of the table's `items` object. */
export interface Column {
  name: string;
  prop: JsonSchema;
  title: string;
  required: boolean;
}

export type Row = Record<string, unknown>;

/** The columns of a child table in display order (x-order, then schema order), hidden ones left out. */
export function columnsOf(table: JsonSchema): Column[] {
  const items: JsonSchema = table.items ?? {};
  const required = new Set<string>(Array.isArray(items.required) ? items.required : []);
  return Object.entries<JsonSchema>(items.properties ?? {})
    .map(([name, prop], i) => ({ name, prop, title: prop.title ?? name, required: required.has(name), order: prop['x-order'] ?? 1000 + i }))
    .filter((c) => c.prop['x-widget'] !== 'hidden')
    .sort((a, b) => a.order - b.order)
    .map(({ order: _order, ...c }) => c);
}

/** The rows of a table value (anything that is not a row object shows as an empty row). */
export function rowsOf(value: unknown): Row[] {
  if (!Array.isArray(value)) return [];
  return value.map((r) => (r && typeof r === 'object' && !Array.isArray(r) ? (r as Row) : {}));
}

const filled = (v: unknown) => v !== undefined && v !== null && v !== '' && !(Array.isArray(v) && !v.length);

/** Whether a row holds anything (its removal is confirmed then). */
export const rowHasData = (row: Row): boolean => Object.values(row).some(filled);

/** A row with one cell set (an empty value removes the cell, as the form does for fields). */
export function withCell(row: Row, column: string, value: unknown): Row {
  const next = { ...row };
  if (filled(value)) next[column] = value;
  else delete next[column];
  return next;
}

/**
 * The columns one row asks for now, and which of them it requires: as the form does for fields
 * (model.ts evaluate), a column only a condition requires stays out while the condition does not
 * hold and the cell is empty, and so does one an absentWhen empties. Without hints, all of them.
 */
export function rowAsks(hints: RowHints | undefined, columns: Column[], row: Row): { asked: Set<string>; required: Set<string> } {
  const requiredNow = hints?.requiredNow(row) ?? new Set<string>();
  const absent = hints?.absentNow(row) ?? new Set<string>();
  const asked = new Set<string>();
  const required = new Set<string>();
  for (const c of columns) {
    const empty = !filled(row[c.name]);
    if (empty && ((hints?.conditional.has(c.name) && !requiredNow.has(c.name)) || absent.has(c.name))) continue;
    asked.add(c.name);
    if (c.required || requiredNow.has(c.name)) required.add(c.name);
  }
  return { asked, required };
}

/** A cell as read-only views show it: code labels, dates as stored. */
export const cellText = (c: Column, row: Row): string => displayValue(c.prop, row[c.name]);

/** A row in a few words for lists and confirmations: its first filled cells. */
export function rowSummary(columns: Column[], row: Row, max = 2): string {
  return columns.map((c) => cellText(c, row)).filter(Boolean).slice(0, max).join('，');
}
