import type { CodeEntry, CodeTable, JsonSchema } from './types.js';

/** What is shown and printed in place of a label the code table marks as not official yet. */
export const PENDING_LABEL = '名称待核实';

/**
 * A code's label as users see it: a row marked `labelPending` (its official name is not known,
 * the file's label is only the config admin's working note) shows the neutral 「名称待核实」 in
 * forms, lists, imports, exports and every print, never an invented name on a signed sheet.
 */
export const shownLabel = (c: CodeEntry): string => (c.labelPending ? PENDING_LABEL : c.label);

/**
 * Replaces every `x-codeTable` reference with the table's codes: `enum` (all codes, deprecated
 * ones included, so stored records stay valid) for validation, and `x-codes` (label, deprecation,
 * replacements) for the UI. Throws naming the property when a table is missing.
 */
export function expandCodeTables(schema: JsonSchema, codes: Map<string, CodeTable>, where = '#'): JsonSchema {
  if (Array.isArray(schema)) return schema.map((s, i) => expandCodeTables(s, codes, `${where}/${i}`)) as unknown as JsonSchema;
  if (!schema || typeof schema !== 'object') return schema;
  const out: JsonSchema = {};
  for (const [key, value] of Object.entries(schema)) {
    out[key] = value && typeof value === 'object' ? expandCodeTables(value, codes, `${where}/${key}`) : value;
  }
  const tableName = schema['x-codeTable'];
  if (typeof tableName === 'string') {
    const table = codes.get(tableName);
    if (!table) throw new Error(`${where}: 代码表 "${tableName}" 不存在`);
    out.enum = table.codes.map((c) => c.code);
    out['x-codes'] = table.codes.map((c) => ({
      code: c.code,
      label: shownLabel(c),
      ...(c.parent ? { parent: c.parent } : {}),
      ...(c.deprecated ? { deprecated: c.deprecated, replacedBy: c.replacedBy ?? [] } : {}),
      ...(c.provisional ? { provisional: true } : {}),
      ...(c.labelPending ? { labelPending: true } : {}),
    }));
    out['x-codeTableVersion'] = table.version;
  }
  return out;
}
