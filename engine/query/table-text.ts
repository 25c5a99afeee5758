import type { Collection, JsonSchema } from '../config/types.js';
import { inSchemaOrder } from '../workflow/history.js';
import { valueText } from '../audit/describe.js';

/** Between two rows of a table column: 「；」, and each row on a line of its own (the xlsx cell wraps, the page keeps the breaks). */
export const ROW_SEPARATOR = '；\n';

/**
 * One row of a child table whole in words, as the history puts an added row (rowChangeLines):
 * its filled cells in the form's order by column title, values as the audit words them (code
 * labels, 已停用 marked; 是/否) — <column title> <value>、<column title> <code label>、….
 */
function rowWords(table: JsonSchema, row: unknown): string {
  const columns: Record<string, JsonSchema> = table.items?.properties ?? {};
  const cells = row && typeof row === 'object' && !Array.isArray(row) ? (row as Record<string, unknown>) : {};
  return inSchemaOrder(cells, columns)
    .map(([c, v]) => [columns[c]?.title ?? c, valueText(columns[c], v, (id) => id)] as const)
    .filter(([, text]) => text)
    .map(([title, text]) => `${title} ${text}`)
    .join('、') || '（空行）';
}

/**
 * A child-table field of a record as a query column shows it, on the page and in the workbook
 * alike: its rows in words, joined by ROW_SEPARATOR; '' when it has no rows. A table column shows
 * what a person reads, never the stored objects ([object Object], JSON with bare codes).
 */
export function tableText(collection: Collection, field: string, rows: unknown): string {
  const table = collection.schema.properties?.[field] as JsonSchema | undefined;
  if (!table || !Array.isArray(rows)) return '';
  return rows.map((r) => rowWords(table, r)).join(ROW_SEPARATOR);
}
