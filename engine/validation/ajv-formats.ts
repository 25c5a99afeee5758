import { formatChecks } from './formats/index.js';

/** ajv format definitions built from the shared format checks (server ajv and browser code alike). */
export const ajvFormats = Object.fromEntries(
  Object.entries(formatChecks).map(([name, check]) => [name, { type: 'string' as const, validate: (v: string) => check(v) === null }]),
);
