/**
 * What generated standalone validation code calls at run time (imported by it as
 * STANDALONE_RUNTIME, see ajv.ts): the engine's formats and keyword functions.
 */
export { ajvFormats as formats } from './ajv-formats.js';
export { isFutureDate } from './formats/date.js';
export { hasForbiddenChar } from './formats/plain-text.js';
export { applyTransform } from './transform.js';
