/**
 * The string formats a schema can name with `"format": …`, each a pure check returning null when
 * valid or a short Chinese reason (the caller prefixes the field title). Shared by the server
 * validator and the browser bundle, so no Node-only APIs here.
 */
import { checkDate } from './date.js';
import { checkGb11643 } from './gb11643.js';
import { checkGb11714 } from './gb11714.js';
import { checkGb32100 } from './gb32100.js';
import { checkMobile, checkPhone } from './phone.js';

/** Format name → check; the registry the ajv format setup and the UI both read. */
export const formatChecks: Record<string, (v: string) => string | null> = {
  date: checkDate,
  gb11643: checkGb11643,
  gb32100: checkGb32100,
  gb11714: checkGb11714,
  mobile: checkMobile,
  phone: checkPhone,
};

/**
 * Formats whose values are normalised before they are checked (the `x-transform` they imply,
 * see transform.ts): the GB identifier codes are upper case, so `91110106l03740867a` or an identity number
 * ending in x is taken as its upper-case form rather than refused.
 */
export const formatTransforms: Record<string, string> = {
  gb11643: 'upperCase',
  gb32100: 'upperCase',
  gb11714: 'upperCase',
};
