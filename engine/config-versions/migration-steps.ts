/**
 * Migration steps a draft carries (its document migrations.json, an array of steps): what
 * publishing does to the stored records whose fields or workflow states the draft renames or
 * removes. Checked against the published (current) and the draft config, required wherever the
 * draft would otherwise orphan stored values, and applied record by record, purely, by the
 * publish (which writes and audits each change) and by the impact report.
 *
 * Steps apply in the order written: a mapValues on a renamed field names the field by its new
 * name and comes after the rename. renameField, mapValues and dropField with a `table` name a
 * column of that child table (the table by its name at that point of the steps, so after its own
 * rename): they apply to every row of the table.
 */
import type { AppRuntime } from '../runtime/runtime.js';
import type { Collection, JsonSchema } from '../config/types.js';
import type { StoredRecord } from '../ports.js';
import { own } from '../own.js';

export type MigrationStep =
  | { op: 'renameField'; collection: string; table?: string; from: string; to: string }
  | { op: 'mapValues'; collection: string; table?: string; field: string; map: Record<string, string> }
  | { op: 'dropField'; collection: string; table?: string; field: string }
  | { op: 'moveState'; collection: string; from: string; to: string };

/** The steps that change fields (top-level or a table's columns), as opposed to moveState. */
type FieldStep = Exclude<MigrationStep, { op: 'moveState' }>;

export interface StepProblem { path: string; message: string }

/** The document of a draft that holds its steps. */
export const MIGRATIONS_DOCUMENT = 'migrations.json';

const OPS = ['renameField', 'mapValues', 'dropField', 'moveState'] as const;
/** The string members each op needs besides `collection` (mapValues also needs `map`). */
const MEMBERS: Record<MigrationStep['op'], string[]> = {
  renameField: ['from', 'to'], mapValues: ['field'], dropField: ['field'], moveState: ['from', 'to'],
};

const isObject = (v: unknown): v is Record<string, unknown> => !!v && typeof v === 'object' && !Array.isArray(v);
const props = (c: Collection | undefined): Record<string, JsonSchema> => c?.schema.properties ?? {};
/** The columns of a child table (an array of objects), or undefined for any other property. */
export const columnsOf = (prop: JsonSchema | undefined): Record<string, JsonSchema> | undefined =>
  prop?.type === 'array' && prop.items?.type === 'object' ? prop.items.properties ?? {} : undefined;
/** 「姓名」 — a property by its title, its name beside it when the title differs. */
export const labelIn = (properties: Record<string, JsonSchema>, name: string) => {
  const title = own(properties, name)?.title;
  return title && title !== name ? `「${title}」（${name}）` : `「${name}」`;
};
/** 「姓名」 — a field by its title, its name beside it when the title differs. */
export function fieldLabel(c: Collection | undefined, field: string): string {
  return labelIn(props(c), field);
}

/** A field's codes (from its expanded schema, deprecated ones included), or undefined when it has no code table. */
export function codesOf(prop: JsonSchema | undefined): Map<string, { code: string; label: string; deprecated?: string }> | undefined {
  const node = prop?.['x-codes'] ? prop : prop?.items?.['x-codes'] ? prop.items : undefined;
  if (!node) return undefined;
  return new Map((node['x-codes'] as { code: string; label: string; deprecated?: string }[]).map((c) => [c.code, c]));
}

/** The workflow states of a collection in a config (id → title), or undefined without a workflow. */
export function statesOf(rt: AppRuntime, c: Collection | undefined): Map<string, string> | undefined {
  return c ? rt.workflowOf(c)?.stateTitles : undefined;
}

const stateLabel = (states: Map<string, string> | undefined, s: string) => {
  const title = states?.get(s);
  return title && title !== s ? `「${title}」（${s}）` : `“${s}”`;
};

