/**
 * Migration steps a draft carries (its document migrations.json, an array of steps): what
 * publishing does to the stored records whose fields or workflow states the draft renames or
 * removes. Checked against the published (current) and the draft config, required wherever the
 * draft would otherwise orphan stored values, and applied record by record, purely, by the
 * publish (which writes and audits each change) and by the impact report.
 *
 * Steps apply in the order written: a mapValues on a renamed field names the field by its new
 * name and comes after the rename. Only top-level fields are migrated.
 */
import type { AppRuntime } from '../runtime/runtime.js';
import type { Collection, JsonSchema } from '../config/types.js';
import type { StoredRecord } from '../ports.js';
import { own } from '../own.js';

export type MigrationStep =
  | { op: 'renameField'; collection: string; from: string; to: string }
  | { op: 'mapValues'; collection: string; field: string; map: Record<string, string> }
  | { op: 'dropField'; collection: string; field: string }
  | { op: 'moveState'; collection: string; from: string; to: string };

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
/** 「姓名」 — a field by its title, its name beside it when the title differs. */
export function fieldLabel(c: Collection | undefined, field: string): string {
  const title = own(props(c), field)?.title;
  return title && title !== field ? `「${title}」（${field}）` : `「${field}」`;
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
  const allowed = new Set(['op', 'collection', ...MEMBERS[op], ...(op === 'mapValues' ? ['map'] : [])]);
  for (const key of Object.keys(step)) if (!allowed.has(key)) out.push({ path: `${at}/${pointerPart(key)}`, message: `${op} 不认识的属性 "${key}"` });
  return out;
}

/** The steps of a document that are well-formed (the others are checkSteps' problems). */
export function wellFormed(steps: unknown): MigrationStep[] {
  return Array.isArray(steps) ? steps.filter((s, i) => !shapeProblems(s, `/${i}`).length) : [];
}

const pointerPart = (s: string) => s.replace(/~/g, '~0').replace(/\//g, '~1');

/**
 * Whether the steps document is well-formed and fits the two configs. Each problem's path is a
 * JSON pointer into migrations.json. Fields are tracked through the steps in order: a field
 * renamed or dropped by an earlier step no longer has its old name.
 */
export function checkSteps(current: AppRuntime, draft: AppRuntime, steps: unknown): StepProblem[] {
  if (!Array.isArray(steps)) return [{ path: '', message: `${MIGRATIONS_DOCUMENT} 应为迁移步骤的数组 [...]` }];
  const out: StepProblem[] = [];
  /** The fields each collection's stored data holds at this point of the steps. */
  const held = new Map<string, Set<string>>();
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
    const fields = held.get(step.collection) ?? held.set(step.collection, new Set(Object.keys(props(now)))).get(step.collection)!;
    const p = (key: string, message: string) => out.push({ path: `${at}/${key}`, message });
    switch (step.op) {
      case 'renameField': {
        if (!own(props(now), step.from)) p('from', `${c}的当前版本没有字段 ${fieldLabel(now, step.from)}`);
        else if (!fields.has(step.from)) p('from', `${c}的字段 ${fieldLabel(now, step.from)} 已被前面的步骤改名或删除`);
        if (!own(props(next), step.to)) p('to', `${c}的草稿没有字段 ${fieldLabel(next, step.to)}：改名的目标须是草稿中的字段`);
        else if (own(props(now), step.to)) p('to', `${c}的字段 ${fieldLabel(next, step.to)} 在当前版本中已存在：改名的目标须是草稿新增的字段`);
        else if (fields.has(step.to)) p('to', `${c}的字段 ${fieldLabel(next, step.to)} 已是前面步骤改名的目标`);
        if (step.from === step.to) p('to', '改名的目标与原字段相同');
        fields.delete(step.from);
        fields.add(step.to);
        break;
      }
      case 'mapValues': {
        const prop = own(props(next), step.field);
        if (!prop) { p('field', `${c}的草稿没有字段 ${fieldLabel(now, step.field)}：mapValues 用草稿中的字段名（改名的字段用新名，写在改名之后）`); break; }
        if (!fields.has(step.field)) { p('field', `${c}的字段 ${fieldLabel(next, step.field)} 在当前版本中没有存储的值${own(props(now), step.field) ? '（已被前面的步骤删除）' : '（若是改名，请先写 renameField）'}`); break; }
        const codes = codesOf(prop);
        if (!codes) break; // a field without a code table takes any text: the draft's validators judge the result
        for (const [from, to] of Object.entries(step.map)) {
          const target = codes.get(to);
          if (!target) p(`map/${pointerPart(from)}`, `“${to}”不是${c}字段 ${fieldLabel(next, step.field)} 在草稿中的代码`);
          else if (target.deprecated) p(`map/${pointerPart(from)}`, `“${target.label}（${to}）”在草稿中已停用，不能作为${fieldLabel(next, step.field)}的新值`);
        }
        break;
      }
      case 'dropField': {
        if (!own(props(now), step.field)) p('field', `${c}的当前版本没有字段 ${fieldLabel(next, step.field)}`);
        else if (!fields.has(step.field)) p('field', `${c}的字段 ${fieldLabel(now, step.field)} 已被前面的步骤改名或删除`);
        fields.delete(step.field);
        break;
      }
      case 'moveState': {
        const before = statesOf(current, now);
        const after = statesOf(draft, next);
        if (!before) { p('collection', `${c}在当前版本中没有流程，没有可迁移的状态`); break; }
        if (!after) { p('collection', `${c}在草稿中没有流程，记录不能迁入任何状态`); break; }
        if (!before.has(step.from)) p('from', `${c}的当前流程没有状态 ${stateLabel(before, step.from)}`);
        const seen = moved.get(step.collection) ?? moved.set(step.collection, new Set()).get(step.collection)!;
        if (seen.has(step.from)) p('from', `${c}的状态 ${stateLabel(before, step.from)} 已由前面的步骤迁移`);
        seen.add(step.from);
        if (!after.has(step.to)) p('to', `${c}的草稿流程没有状态 ${stateLabel(after, step.to)}`);
        if (step.from === step.to) p('to', '迁移的目标状态与原状态相同');
        break;
      }
    }
  });
  return out;
}

