import { knownRules } from '../../validation/rules.js';
import type { ConfigCheck } from './types.js';

/** Field names a rule refers to, by rule kind. */
const ruleFields: Record<string, string[]> = {
  dateOrder: ['before', 'after'], minAge: ['birth', 'at'], idAgrees: ['id', 'birthDate', 'sex'],
  absentWhen: ['field'], sliceEquals: ['field', 'equals'],
};

/** x-rules name known rules and existing fields; x-essential, x-order sit on real properties. */
export const schemaRulesCheck: ConfigCheck = (app) => {
  const out: string[] = [];
  for (const c of app.collections.values()) {
    const props = c.rawSchema.properties ?? {};
    ((c.rawSchema['x-rules'] ?? []) as any[]).forEach((r, i) => {
      const at = `forms/${c.schemaFile}: /x-rules/${i}`;
      if (!knownRules.includes(r?.rule)) {
        out.push(`${at}: 未知的规则 "${r?.rule}"（可用：${knownRules.join('、')}）`);
        return;
      }
      for (const key of ruleFields[r.rule] ?? []) if (!props[r[key]]) out.push(`${at}/${key}: 字段 "${r[key]}" 不存在`);
      for (const key of Object.keys(r.when ?? {})) if (!props[key]) out.push(`${at}/when: 字段 "${key}" 不存在`);
    });
  }
  return out;
};