/** Well-formedness of one step: the messages about its shape, or none. */
function shapeProblems(step: unknown, at: string): StepProblem[] {
  if (!isObject(step)) return [{ path: at, message: '迁移步骤应为对象 {"op": …, "collection": …}' }];
  if (!OPS.includes(step.op as never)) {
    return [{ path: `${at}/op`, message: `未知的迁移步骤 ${JSON.stringify(step.op ?? null)}（可用：${OPS.join('、')}）` }];
  }
  const op = step.op as MigrationStep['op'];
  const out: StepProblem[] = [];
  for (const key of ['collection', ...MEMBERS[op]]) {
    if (typeof step[key] !== 'string' || !step[key]) out.push({ path: `${at}/${key}`, message: `${op} 缺少 ${key}（应为非空文字）` });
  }
  if (op === 'mapValues') {
    if (!isObject(step.map) || !Object.keys(step.map).length) out.push({ path: `${at}/map`, message: 'mapValues 缺少 map（应为非空对象：旧值 → 新值）' });
    else for (const [from, to] of Object.entries(step.map)) {
      if (typeof to !== 'string') out.push({ path: `${at}/map/${pointerPart(from)}`, message: `map 中“${from}”的新值应为文字` });
    }
  }
  if (op !== 'moveState' && 'table' in step && (typeof step.table !== 'string' || !step.table)) {
    out.push({ path: `${at}/table`, message: `${op} 的 table 应为子表的字段名（非空文字）` });
  }
  const allowed = new Set(['op', 'collection', ...MEMBERS[op], ...(op === 'mapValues' ? ['map'] : []), ...(op === 'moveState' ? [] : ['table'])]);
  for (const key of Object.keys(step)) if (!allowed.has(key)) out.push({ path: `${at}/${pointerPart(key)}`, message: `${op} 不认识的属性 "${key}"` });
  return out;
}

/** The steps of a document that are well-formed (the others are checkSteps' problems). */
export function wellFormed(steps: unknown): MigrationStep[] {
  return Array.isArray(steps) ? steps.filter((s, i) => !shapeProblems(s, `/${i}`).length) : [];
}

