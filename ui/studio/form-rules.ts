/**
 * The conditional rules of a schema in words, and the rule the designer edits as a form:
 * "当【A】为「v」时，【B】必填" — the `allOf` entry
 * `{if: {properties: {A: {const: v}}, required: [A]}, then: {required: [B…]}}` (forms/README.md).
 * Every other if/then and every `x-rules` entry is shown as a sentence too; those are edited in the
 * JSON view.
 */
import type { Json } from './form-schema.js';

export interface RequiredWhen {
  field: string;
  value: string | number | boolean;
  then: string[];
}

/** The entry as a required-when-equals rule, or null when it has another form. */
export function requiredWhenOf(entry: Json): RequiredWhen | null {
  const props = entry?.if?.properties;
  const keys = props && typeof props === 'object' ? Object.keys(props) : [];
  if (keys.length !== 1 || !entry.then || Object.keys(entry.then).join() !== 'required' || entry.else !== undefined) return null;
  const field = keys[0];
  const cond = props[field];
  if (!cond || Object.keys(cond).join() !== 'const' || !['string', 'number', 'boolean'].includes(typeof cond.const)) return null;
  const extra = Object.keys(entry.if).filter((k) => k !== 'properties' && k !== 'required');
  if (extra.length || (entry.if.required && JSON.stringify(entry.if.required) !== JSON.stringify([field]))) return null;
  if (!Array.isArray(entry.then.required) || !entry.then.required.every((x: unknown) => typeof x === 'string')) return null;
  return { field, value: cond.const, then: entry.then.required };
}

export function requiredWhenEntry(r: RequiredWhen): Json {
  return { if: { properties: { [r.field]: { const: r.value } }, required: [r.field] }, then: { required: r.then } };
}

/** How the sentences name fields and values. */
export interface Namer {
  title(field: string): string;
  /** A value of a field in words (是/否, a code's label). */
  value(field: string, value: unknown): string;
}

const f = (n: Namer, field: string) => `【${n.title(field)}】`;
const v = (n: Namer, field: string, value: unknown) => `「${n.value(field, value)}」`;
const list = (n: Namer, fields: string[]) => fields.map((x) => f(n, x)).join('、');

/** A condition (an if's properties) in words: 【A】为「v」且【B】不为空 … */
function conditionWords(n: Namer, cond: Json): string | null {
  const props = cond?.properties ?? {};
  const parts: string[] = [];
  for (const [field, test] of Object.entries<Json>(props)) {
    if ('const' in test) parts.push(`${f(n, field)}为${v(n, field, test.const)}`);
    else if (Array.isArray(test.enum)) parts.push(`${f(n, field)}为${test.enum.map((x: unknown) => v(n, field, x)).join('或')}`);
    else if (test.not && 'const' in test.not) parts.push(`${f(n, field)}不为${v(n, field, test.not.const)}`);
    else return null;
  }
  for (const field of cond?.required ?? []) if (!(field in props)) parts.push(`${f(n, field)}已填`);
  return parts.length ? parts.join('且') : null;
}

/** One allOf entry in words (null: no sentence for it, the JSON view shows it). */
export function conditionalSentence(n: Namer, entry: Json): string | null {
  if (!entry?.if) return null;
  const when = conditionWords(n, entry.if);
  const req = entry.then?.required;
  if (!when || !Array.isArray(req) || Object.keys(entry.then).length !== 1) return null;
  const then = `当${when}时，${list(n, req)}必填`;
  if (entry.else === undefined) return then;
  const elseReq = entry.else?.required;
  return Array.isArray(elseReq) && Object.keys(entry.else).length === 1 ? `${then}；否则${list(n, elseReq)}必填` : null;
}

/** One x-rules entry in words (the vocabulary of forms/README.md). */
export function xRuleSentence(n: Namer, r: Json): string {
  switch (r?.rule) {
    case 'dateOrder': return `${f(n, r.before)}与${f(n, r.after)}都填写时，${f(n, r.before)}须早于${f(n, r.after)}`;
    case 'minAge': return `按${f(n, r.birth)}计算，到${f(n, r.at)}时须年满 ${r.years} 周岁`;
    case 'idAgrees': return `${f(n, r.id)}中的出生日期须与${f(n, r.birthDate)}一致，性别位须与${f(n, r.sex)}一致（男为「${n.value(r.sex, r.male)}」，女为「${n.value(r.sex, r.female)}」）`;
    case 'absentWhen': {
      const when = Object.entries<unknown>(r.when ?? {}).map(([k, x]) => `${f(n, k)}为${v(n, k, x)}`).join('且');
      return `当${when}时，${f(n, r.field)}须为空`;
    }
    case 'sliceEquals': return `${f(n, r.field)}的第 ${Number(r.start) + 1}–${r.end} 位须与${f(n, r.equals)}相同`;
    default: return `规则「${String(r?.rule)}」（请在 JSON 中查看）`;
  }
}

