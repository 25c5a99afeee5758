import type { JsonSchema } from '../config/types.js';
import { TRANSFORM, transformOf } from './transform.js';

/** The keyword the engine adds to every text field (ajv.ts compiles it; messages.ts words it). */
export const PLAIN_TEXT = 'x-plainText';
/** The schema keyword a field sets to take control and bidi characters after all (forms/README.md). */
export const ALLOW_CONTROL_CHARS = 'x-allowControlChars';

/** Where subschemas sit in a schema: a map of them, a list of them, or one. */
const MAPS = ['properties', 'patternProperties', '$defs', 'definitions', 'dependentSchemas'];
const LISTS = ['allOf', 'anyOf', 'oneOf', 'prefixItems'];
const ONES = ['items', 'additionalProperties', 'contains', 'not', 'if', 'then', 'else'];

const isSchema = (v: unknown): v is JsonSchema => !!v && typeof v === 'object' && !Array.isArray(v);
const isText = (s: JsonSchema) => s.type === 'string' || (Array.isArray(s.type) && s.type.includes('string'));

/**
 * The schema as it is compiled: a field whose format normalises its input (an identifier code:
 * upper case) gets that `x-transform`; every text field (`type` string) refuses control and bidi
 * characters (formats/plain-text.ts) unless it says `"x-allowControlChars": true`; a multi-line
 * field (`"x-widget": "textarea"`) keeps tab and line breaks. An engine-wide default rather than
 * a line in every schema, applied where the server compiles and where the browser module is
 * generated, so both run the same rule. The schema given is not changed.
 */
export function withTextRule(schema: JsonSchema): JsonSchema {
  if (!isSchema(schema)) return schema;
  const out: JsonSchema = { ...schema };
  for (const k of MAPS) {
    if (isSchema(out[k])) out[k] = Object.fromEntries(Object.entries<JsonSchema>(out[k]).map(([n, s]) => [n, withTextRule(s)]));
  }
  for (const k of LISTS) if (Array.isArray(out[k])) out[k] = out[k].map(withTextRule);
  for (const k of ONES) if (isSchema(out[k])) out[k] = withTextRule(out[k]);
  if (isText(out) && out[ALLOW_CONTROL_CHARS] !== true && !(PLAIN_TEXT in out)) {
    out[PLAIN_TEXT] = out['x-widget'] === 'textarea' ? 'lines' : 'line';
  }
  // The normalisation a format implies (transform.ts) is compiled like one written in the schema.
  const transform = transformOf(out);
  if (transform && !(TRANSFORM in out)) out[TRANSFORM] = transform;
  return out;
}
