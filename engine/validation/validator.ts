import type { JsonSchema } from '../config/types.js';
import type { Ajv } from './ajv.js';
import type { ErrorObject } from 'ajv';
import { toFieldErrors, type FieldError } from './messages.js';
import { checkRules, fieldsRequiredAbsent } from './rules.js';
import { checkDeprecatedCodes, deprecatedCodesIn, deprecatedMessage } from './deprecated-codes.js';
import { fieldLabel, isChildTable } from './field-titles.js';
import { checkTableRules, missingEssentialCells } from './table-rules.js';
import { withTextRule } from './text-rule.js';
import { conditionPending, fieldOrder } from './conditions.js';

export type { FieldError };

export interface RecordValidator {
  /** Errors that stop a save: schema, formats, cross-field rules, newly entered deprecated codes. */
  validate(data: unknown, previous?: Record<string, unknown>): FieldError[];
  /** Essential fields that are still empty (each as a "为必填项" error). */
  missingEssentials(data: Record<string, unknown>): FieldError[];
  /**
   * Everything that keeps the record from being complete: save errors, missing essentials, and
   * deprecated codes even if stored earlier (they must be re-entered before submission).
   */
  completenessErrors(data: Record<string, unknown>): FieldError[];
  /**
   * Whether data that has just passed validate() is complete: no essential field empty and no
   * deprecated code kept. The same answer as completenessErrors() without validating again.
   */
  completeOnceValid(data: Record<string, unknown>): boolean;
}

const empty = (v: unknown) => v === undefined || v === null || v === '';

/** A compiled schema: ajv's validate function, compiled in place or loaded as standalone code. */
export type SchemaCheck = ((data: unknown) => boolean) & { errors?: ErrorObject[] | null };

/** Compiles one collection's (expanded) schema into its validator. */
export function compileValidator(ajv: Ajv, schema: JsonSchema): RecordValidator {
  return validatorFromCheck(ajv.compile(withTextRule(schema)), schema);
}

/** The validator around a compiled schema (server: ajv.compile; browser: standalone module). */
export function validatorFromCheck(check: SchemaCheck, schema: JsonSchema): RecordValidator {
  const essentials = Object.entries<JsonSchema>(schema.properties ?? {})
    .filter(([, p]) => p['x-essential'])
    .map(([name]) => name);
  const pending = conditionPending(schema);
  const order = fieldOrder(schema);

  const validate = (data: unknown, previous?: Record<string, unknown>): FieldError[] => {
    if (!data || typeof data !== 'object' || Array.isArray(data)) return [{ path: '', message: '记录应为一个JSON对象' }];
    const errors = check(data) ? [] : toFieldErrors(check.errors, schema);
    const record = data as Record<string, unknown>;
    const failed = new Set(errors.map((e) => e.path));
    // Cross-field rules speak only about fields that are individually valid.
    const rules = [...checkRules(schema, record), ...checkTableRules(schema, record)].filter((e) => !failed.has(e.path));
    return [...errors, ...rules, ...checkDeprecatedCodes(schema, record, previous)];
  };

  // An essential child table wants at least one row.
  const tables = new Set(Object.entries<JsonSchema>(schema.properties ?? {}).filter(([, p]) => isChildTable(p)).map(([k]) => k));
  const blank = (f: string, v: unknown) => empty(v) || (tables.has(f) && Array.isArray(v) && v.length === 0);

  // An essential field under a condition is asked for only once its condition holds
  // (conditions.ts): while 是否失联 is empty, 失联日期 is not missing, 是否失联 is.
  const missingEssentials = (data: Record<string, unknown>): FieldError[] => {
    const absent = fieldsRequiredAbsent(schema, data);
    const notYet = pending(data);
    return [
      ...essentials
        .filter((f) => blank(f, data[f]) && !absent.has(f) && !notYet.has(f))
        .map((f) => ({ path: `/${f}`, message: `${fieldLabel(schema, `/${f}`)}为必填项` })),
      ...missingEssentialCells(schema, data),
    ];
  };

  return {
    validate,
    missingEssentials,
    completenessErrors(data) {
      const stale = deprecatedCodesIn(schema, data).map(({ path, entry, replacements }) => ({
        path,
        message: deprecatedMessage(fieldLabel(schema, path), entry, replacements),
      }));
      const all = [...validate(data, data), ...missingEssentials(data), ...stale];
      const seen = new Set<string>();
      const once = all.filter((e) => !seen.has(e.path + e.message) && !!seen.add(e.path + e.message));
      // In the form's order, a condition's own field before the fields that depend on it.
      return once.map((e, i) => ({ e, i, r: order(e.path) })).sort((a, b) => a.r - b.r || a.i - b.i).map(({ e }) => e);
    },
    // What validate() passed stays valid against the stored data itself (previous = data only
    // lets kept codes through), so only essentials and kept deprecated codes are left to check.
    completeOnceValid: (data) => missingEssentials(data).length === 0 && deprecatedCodesIn(schema, data).length === 0,
  };
}
