import type { JsonSchema } from '../config/types.js';
import type { FieldError } from './messages.js';

interface CodeInfo { code: string; label: string; deprecated?: string; replacedBy?: string[] }

/** Deprecated codes held by the record's top-level code fields: {field, entry, replacements}. */
export function deprecatedCodesIn(schema: JsonSchema, data: Record<string, unknown>) {
  const found: { field: string; entry: CodeInfo; replacements: CodeInfo[] }[] = [];
  for (const [field, prop] of Object.entries<JsonSchema>(schema.properties ?? {})) {
    const codes = prop['x-codes'] as CodeInfo[] | undefined;
    const value = data[field];
    if (!codes || typeof value !== 'string') continue;
    const entry = codes.find((c) => c.code === value);
    if (!entry?.deprecated) continue;
    const replacements = (entry.replacedBy ?? []).map((code) => codes.find((c) => c.code === code) ?? { code, label: code });
    found.push({ field, entry, replacements });
  }
  return found;
}

export function deprecatedMessage(title: string, entry: CodeInfo, replacements: CodeInfo[]): string {
  const choices = replacements.map((c) => `${c.label}（${c.code}）`).join('、');
  return `「${title}」的代码“${entry.label}（${entry.code}）”已停用${choices ? `，请改选：${choices}` : ''}`;
}

/**
 * A deprecated code may stay on a record that already held it, but is refused as new input:
 * the value is new when there is no previous record or the previous value differs.
 */
export function checkDeprecatedCodes(schema: JsonSchema, data: Record<string, unknown>, previous?: Record<string, unknown>): FieldError[] {
  return deprecatedCodesIn(schema, data)
    .filter(({ field }) => !previous || previous[field] !== data[field])
    .map(({ field, entry, replacements }) => ({
      path: `/${field}`,
      message: deprecatedMessage(schema.properties[field].title ?? field, entry, replacements),
    }));
}
