import type { JsonSchema } from '../config/types.js';
import { validatorFromCheck, type RecordValidator, type SchemaCheck } from './validator.js';
import { formHints, type FormHints } from './form-hints.js';
import { normalizeValue } from './transform.js';

/** What the browser module of a collection exports (see standalone.ts). */
export interface BrowserValidator extends RecordValidator, FormHints {
  schema: JsonSchema;
  /** A field's input as the server will take it (x-transform, e.g. upper case): the form applies it as the user types. */
  normalize(field: string, value: unknown): unknown;
}

/** The record validator and form hints around a standalone-compiled schema. */
export function browserValidator(check: SchemaCheck, schema: JsonSchema): BrowserValidator {
  return {
    schema, ...validatorFromCheck(check, schema), ...formHints(check, schema),
    normalize: (field, value) => normalizeValue(schema.properties?.[field], value),
  };
}
