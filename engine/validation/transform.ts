import type { JsonSchema } from '../config/types.js';
import { formatTransforms } from './formats/index.js';

/**
 * The schema keyword that normalises a text field's input before it is checked and stored
 * (forms/README.md): `"x-transform": "upperCase"`. Identifier formats declare it themselves
 * (formats/index.ts), so a lower-case registration code is taken as upper case everywhere: on every server
 * write (the compiled schema applies it in place, see ajv.ts), in workflow payloads, and in the
 * browser form as the user types. Browser-safe: no Node APIs.
 */
export const TRANSFORM = 'x-transform';

/** The transforms a schema may name. */
export const transforms: Record<string, (s: string) => string> = {
  upperCase: (s) => s.toUpperCase(),
};

/** The transform a property asks for: its own x-transform, else its format's. */
export function transformOf(prop: JsonSchema | undefined): string | undefined {
  if (!prop || typeof prop !== 'object') return undefined;
  if (typeof prop[TRANSFORM] === 'string') return prop[TRANSFORM];
  return typeof prop.format === 'string' ? formatTransforms[prop.format] : undefined;
}

/** A value as the named transform leaves it (anything but a string is left alone). */
export function applyTransform(value: unknown, name: string): unknown {
  const fn = transforms[name];
  return typeof value === 'string' && fn ? fn(value) : value;
}

/** One field's value normalised as its schema says (the form calls it on input). */
export function normalizeValue(prop: JsonSchema | undefined, value: unknown): unknown {
  const name = transformOf(prop);
  return name ? applyTransform(value, name) : value;
}

/**
 * A copy of a record (or of some of its fields, e.g. a lookup's one key) with every top-level
 * field normalised as the collection's schema says — the same result the server's validation
 * leaves in the data it checks, for code that needs the value before validating.
 */
export function normalizeInput<T extends Record<string, unknown>>(schema: JsonSchema, data: T): T {
  const out: Record<string, unknown> = { ...data };
  for (const [k, v] of Object.entries(out)) out[k] = normalizeValue(schema.properties?.[k], v);
  return out as T;
}