/** The JSON `type` of a property (its items' too), to tell a changed type. */
const typeOf = (prop: JsonSchema) => JSON.stringify([prop.type ?? null, prop.items?.type ?? null]);

/**
 * What publishing the draft would orphan without a declared step, each named by collection and
 * field (or state) title: a top-level field removed or renamed (renameField or dropField), a
 * field whose type changed (mapValues or dropField), codes of a field's table that the draft no
 * longer has (a mapValues covering them, or dropField), a workflow state removed or renamed
 * (moveState). Publishing is refused while this is not empty. Paths name the place in the
 * current config (document#pointer).
 */
export function orphanProblems(current: AppRuntime, draft: AppRuntime, steps: MigrationStep[]): StepProblem[] {
  const out: StepProblem[] = [];
  const usable = wellFormed(steps);
  for (const [name, now] of current.config.collections) {
    const next = draft.config.collections.get(name);
    if (!next) continue; // a removed collection is a manifest change, not a field's
    const mine = usable.filter((s) => s.collection === name);
    const renamed = new Map(mine.flatMap((s) => (s.op === 'renameField' ? [[s.from, s.to] as const] : [])));
    const dropped = new Set(mine.flatMap((s) => (s.op === 'dropField' ? [s.field] : [])));
    const mapped = (field: string) => mine.filter((s): s is Extract<MigrationStep, { op: 'mapValues' }> => s.op === 'mapValues' && s.field === field);
    const c = `「${next.title}」`;
    const where = (field: string) => `forms/${now.schemaFile}#/properties/${pointerPart(field)}`;
    for (const [field, prop] of Object.entries(props(now))) {
      if (dropped.has(field)) continue;
      const target = renamed.get(field) ?? field;
      const after = own(props(next), target);
      if (!after) {
        out.push({ path: where(field), message: `${c}的字段 ${fieldLabel(now, field)} 在草稿中被删除或改名，已存储的值会成为孤儿：请声明 renameField 或 dropField` });
        continue;
      }
      const label = fieldLabel(now, field);
      if (typeOf(prop) !== typeOf(after)) {
        if (!mapped(target).length) out.push({ path: where(field), message: `${c}的字段 ${label} 的类型在草稿中改变，已存储的值将不再有效：请声明 mapValues 或 dropField` });
        continue;
      }
      const before = codesOf(prop);
      const kept = codesOf(after);
      if (!before && kept) {
        // Free text becomes a code: what was typed is no code of the table.
        if (!mapped(target).length) out.push({ path: where(field), message: `${c}的字段 ${label} 在草稿中改用代码表，已存储的文字将不再有效：请声明 mapValues（文字 → 代码）或 dropField` });
        continue;
      }
      if (!before || !kept) continue; // no codes, or codes becoming free text: every stored value stays valid
      const covered = new Set(mapped(target).flatMap((s) => Object.keys(s.map)));
      const lost = [...before.values()].filter((e) => !kept.has(e.code) && !covered.has(e.code));
      if (lost.length) {
        const table = after['x-codeTable'] ?? after.items?.['x-codeTable'];
        out.push({
          path: where(field),
          message: `${c}的字段 ${label} 的代码${lost.map((e) => `“${e.label}（${e.code}）”`).join('、')}在草稿${table ? `的代码表「${draft.config.codes.get(table)?.title ?? table}」` : ''}中不存在，存有这些代码的记录将不再有效：请声明 mapValues（把它们映射为新代码）或 dropField`,
        });
      }
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

/** A value through a mapValues table: strings, numbers and booleans by their text; arrays item by item. */
function mapValue(value: unknown, map: Record<string, string>): unknown {
  if (Array.isArray(value)) return value.map((v) => mapValue(v, map));
  if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') {
    const to = own(map, String(value));
    return to === undefined ? value : to;
  }
  return value;
}

/**
 * The record's data and state after the steps of its collection, in order; null when they change
 * nothing. Pure: the record is not touched. dropField removes the value from the record (the
 * caller's audited write keeps it in the audit log).
 */
export function applySteps(record: StoredRecord, steps: MigrationStep[]): { data: Record<string, unknown>; state: string | null } | null {
  let data: Record<string, unknown> | undefined;
  let state = record.state;
  const write = () => (data ??= { ...record.data });
  for (const step of steps) {
    if (step.collection !== record.collection) continue;
    const d = data ?? record.data;
    switch (step.op) {
      case 'renameField':
        if (Object.hasOwn(d, step.from)) {
          const w = write();
          w[step.to] = w[step.from];
          delete w[step.from];
        }
        break;
      case 'mapValues':
        if (Object.hasOwn(d, step.field)) {
          const mappedValue = mapValue(d[step.field], step.map);
          if (JSON.stringify(mappedValue) !== JSON.stringify(d[step.field])) write()[step.field] = mappedValue;
        }
        break;
      case 'dropField':
        if (Object.hasOwn(d, step.field)) delete write()[step.field];
        break;
      case 'moveState':
        if (state === step.from) state = step.to;
        break;
    }
  }
  return data || state !== record.state ? { data: data ?? { ...record.data }, state } : null;
}
