import type { JsonSchema } from '../config/types.js';
import { gb11643Parts } from './formats/gb11643.js';
import { checkDate, yearsBetween } from './formats/date.js';
import { fieldTitle } from './field-titles.js';
import type { FieldError } from './messages.js';

type Data = Record<string, unknown>;
type Rule = { rule: string; [k: string]: any };

const present = (v: unknown) => v !== undefined && v !== null && v !== '';
const isDate = (v: unknown): v is string => typeof v === 'string' && checkDate(v) === null;

/**
 * The cross-field rules of the config language (`x-rules` on the root schema). Each rule is
 * checked only when the fields it compares are present and well-formed on their own; the error
 * lands on the field a person would correct.
 */
const ruleChecks: Record<string, (r: Rule, d: Data, t: (f: string) => string) => FieldError | null> = {
  dateOrder(r, d, t) {
    const a = d[r.before], b = d[r.after];
    if (!isDate(a) || !isDate(b) || a < b) return null;
    return { path: `/${r.after}`, message: `「${t(r.after)}」应晚于「${t(r.before)}」` };
  },
  minAge(r, d, t) {
    const birth = d[r.birth], at = d[r.at];
    if (!isDate(birth) || !isDate(at) || (yearsBetween(birth, at) ?? 0) >= r.years) return null;
    return { path: `/${r.at}`, message: `「${t(r.at)}」时应年满${r.years}周岁（「${t(r.birth)}」为${birth}）` };
  },
  idAgrees(r, d, t) {
    const parts = typeof d[r.id] === 'string' ? gb11643Parts(d[r.id] as string) : null;
    if (!parts) return null;
    if (isDate(d[r.birthDate]) && d[r.birthDate] !== parts.birthDate) {
      return { path: `/${r.birthDate}`, message: `「${t(r.birthDate)}」与「${t(r.id)}」中的出生日期（${parts.birthDate}）不一致` };
    }
    const sex = d[r.sex];
    if (present(sex) && (sex === r.male || sex === r.female) && (sex === r.male) !== parts.male) {
      return { path: `/${r.sex}`, message: `「${t(r.sex)}」与「${t(r.id)}」的性别位不一致` };
    }
    return null;
  },
  absentWhen(r, d, t) {
    const applies = Object.entries(r.when ?? {}).every(([k, v]) => d[k] === v);
    if (!applies || !present(d[r.field])) return null;
    const cond = Object.keys(r.when).map((k) => `「${t(k)}」`).join('、');
    return { path: `/${r.field}`, message: `按${cond}的取值，「${t(r.field)}」应为空` };
  },
  sliceEquals(r, d, t) {
    const whole = d[r.field], part = d[r.equals];
    if (typeof whole !== 'string' || typeof part !== 'string' || !whole || !part) return null;
    if (whole.slice(r.start, r.end) === part) return null;
    return { path: `/${r.equals}`, message: `「${t(r.equals)}」应与「${t(r.field)}」第${r.start + 1}–${r.end}位（${whole.slice(r.start, r.end)}）一致` };
  },
};

export const knownRules = Object.keys(ruleChecks);

/** Fields a rule says must stay empty for this data (so completeness does not ask for them). */
export function fieldsRequiredAbsent(schema: JsonSchema, data: Data): Set<string> {
  const out = new Set<string>();
  for (const r of (schema['x-rules'] ?? []) as Rule[]) {
    if (r.rule === 'absentWhen' && Object.entries(r.when ?? {}).every(([k, v]) => data[k] === v)) out.add(r.field);
  }
  return out;
}

export function checkRules(schema: JsonSchema, data: Data): FieldError[] {
  const t = (f: string) => fieldTitle(schema, `/${f}`);
  const out: FieldError[] = [];
  for (const r of (schema['x-rules'] ?? []) as Rule[]) {
    const check = ruleChecks[r.rule];
    if (!check) throw new Error(`未知的规则 "${r.rule}"`);
    const err = check(r, data, t);
    if (err) out.push(err);
  }
  return out;
}