/** The fields an x-rules entry names. */
export function xRuleFields(r: Json): string[] {
  const keys = ['before', 'after', 'birth', 'at', 'id', 'birthDate', 'sex', 'field', 'equals'];
  return [...keys.map((k) => r?.[k]).filter((x): x is string => typeof x === 'string'), ...Object.keys(r?.when ?? {})];
}

// ——— renaming a field's uses ———

/** Renames a key of an object in place, keeping the order of its keys; whether it was there. */
export const renameKeys = (o: Json | undefined, from: string, to: string) => {
  if (!o || typeof o !== 'object' || !Object.hasOwn(o, from)) return false;
  const entries = Object.entries(o).map(([k, x]) => [k === from ? to : k, x] as const);
  for (const k of Object.keys(o)) delete o[k];
  for (const [k, x] of entries) o[k] = x;
  return true;
};
const renameIn = (a: unknown, from: string, to: string) => {
  if (!Array.isArray(a)) return false;
  let hit = false;
  a.forEach((x, i) => { if (x === from) { a[i] = to; hit = true; } });
  return hit;
};

/** An if/then/else clause: its properties' keys and required names. */
function renameInClause(c: Json | undefined, from: string, to: string): boolean {
  if (!c || typeof c !== 'object') return false;
  const a = renameKeys(c.properties, from, to);
  const b = renameIn(c.required, from, to);
  return a || b;
}

/**
 * Renames a property and every use the schema itself makes of it: `required`, the if/then/else of
 * `allOf`, and the fields `x-rules` entries name. Returns where it changed something, in words.
 */
export function renameInSchema(schema: Json, from: string, to: string): string[] {
  const places: string[] = [];
  renameKeys(schema.properties, from, to);
  if (renameIn(schema.required, from, to)) places.push('必填项');
  (schema.allOf ?? []).forEach((e: Json, i: number) => {
    const hit = [renameInClause(e?.if, from, to), renameInClause(e?.then, from, to), renameInClause(e?.else, from, to)].some(Boolean);
    if (hit) places.push(`条件规则第 ${i + 1} 条`);
  });
  (schema['x-rules'] ?? []).forEach((r: Json, i: number) => {
    let hit = false;
    for (const k of ['before', 'after', 'birth', 'at', 'id', 'birthDate', 'sex', 'field', 'equals']) if (r?.[k] === from) { r[k] = to; hit = true; }
    if (renameKeys(r?.when, from, to)) hit = true;
    if (hit) places.push(`跨字段规则第 ${i + 1} 条`);
  });
  return places;
}

/**
 * Renames the collection's uses of a field in the manifest (app.json): list columns, search,
 * unique keys, title and node fields, the lookup's keys. Returns where, in words.
 */
export function renameInManifest(manifest: Json, collection: string, from: string, to: string): string[] {
  const col = manifest?.collections?.[collection];
  if (!col) return [];
  const places: string[] = [];
  if (renameIn(col.listColumns, from, to)) places.push('列表列');
  if (renameIn(col.search, from, to)) places.push('搜索字段');
  (col.uniqueKeys ?? []).forEach((k: Json) => { if (renameIn(k?.fields, from, to)) places.push('唯一键'); });
  for (const key of ['titleField', 'nodeField']) if (col[key] === from) { col[key] = to; places.push(key === 'titleField' ? '记录名称字段' : '所在节点字段'); }
  if (col.lookup) {
    if (renameIn(col.lookup.keys, from, to)) places.push('查找键');
    for (const d of col.lookup.derive ?? []) for (const k of ['from', 'to']) if (d?.[k] === from) { d[k] = to; places.push('查找推导'); }
  }
  if (manifest.tree?.collection === collection) {
    for (const k of ['parentField', 'labelField', 'fullNameField']) if (manifest.tree[k] === from) { manifest.tree[k] = to; places.push('组织树设置'); }
  }
  for (const role of Object.values<Json>(manifest.roles ?? {})) if (role?.self === collection && role.username === from) { role.username = to; places.push('账号用户名字段'); }
  return places;
}

/** Whether a document's text names the field as a whole word (a template path, a workflow guard …). */
export function mentions(text: string, field: string): boolean {
  const esc = field.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  return new RegExp(`(^|[^A-Za-z0-9_$])${esc}([^A-Za-z0-9_]|$)`).test(text);
}

/** Whether a step changes a field at this level: the collection's top level, or (with `table`) that table's columns. */
const atLevel = (s: Json, collection: string, table?: string) => s?.collection === collection && (s.table ?? undefined) === table;

/**
 * The migration steps after renaming `from` to `to` in a collection (with `table`: a column of that
 * child table, named by its draft name): a field the published version has gets a renameField step
 * (a step that already renamed it on to `from` is retargeted; renaming back to the published name
 * removes that step); a field new in this draft needs none. A renamed table's column steps follow
 * it, after its rename (they name the table as the draft has it).
 */
