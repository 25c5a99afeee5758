import type { JsonSchema } from '../config/types.js';
import type { SchemaCheck } from './validator.js';
import { fieldsRequiredAbsent } from './rules.js';

type Data = Record<string, unknown>;

/** Top-level fields that `required` may name: the root list and every if/then/else branch. */
export function requirableFields(schema: JsonSchema): Set<string> {
  const out = new Set<string>(schema.required ?? []);
  const visit = (s: JsonSchema | undefined) => {
    if (!s || typeof s !== 'object') return;
    for (const f of s.required ?? []) out.add(f);
    for (const k of ['then', 'else']) visit(s[k]);
    for (const sub of s.allOf ?? []) visit(sub);
  };
  for (const k of ['then', 'else']) visit(schema[k]);
  for (const sub of schema.allOf ?? []) visit(sub);
  return out;
}

/**
 * What a form shows about each field for the current data, derived from the same compiled
 * schema that validates it (so the required mark and the "required" error cannot disagree).
 */
export interface FormHints {
  /** Fields required right now: the root `required` and those an active if/then asks for. */
  requiredNow(data: Data): Set<string>;
  /** Fields an `absentWhen` rule says must stay empty for this data. */
  absentNow(data: Data): Set<string>;
  /** Fields that are only required under a condition (candidates to appear when it holds). */
  conditional: Set<string>;
  /** The same for one row of a child table (`table`, a top-level field): its columns instead of fields. */
  rowHints(table: string): RowHints;
}

/** What a child table's grid shows about each column of one row (the items' if/then and absentWhen). */
export interface RowHints {
  requiredNow(row: Data): Set<string>;
  absentNow(row: Data): Set<string>;
  conditional: Set<string>;
}

/**
 * A row's hints, from the same compiled schema: the row is validated alone inside an otherwise
 * empty record (its table's `items` apply to it as to any row), with every requirable column
 * emptied; the "required" errors at the row's pointer are the columns its conditions ask for now.
 */
function rowHintsOf(check: SchemaCheck, table: string, items: JsonSchema | undefined): RowHints {
  const requirable = items ? requirableFields(items) : new Set<string>();
  const always = new Set<string>(items?.required ?? []);
  const at = `/${table.replace(/~/g, '~0').replace(/\//g, '~1')}/0`;
  return {
    conditional: new Set([...requirable].filter((c) => !always.has(c))),
    requiredNow(row) {
      const probe: Data = {};
      for (const [k, v] of Object.entries(row)) if (!requirable.has(k)) probe[k] = v;
      check({ [table]: [probe] });
      const out = new Set<string>();
      for (const e of check.errors ?? []) {
        if (e.keyword === 'required' && e.instancePath === at) out.add((e.params as { missingProperty: string }).missingProperty);
      }
      return out;
    },
    absentNow: (row) => (items ? fieldsRequiredAbsent(items, row) : new Set()),
  };
}

export function formHints(check: SchemaCheck, schema: JsonSchema): FormHints {
  const requirable = requirableFields(schema);
  const always = new Set<string>(schema.required ?? []);
  const rows = new Map<string, RowHints>();
  return {
    rowHints(table) {
      let h = rows.get(table);
      if (!h) rows.set(table, (h = rowHintsOf(check, table, schema.properties?.[table]?.items)));
      return h;
    },
    conditional: new Set([...requirable].filter((f) => !always.has(f))),
    requiredNow(data) {
      // Ask the validator with every requirable field emptied: its "required" errors are the answer.
      const probe: Data = {};
      for (const [k, v] of Object.entries(data)) if (!requirable.has(k)) probe[k] = v;
      check(probe);
      const out = new Set<string>();
      for (const e of check.errors ?? []) {
        if (e.keyword === 'required' && e.instancePath === '') out.add((e.params as { missingProperty: string }).missingProperty);
      }
      return out;
    },
    absentNow: (data) => fieldsRequiredAbsent(schema, data),
  };
}
