import type { UniqueKey } from '../../config/types.js';

/*
 * A unique key as every adapter stores it: named by its fields, valued by the JSON of their values.
 */

/** How a unique key is named in the unique_keys table: its fields joined by '+'. */
export const keyName = (k: UniqueKey) => k.fields.join('+');

/** The stored value of a key for a document, or null when one of its fields is empty (no key then). */
export const keyValue = (k: UniqueKey, data: Record<string, unknown>) => {
  const parts = k.fields.map((f) => data[f]);
  return parts.some((p) => p === undefined || p === null || p === '') ? null : JSON.stringify(parts);
};

/** The [key name, value] pairs a document holds, as a record write stores them. */
export const keyEntries = (keys: UniqueKey[], data: Record<string, unknown>): [string, string][] =>
  keys.flatMap((k) => {
    const value = keyValue(k, data);
    return value === null ? [] : [[keyName(k), value] as [string, string]];
  });