const pointerPart = (s: string) => s.replace(/~/g, '~0').replace(/\//g, '~1');

/** Where a step's field lives: a collection's top level, or the columns of one of its child tables. */
interface Level {
  /** The place in words: 「<collection title>」, or 「<collection title>」的子表「<table title>」. */
  c: string;
  noun: '字段' | '列';
  now: Record<string, JsonSchema>;
  next: Record<string, JsonSchema>;
}

/**
 * Whether the steps document is well-formed and fits the two configs. Each problem's path is a
 * JSON pointer into migrations.json. Fields (and each table's columns) are tracked through the
 * steps in order: a field renamed or dropped by an earlier step no longer has its old name.
 */
export function checkSteps(current: AppRuntime, draft: AppRuntime, steps: unknown): StepProblem[] {
  if (!Array.isArray(steps)) return [{ path: '', message: `${MIGRATIONS_DOCUMENT} 应为迁移步骤的数组 [...]` }];
  const out: StepProblem[] = [];
  /** The names stored data holds at this point of the steps: by collection, and by collection + table (its current name). */
  const held = new Map<string, Set<string>>();
  const heldAt = (key: string, names: () => string[]) => held.get(key) ?? held.set(key, new Set(names())).get(key)!;
  /** Per collection: a renamed field's current name, by the name the rename gave it. */
  const origins = new Map<string, Map<string, string>>();
  const moved = new Map<string, Set<string>>();
  steps.forEach((raw, i) => {
    const at = `/${i}`;
    const shape = shapeProblems(raw, at);
    if (shape.length) return void out.push(...shape);
    const step = raw as MigrationStep;
    const now = current.config.collections.get(step.collection);
    const next = draft.config.collections.get(step.collection);
    if (!now || !next) {
      return void out.push({ path: `${at}/collection`, message: `集合 "${step.collection}" ${now ? '在草稿中已被删除' : '在当前版本中不存在'}` });
    }
    const c = `「${next.title}」`;
    const fields = heldAt(step.collection, () => Object.keys(props(now)));
    const origin = origins.get(step.collection) ?? origins.set(step.collection, new Map()).get(step.collection)!;
    const p = (key: string, message: string) => out.push({ path: `${at}/${key}`, message });
    if (step.op === 'moveState') {
      const before = statesOf(current, now);
      const after = statesOf(draft, next);
      if (!before) return p('collection', `${c}在当前版本中没有流程，没有可迁移的状态`);
      if (!after) return p('collection', `${c}在草稿中没有流程，记录不能迁入任何状态`);
      if (!before.has(step.from)) p('from', `${c}的当前流程没有状态 ${stateLabel(before, step.from)}`);
      const seen = moved.get(step.collection) ?? moved.set(step.collection, new Set()).get(step.collection)!;
      if (seen.has(step.from)) p('from', `${c}的状态 ${stateLabel(before, step.from)} 已由前面的步骤迁移`);
      seen.add(step.from);
      if (!after.has(step.to)) p('to', `${c}的草稿流程没有状态 ${stateLabel(after, step.to)}`);
      if (step.from === step.to) p('to', '迁移的目标状态与原状态相同');
      return;
    }
    if (step.table === undefined) {
      if (step.op === 'renameField') origin.set(step.to, origin.get(step.from) ?? step.from);
      return fieldStepProblems({ c, noun: '字段', now: props(now), next: props(next) }, fields, step, p);
    }
    // A column of a child table: the table by its name at this point of the steps.
    const columnsNext = columnsOf(own(props(next), step.table));
    const tableNow = origin.get(step.table) ?? step.table;
    const columnsNow = columnsOf(own(props(now), tableNow));
    if (!columnsNext) return p('table', `${c}的草稿没有子表 ${fieldLabel(next, step.table)}`);
    if (!columnsNow || !fields.has(step.table)) {
      return p('table', `${c}的子表 ${fieldLabel(next, step.table)} 在当前版本中没有存储的行${columnsNow ? '（已被前面的步骤删除）' : '（若子表改名，请先写 renameField）'}`);
    }
    const level: Level = { c: `${c}的子表${labelIn(props(next), step.table)}`, noun: '列', now: columnsNow, next: columnsNext };
    fieldStepProblems(level, heldAt(`${step.collection}/${tableNow}`, () => Object.keys(columnsNow)), step, p);
  });
  return out;
}

/** The problems of one renameField, mapValues or dropField at its level; `held` follows the step. */
function fieldStepProblems(l: Level, held: Set<string>, step: FieldStep, p: (key: string, message: string) => void): void {
  const { c, noun, now, next } = l;
  switch (step.op) {
    case 'renameField': {
      if (!own(now, step.from)) p('from', `${c}的当前版本没有${noun} ${labelIn(now, step.from)}`);
      else if (!held.has(step.from)) p('from', `${c}的${noun} ${labelIn(now, step.from)} 已被前面的步骤改名或删除`);
      if (!own(next, step.to)) p('to', `${c}的草稿没有${noun} ${labelIn(next, step.to)}：改名的目标须是草稿中的${noun}`);
      else if (own(now, step.to)) p('to', `${c}的${noun} ${labelIn(next, step.to)} 在当前版本中已存在：改名的目标须是草稿新增的${noun}`);
      else if (held.has(step.to)) p('to', `${c}的${noun} ${labelIn(next, step.to)} 已是前面步骤改名的目标`);
      if (step.from === step.to) p('to', '改名的目标与原字段相同');
      held.delete(step.from);
      held.add(step.to);
      break;
    }
    case 'mapValues': {
      const prop = own(next, step.field);
      if (!prop) return p('field', `${c}的草稿没有${noun} ${labelIn(now, step.field)}：mapValues 用草稿中的${noun}名（改名的${noun}用新名，写在改名之后）`);
      if (!held.has(step.field)) return p('field', `${c}的${noun} ${labelIn(next, step.field)} 在当前版本中没有存储的值${own(now, step.field) ? '（已被前面的步骤删除）' : '（若是改名，请先写 renameField）'}`);
      const codes = codesOf(prop);
      if (!codes) break; // a field without a code table takes any text: the draft's validators judge the result
      for (const [from, to] of Object.entries(step.map)) {
        const target = codes.get(to);
        if (!target) p(`map/${pointerPart(from)}`, `“${to}”不是${c}${noun} ${labelIn(next, step.field)} 在草稿中的代码`);
        else if (target.deprecated) p(`map/${pointerPart(from)}`, `“${target.label}（${to}）”在草稿中已停用，不能作为${labelIn(next, step.field)}的新值`);
      }
      break;
    }
    case 'dropField': {
      if (!own(now, step.field)) p('field', `${c}的当前版本没有${noun} ${labelIn(next, step.field)}`);
      else if (!held.has(step.field)) p('field', `${c}的${noun} ${labelIn(now, step.field)} 已被前面的步骤改名或删除`);
      held.delete(step.field);
      break;
    }
  }
}

/** The JSON `type` of a property (its items' too), to tell a changed type. */
const typeOf = (prop: JsonSchema) => JSON.stringify([prop.type ?? null, prop.items?.type ?? null]);

/**
 * What publishing the draft would orphan without a declared step, each named by collection and
 * field (or state) title: a top-level field or a child table's column removed or renamed
 * (renameField or dropField, with `table` for a column), a field whose type changed (mapValues or
 * dropField), codes of a field's table that the draft no longer has (a mapValues covering them, or
 * dropField), a workflow state removed or renamed (moveState). Publishing is refused while this is
 * not empty. Paths name the place in the current config (document#pointer).
 */
export function orphanProblems(current: AppRuntime, draft: AppRuntime, steps: MigrationStep[]): StepProblem[] {
  const out: StepProblem[] = [];
  const usable = wellFormed(steps);
  for (const [name, now] of current.config.collections) {
    const next = draft.config.collections.get(name);
    if (!next) continue; // a removed collection is a manifest change, not a field's
    const mine = usable.filter((s) => s.collection === name);
    const fieldSteps = mine.filter((s): s is FieldStep => s.op !== 'moveState');
    const c = `「${next.title}」`;
    const where = (field: string) => `forms/${now.schemaFile}#/properties/${pointerPart(field)}`;
    const top = levelOrphans(draft, { c, noun: '字段', now: props(now), next: props(next) }, fieldSteps.filter((s) => s.table === undefined), where, '');
    out.push(...top.problems);
    // A child table kept (under its name or the one a step gives it): its columns, with the steps naming it.
    for (const [field, target] of top.kept) {
      const columnsNow = columnsOf(own(props(now), field));
      const columnsNext = columnsOf(own(props(next), target));
      if (!columnsNow || !columnsNext) continue;
      const level: Level = { c: `${c}的子表${labelIn(props(next), target)}`, noun: '列', now: columnsNow, next: columnsNext };
      out.push(...levelOrphans(draft, level, fieldSteps.filter((s) => s.table === target),
        (column) => `${where(field)}/items/properties/${pointerPart(column)}`, `（带 "table": "${target}"）`).problems);
    }
    const before = statesOf(current, now);
    const after = statesOf(draft, next);
    if (!before || !after) continue;
    const movedFrom = new Set(mine.flatMap((s) => (s.op === 'moveState' ? [s.from] : [])));
    for (const state of before.keys()) {
      if (after.has(state) || movedFrom.has(state)) continue;
      out.push({
        path: `workflows/${now.workflow}.json#/states/${pointerPart(state)}`,
        message: `${c}的流程状态 ${stateLabel(before, state)} 在草稿中被删除或改名，处于该状态的记录会失去状态：请声明 moveState`,
      });
    }
  }
  return out;
}

/**
 * The orphans at one level (a collection's fields, or a table's columns) given the steps of that
 * level, and the names kept with the same type: [current name, draft name].
 */
function levelOrphans(draft: AppRuntime, l: Level, steps: FieldStep[], where: (name: string) => string, hint: string) {
  const problems: StepProblem[] = [];
  const kept: [string, string][] = [];
  const { c, noun } = l;
  const renamed = new Map(steps.flatMap((s) => (s.op === 'renameField' ? [[s.from, s.to] as const] : [])));
  const dropped = new Set(steps.flatMap((s) => (s.op === 'dropField' ? [s.field] : [])));
  const mapped = (name: string) => steps.filter((s): s is Extract<FieldStep, { op: 'mapValues' }> => s.op === 'mapValues' && s.field === name);
  for (const [name, prop] of Object.entries(l.now)) {
    if (dropped.has(name)) continue;
    const target = renamed.get(name) ?? name;
    const after = own(l.next, target);
    const label = labelIn(l.now, name);
    if (!after) {
      problems.push({ path: where(name), message: `${c}的${noun} ${label} 在草稿中被删除或改名，已存储的值会成为孤儿：请声明 renameField 或 dropField${hint}` });
      continue;
    }
    if (typeOf(prop) !== typeOf(after)) {
      if (!mapped(target).length) problems.push({ path: where(name), message: `${c}的${noun} ${label} 的类型在草稿中改变，已存储的值将不再有效：请声明 mapValues 或 dropField${hint}` });
      continue;
    }
    kept.push([name, target]);
    const before = codesOf(prop);
    const codes = codesOf(after);
    if (!before && codes) {
      // Free text becomes a code: what was typed is no code of the table.
      if (!mapped(target).length) problems.push({ path: where(name), message: `${c}的${noun} ${label} 在草稿中改用代码表，已存储的文字将不再有效：请声明 mapValues（文字 → 代码）或 dropField${hint}` });
      continue;
    }
    if (!before || !codes) continue; // no codes, or codes becoming free text: every stored value stays valid
    const covered = new Set(mapped(target).flatMap((s) => Object.keys(s.map)));
    const lost = [...before.values()].filter((e) => !codes.has(e.code) && !covered.has(e.code));
    if (lost.length) {
      const table = after['x-codeTable'] ?? after.items?.['x-codeTable'];
      problems.push({
        path: where(name),
        message: `${c}的${noun} ${label} 的代码${lost.map((e) => `“${e.label}（${e.code}）”`).join('、')}在草稿${table ? `的代码表「${draft.config.codes.get(table)?.title ?? table}」` : ''}中不存在，存有这些代码的记录将不再有效：请声明 mapValues（把它们映射为新代码）或 dropField${hint}`,
      });
    }
  }
  return { problems, kept };
}

/** A value through a mapValues table: strings, numbers and booleans by their text; arrays item by item. */
function mapValue(value: unknown, map: Record<string, string>): unknown {
  if (Array.isArray(value)) return value.map((v) => mapValue(v, map));
  if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') {
    const to = own(map, String(value));
    return to === undefined ? value : to;
  }
  return value;
}