export function stepsAfterRename(steps: Json[], collection: string, from: string, to: string, published: Set<string>, table?: string): Json[] {
  const earlier = steps.find((s) => s.op === 'renameField' && atLevel(s, collection, table) && s.to === from);
  let out = steps;
  if (earlier) {
    if (earlier.from === to) out = steps.filter((s) => s !== earlier);
    else earlier.to = to;
  } else if (published.has(from)) {
    const step = table === undefined ? { op: 'renameField', collection, from, to } : { op: 'renameField', collection, table, from, to };
    out = [...steps, step];
  }
  if (table !== undefined) return out;
  const columnSteps = out.filter((s) => s?.collection === collection && s.table === from);
  if (!columnSteps.length) return out;
  for (const s of columnSteps) s.table = to;
  // The table's own rename (if any) goes before the steps on its columns.
  const rename = out.find((s) => s.op === 'renameField' && atLevel(s, collection) && s.to === to);
  const rest = out.filter((s) => s !== rename);
  if (rename) rest.splice(rest.indexOf(columnSteps[0]), 0, rename);
  return rest;
}

/**
 * The steps after removing a field (with `table`: a column of that table): one the published
 * version holds values of gets a dropField step (the values leave the records, the audit log keeps
 * them); a rename step to it is dropped and the drop names the published field. A removed table
 * takes its column steps with it.
 */
export function stepsAfterRemove(steps: Json[], collection: string, field: string, published: Set<string>, table?: string): Json[] {
  const earlier = steps.find((s) => s.op === 'renameField' && atLevel(s, collection, table) && s.to === field);
  const rest = steps.filter((s) => s !== earlier && !(table === undefined && s?.collection === collection && s.table === field));
  const original = earlier ? earlier.from : field;
  if (!published.has(original)) return rest;
  return [...rest, table === undefined ? { op: 'dropField', collection, field: original } : { op: 'dropField', collection, table, field: original }];
}

/**
 * Removes a field and the schema's uses of it: `required`, conditions that test it (their rule
 * goes), its name in a condition's required list (the rule goes when none is left), and `x-rules`
 * entries naming it. Returns what went, in words.
 */
export function removeFromSchema(schema: Json, field: string): string[] {
  const gone: string[] = [];
  delete schema.properties?.[field];
  if (Array.isArray(schema.required) && schema.required.includes(field)) {
    schema.required = schema.required.filter((x: string) => x !== field);
    if (!schema.required.length) delete schema.required;
  }
  if (Array.isArray(schema.allOf)) {
    const kept: Json[] = [];
    schema.allOf.forEach((e: Json, i: number) => {
      const tests = Object.hasOwn(e?.if?.properties ?? {}, field) || (e?.if?.required ?? []).includes(field);
      for (const clause of [e?.then, e?.else]) if (Array.isArray(clause?.required)) clause.required = clause.required.filter((x: string) => x !== field);
      const empty = [e?.then, e?.else].every((c) => !c || (Object.keys(c).join() === 'required' && !c.required.length));
      if (tests || empty) gone.push(`条件规则第 ${i + 1} 条`);
      else kept.push(e);
    });
    if (kept.length) schema.allOf = kept;
    else delete schema.allOf;
  }
  if (Array.isArray(schema['x-rules'])) {
    const kept = schema['x-rules'].filter((r: Json, i: number) => {
      const hit = xRuleFields(r).includes(field);
      if (hit) gone.push(`跨字段规则第 ${i + 1} 条`);
      return !hit;
    });
    if (kept.length) schema['x-rules'] = kept;
    else delete schema['x-rules'];
  }
  return gone;
}

/** Removes a field from the collection's list columns and search in the manifest; returns where. */
export function removeFromManifest(manifest: Json, collection: string, field: string): string[] {
  const col = manifest?.collections?.[collection];
  const gone: string[] = [];
  for (const [key, words] of [['listColumns', '列表列'], ['search', '搜索字段']] as const) {
    if (Array.isArray(col?.[key]) && col[key].includes(field)) {
      col[key] = col[key].filter((x: string) => x !== field);
      gone.push(words);
    }
  }
  return gone;
}

/**
 * Renames (to a name) or removes (to null) a field in a demo data document of the collection
 * (forms/demo/*.json: {collection, records}); the check loads demo data as records, so a field the
 * schema no longer has would make the draft unpublishable. Returns how many records changed.
 */
export function fieldInDemo(doc: Json, collection: string, from: string, to: string | null): number {
  if (doc?.collection !== collection || !Array.isArray(doc.records)) return 0;
  let n = 0;
  for (const r of doc.records) {
    if (!r || typeof r !== 'object' || !Object.hasOwn(r, from)) continue;
    if (to === null) delete r[from];
    else renameKeys(r, from, to);
    n++;
  }
  return n;
}
