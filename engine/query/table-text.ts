import type { Collection, JsonSchema } from '../config/types.js';
import { rowWords } from '../workflow/history.js';
import { valueText } from '../audit/describe.js';

/** Between two rows of a table column: 「；」, and each row on a line of its own (the xlsx cell wraps, the page keeps the breaks). */
export const ROW_SEPARATOR = '；\n';

/**
 * A child-table field of a record as a query column shows it, on the page and in the workbook
 * alike: its rows in words, joined by ROW_SEPARATOR; '' when it has no rows. A table column shows
 * what a person reads, never the stored objects ([object Object], JSON with bare codes).
 */
export function tableText(collection: Collection, field: string, rows: unknown): string {
  const table = collection.schema.properties?.[field] as JsonSchema | undefined;
  if (!table || !Array.isArray(rows)) return '';
  return rows.map((r) => rowWords(table, r, (column, v) => valueText(column, v, (id) => id))).join(ROW_SEPARATOR);
}
