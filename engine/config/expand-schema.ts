import type { CodeTable, JsonSchema } from './types.js';

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
      label: c.label,
      ...(c.parent ? { parent: c.parent } : {}),
      ...(c.deprecated ? { deprecated: c.deprecated, replacedBy: c.replacedBy ?? [] } : {}),
      ...(c.provisional ? { provisional: true } : {}),
    }));
    out['x-codeTableVersion'] = table.version;
  }
  return out;
}