/** One field step on one object (a record's data or a row): the changed copy, or null when it changes nothing. */
function stepOn(d: Record<string, unknown>, step: FieldStep): Record<string, unknown> | null {
  switch (step.op) {
    case 'renameField': {
      if (!Object.hasOwn(d, step.from)) return null;
      const w = { ...d, [step.to]: d[step.from] };
      delete w[step.from];
      return w;
    }
    case 'mapValues': {
      if (!Object.hasOwn(d, step.field)) return null;
      const mapped = mapValue(d[step.field], step.map);
      return JSON.stringify(mapped) === JSON.stringify(d[step.field]) ? null : { ...d, [step.field]: mapped };
    }
    case 'dropField': {
      if (!Object.hasOwn(d, step.field)) return null;
      const w = { ...d };
      delete w[step.field];
      return w;
    }
  }
}

/** A column step on every row of the record's table: the data with the changed rows, or null. */
function stepOnRows(d: Record<string, unknown>, table: string, step: FieldStep): Record<string, unknown> | null {
  const rows = d[table];
  if (!Array.isArray(rows)) return null;
  let changed = false;
  const next = rows.map((row) => {
    const out = isObject(row) ? stepOn(row, step) : null;
    if (out) changed = true;
    return out ?? row;
  });
  return changed ? { ...d, [table]: next } : null;
}

/**
 * The record's data and state after the steps of its collection, in order; null when they change
 * nothing. Pure: the record is not touched. dropField removes the value from the record (the
 * caller's audited write keeps it in the audit log); with `table`, from every row of that table.
 */
export function applySteps(record: StoredRecord, steps: MigrationStep[]): { data: Record<string, unknown>; state: string | null } | null {
  let data: Record<string, unknown> | undefined;
  let state = record.state;
  for (const step of steps) {
    if (step.collection !== record.collection) continue;
    if (step.op === 'moveState') {
      if (state === step.from) state = step.to;
      continue;
    }
    const d = data ?? record.data;
    data = (step.table === undefined ? stepOn(d, step) : stepOnRows(d, step.table, step)) ?? data;
  }
  return data || state !== record.state ? { data: data ?? { ...record.data }, state } : null;
}
