import { knownRules } from '../../validation/rules.js';
import type { ConfigCheck } from './types.js';

/** Field names a rule refers to, by rule kind. */
const ruleFields: Record<string, string[]> = {
  dateOrder: ['before', 'after'], minAge: ['birth', 'at'], idAgrees: ['id', 'birthDate', 'sex'],
  absentWhen: ['field'], sliceEquals: ['field', 'equals'],
};

/**
 * Fields named by the conditions of a schema (`if`/`then`/`else`, at the top or inside `allOf`,
 * `anyOf`, `oneOf`) that the schema does not have: JSON Schema accepts them, but a required-if
 * naming a missing field makes every matching record impossible to save.
 */
function conditionFields(schema: Record<string, any>, props: Record<string, unknown>, at: string, out: string[]) {
  for (const part of ['if', 'then', 'else']) {
    const s = schema[part];
    if (!s || typeof s !== 'object') continue;
    (Array.isArray(s.required) ? s.required : []).forEach((f: unknown, i: number) => {
      if (!props[f as string]) out.push(`${at}/${part}/required/${i}: 字段 "${String(f)}" 不存在`);
    });
    for (const f of Object.keys(s.properties ?? {})) if (!props[f]) out.push(`${at}/${part}/properties/${f}: 字段 "${f}" 不存在`);
  }
  for (const list of ['allOf', 'anyOf', 'oneOf']) {
    (Array.isArray(schema[list]) ? schema[list] : []).forEach((s: any, i: number) => s && typeof s === 'object' && conditionFields(s, props, `${at}/${list}/${i}`, out));
  }
}

/** A list of x-rules names known rules and fields of `props` (a form's fields, or a child table's columns). */
export function checkRuleList(rules: unknown, props: Record<string, unknown>, at: string, out: string[]) {
  ((Array.isArray(rules) ? rules : []) as any[]).forEach((r, i) => {
    const where = `${at}/x-rules/${i}`;
    if (!knownRules.includes(r?.rule)) {
      out.push(`${where}: 未知的规则 "${r?.rule}"（可用：${knownRules.join('、')}）`);
      return;
    }
    for (const key of ruleFields[r.rule] ?? []) if (!props[r[key]]) out.push(`${where}/${key}: 字段 "${r[key]}" 不存在`);
    for (const key of Object.keys(r.when ?? {})) if (!props[key]) out.push(`${where}/when: 字段 "${key}" 不存在`);
  });
}

/** x-rules name known rules and existing fields; conditions name existing fields (a child table's: its columns). */
export const schemaRulesCheck: ConfigCheck = (app) => {
  const out: string[] = [];
  for (const c of app.collections.values()) {
    const props = c.rawSchema.properties ?? {};
    conditionFields(c.rawSchema, props, `forms/${c.schemaFile}: `, out);
    checkRuleList(c.rawSchema['x-rules'], props, `forms/${c.schemaFile}: `, out);
    for (const [name, p] of Object.entries<any>(props)) {
      const items = p?.type === 'array' && p.items?.type === 'object' ? p.items : null;
      if (!items) continue;
      conditionFields(items, items.properties ?? {}, `forms/${c.schemaFile}: /properties/${name}/items`, out);
      checkRuleList(items['x-rules'], items.properties ?? {}, `forms/${c.schemaFile}: /properties/${name}/items`, out);
    }
  }
  return out;
};
