import type { JsonSchema } from '../config/types.js';
import type { FieldError } from './messages.js';
import { fieldLabel, isChildTable } from './field-titles.js';
import { checkRules, fieldsRequiredAbsent } from './rules.js';
import { conditionPending } from './conditions.js';

type Data = Record<string, unknown>;
type Row = Record<string, unknown>;

/**
 * One entry of a child table's `x-uniqueBy` (forms/README.md): a column name — no two rows hold
 * the same value in it — or `{column, among, label?}` — at most one row holds any of the values
 * `among` (e.g. one 配偶: relation among 10 配偶, 11 夫, 12 妻).
 */
export type UniqueBy = string | { column: string; among?: unknown[]; label?: string };

export const UNIQUE_BY = 'x-uniqueBy';

const empty = (v: unknown) => v === undefined || v === null || v === '';
const isRow = (r: unknown): r is Row => !!r && typeof r === 'object' && !Array.isArray(r);
const cell = (row: Row, column: string) => (Object.hasOwn(row, column) ? row[column] : undefined);

/** A schema's child tables, found once per (immutable, compiled) schema: every record asks, twice per import line. */
const tablesOf = new WeakMap<JsonSchema, [string, JsonSchema][]>();

/** The child tables of a schema, with their rows in this data (only rows that are objects). */
function tablesIn(schema: JsonSchema, data: Data) {
  let tables = tablesOf.get(schema);
  if (!tables) tablesOf.set(schema, (tables = Object.entries<JsonSchema>(schema.properties ?? {}).filter(([, prop]) => isChildTable(prop))));
  return tables
    .filter(([field]) => Array.isArray(data[field]))
    .map(([field, prop]) => ({ field, prop, rows: (data[field] as unknown[]).map((r, i) => ({ i, row: r })).filter((r): r is { i: number; row: Row } => isRow(r.row)) }));
}

/** The words for the values an `among` filter counts as one kind: its label, else the codes' labels. */
function kindLabel(u: Exclude<UniqueBy, string>, column: JsonSchema | undefined): string {
  if (u.label) return u.label;
  const codes = (column?.['x-codes'] ?? []) as { code: string; label: string }[];
  return (u.among ?? []).map((v) => codes.find((c) => c.code === v)?.label ?? String(v)).join('、');
}

/** x-uniqueBy: the second and later rows repeating a value are the ones to correct. */
function uniqueErrors(schema: JsonSchema, field: string, prop: JsonSchema, rows: { i: number; row: Row }[]): FieldError[] {
  const out: FieldError[] = [];
  for (const u of (prop[UNIQUE_BY] ?? []) as UniqueBy[]) {
    const rule = typeof u === 'string' ? { column: u } : u;
    const firstRow = new Map<string, number>();
    for (const { i, row } of rows) {
      const v = cell(row, rule.column);
      if (empty(v) || (rule.among && !rule.among.includes(v))) continue;
      const key = rule.among ? '' : JSON.stringify(v);
      const first = firstRow.get(key);
      if (first === undefined) { firstRow.set(key, i); continue; }
      const path = `/${field}/${i}/${rule.column}`;
      const message = typeof u === 'string' || !rule.among
        ? `${fieldLabel(schema, path)}与第${first + 1}行重复`
        : `${fieldLabel(schema, path)}：只能有一行为${kindLabel(rule, prop.items.properties?.[rule.column])}（第${first + 1}行已是）`;
      out.push({ path, message });
    }
  }
  return out;
}

/**
 * The child tables' rules beyond what the compiled schema checks: x-uniqueBy, and x-rules written
 * in `items`, checked row by row (the error lands on the row's cell, the message names the row).
 */
export function checkTableRules(schema: JsonSchema, data: Data): FieldError[] {
  const out: FieldError[] = [];
  for (const { field, prop, rows } of tablesIn(schema, data)) {
    out.push(...uniqueErrors(schema, field, prop, rows));
    if (!prop.items['x-rules']) continue;
    for (const { i, row } of rows) {
      for (const e of checkRules(prop.items, row)) {
        const rowLabel = fieldLabel(schema, `/${field}/${i}`);
        out.push({ path: `/${field}/${i}${e.path}`, message: `${rowLabel}${e.message.startsWith('「') ? '' : '：'}${e.message}` });
      }
    }
  }
  return out;
}

/**
 * Essential columns (x-essential inside items) left empty in rows that exist: they keep the record
 * incomplete. As for fields, a column is asked for only once its row's condition holds: one only
 * an if/then in items requires is left to validation (which reports it when the condition holds),
 * one an absentWhen may empty waits for the rule's columns (conditions.ts).
 */
export function missingEssentialCells(schema: JsonSchema, data: Data): FieldError[] {
  const out: FieldError[] = [];
  for (const { field, prop, rows } of tablesIn(schema, data)) {
    const essentials = Object.entries<JsonSchema>(prop.items.properties ?? {}).filter(([, c]) => c['x-essential']).map(([c]) => c);
    if (!essentials.length) continue;
    const pending = conditionPending(prop.items);
    for (const { i, row } of rows) {
      const notYet = pending(row);
      const absent = fieldsRequiredAbsent(prop.items, row);
      for (const c of essentials) {
        if (empty(cell(row, c)) && !notYet.has(c) && !absent.has(c)) out.push({ path: `/${field}/${i}/${c}`, message: `${fieldLabel(schema, `/${field}/${i}/${c}`)}为必填项` });
      }
    }
  }
  return out;
}
