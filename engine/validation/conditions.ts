import type { JsonSchema } from '../config/types.js';
import { requirableFields } from './form-hints.js';

type Data = Record<string, unknown>;
type Rule = { rule: string; field?: string; when?: Record<string, unknown> };

const present = (v: unknown) => v !== undefined && v !== null && v !== '';

/** The fields an if's condition reads: the properties it constrains and the ones it requires. */
function fieldsOfIf(s: JsonSchema | undefined): string[] {
  if (!s || typeof s !== 'object') return [];
  return [...new Set([...Object.keys(s.properties ?? {}), ...(s.required ?? [])])];
}

/**
 * Which fields each field's requirement depends on: the fields of the `if` whose `then`/`else`
 * requires it, and the `when` fields of an `absentWhen` rule about it. A field without
 * conditions is not in the map.
 */
export function conditionFields(schema: JsonSchema): Map<string, Set<string>> {
  const out = new Map<string, Set<string>>();
  const add = (field: string, conds: string[]) => {
    if (!conds.length) return;
    const set = out.get(field) ?? new Set<string>();
    for (const c of conds) if (c !== field) set.add(c);
    out.set(field, set);
  };
  const visit = (s: JsonSchema | undefined) => {
    if (!s || typeof s !== 'object') return;
    const conds = fieldsOfIf(s.if);
    for (const k of ['then', 'else']) for (const f of s[k]?.required ?? []) add(f, conds);
    for (const k of ['then', 'else']) visit(s[k]);
    for (const sub of s.allOf ?? []) visit(sub);
  };
  visit(schema);
  for (const r of (schema['x-rules'] ?? []) as Rule[]) {
    if (r.rule === 'absentWhen' && r.field) add(r.field, Object.keys(r.when ?? {}));
  }
  return out;
}

/**
 * Essential fields whose requirement does not apply to this data yet, so completeness does not ask
 * for them: a field only an if/then requires (when its condition holds, validation itself reports
 * it missing; when the condition field is still empty or says otherwise, it is not asked for), and
 * a field an `absentWhen` rule may empty while any of the rule's fields is still empty (its
 * condition cannot be judged yet: the condition field is asked for first).
 */
export function conditionPending(schema: JsonSchema): (data: Data) => Set<string> {
  const always = new Set<string>(schema.required ?? []);
  const onlyByIf = [...requirableFields(schema)].filter((f) => !always.has(f));
  const rules = ((schema['x-rules'] ?? []) as Rule[]).filter((r) => r.rule === 'absentWhen' && r.field);
  return (data) => {
    const out = new Set<string>(onlyByIf);
    for (const r of rules) if (Object.keys(r.when ?? {}).some((k) => !present(data[k]))) out.add(r.field!);
    return out;
  };
}

/**
 * The order in which a list of field errors is read: the form's order (x-order, then schema
 * order), a field that depends on a condition coming after the condition's own fields. Errors
 * about the whole record (path "") come first.
 */
export function fieldOrder(schema: JsonSchema): (path: string) => number {
  const rank = new Map<string, number>();
  Object.entries<JsonSchema>(schema.properties ?? {}).forEach(([name, p], i) => rank.set(name, p?.['x-order'] ?? 1000 + i));
  const conds = conditionFields(schema);
  const settled = new Map<string, number>();
  const rankOf = (f: string, seen = new Set<string>()): number => {
    if (settled.has(f)) return settled.get(f)!;
    let r = rank.get(f) ?? 1e9;
    seen.add(f);
    for (const c of conds.get(f) ?? []) if (!seen.has(c)) r = Math.max(r, rankOf(c, seen) + 0.5);
    settled.set(f, r);
    return r;
  };
  return (path) => (path === '' ? -1 : rankOf(path.split('/')[1] ?? ''));
}
