/**
 * The workflow designer's reading of a machine config (workflows/<name>.json): states, their
 * transitions as (from, event, target), guards flattened to a list, the roles that may send an
 * event, the analysis the designer warns with, and the edits (add, rename, remove a state) that
 * keep targets consistent. Plain data in, plain data out: no DOM, no requests.
 */

export interface GuardRef { type: string; params?: Record<string, any> }
export type ActionRef = string | { type: string; params?: Record<string, any> };
export interface TransitionDoc { target?: string; guard?: GuardRef; actions?: ActionRef[]; [k: string]: unknown }
export interface StateDoc { meta?: { title?: string; selfHint?: string; [k: string]: unknown }; on?: Record<string, TransitionDoc>; [k: string]: unknown }
export interface MachineDoc {
  id?: string;
  initial: string;
  meta?: { title?: string; events?: Record<string, { title?: string; [k: string]: unknown }>; internalEvents?: string[]; [k: string]: unknown };
  states: Record<string, StateDoc>;
  [k: string]: unknown;
}

export interface Transition { from: string; event: string; target: string; doc: TransitionDoc }

/** The guard vocabulary of engine/workflow/guards.ts, with the parameters the panel edits. */
export const GUARDS: { type: string; title: string; params: string[] }[] = [
  { type: 'permission', title: '持有权限（本级或上级的职务）', params: ['permission'] },
  { type: 'above', title: '只能由上级（高于记录所在组织）', params: ['permission', 'levels'] },
  { type: 'notSender', title: '不是办理某事件的同一人（双人复核）', params: ['event'] },
  { type: 'self', title: '记录本人', params: [] },
  { type: 'complete', title: '信息完整且无误', params: [] },
  { type: 'field', title: '记录的信息项满足条件', params: ['field', 'equals'] },
  { type: 'payload', title: '办理时填写的内容满足条件', params: ['field', 'equals'] },
  { type: 'fieldNames', title: '所列信息项属于本表单', params: ['payload'] },
  { type: 'count', title: '本组织下某类记录的数量', params: ['collection', 'min', 'max'] },
];

/** The action vocabulary of engine/workflow/actions.ts. */
export const ACTIONS: { type: string; title: string }[] = [
  { type: 'clearContext', title: '清除流程记录的办理信息' },
  { type: 'setContext', title: '记下办理信息（谁、何时）' },
  { type: 'setField', title: '修改记录的信息项' },
  { type: 'createRecord', title: '新建另一类记录' },
  { type: 'deleteRecord', title: '删除另一类记录' },
];

export const PARAM_TITLES: Record<string, string> = {
  permission: '权限', levels: '至少高几级', event: '事件', field: '信息项', equals: '等于', collection: '记录类别', min: '至少', max: '至多',
  payload: '办理内容中的列表项', message: '不满足时的提示',
};

export const stateTitle = (m: MachineDoc, s: string) => m.states[s]?.meta?.title || s;
export const eventTitle = (m: MachineDoc, e: string) => m.meta?.events?.[e]?.title || e;
export const isInternal = (m: MachineDoc, e: string) => (m.meta?.internalEvents ?? []).includes(e);

export function transitions(m: MachineDoc): Transition[] {
  return Object.entries(m.states).flatMap(([from, s]) =>
    Object.entries(s.on ?? {}).map(([event, doc]) => ({ from, event, target: doc.target ?? from, doc })));
}

/** A transition's guards as a list: `all` is unfolded; anything else is one entry. */
export const guardList = (t: TransitionDoc): GuardRef[] =>
  !t.guard ? [] : t.guard.type === 'all' ? [...(t.guard.params?.guards ?? [])] : [t.guard];

/** The transition's guard from a list: none, the one, or `all` of them. */
export const guardOf = (list: GuardRef[]): GuardRef | undefined =>
  list.length === 0 ? undefined : list.length === 1 ? list[0] : { type: 'all', params: { guards: list } };

/** The permissions a person must hold to send the event (its permission and above guards). */
export const permissionsOf = (t: TransitionDoc): string[] =>
  guardList(t).filter((g) => (g.type === 'permission' || g.type === 'above') && typeof g.params?.permission === 'string').map((g) => g.params!.permission);

/** Warnings a person can act on: states no path reaches, states with no way out, unknown targets. */
export function warnings(m: MachineDoc): { state: string; message: string }[] {
  const out: { state: string; message: string }[] = [];
  const all = transitions(m);
  const seen = new Set<string>([m.initial]);
  const queue = [m.initial];
  while (queue.length) {
    const s = queue.shift()!;
    for (const t of all) if (t.from === s && !seen.has(t.target)) { seen.add(t.target); queue.push(t.target); }
  }
  for (const s of Object.keys(m.states)) {
    if (!seen.has(s)) out.push({ state: s, message: `「${stateTitle(m, s)}」从初始状态无法到达（没有事件指向它）` });
    if (!all.some((t) => t.from === s && t.target !== s)) out.push({ state: s, message: `「${stateTitle(m, s)}」没有出路：记录进入后不能再转到其他状态` });
  }
  for (const t of all) if (!m.states[t.target]) out.push({ state: t.from, message: `「${stateTitle(m, t.from)}」的事件「${eventTitle(m, t.event)}」指向不存在的状态 ${t.target}` });
  return out;
}

/** A state name not yet used, from the title's letters or a counter. */
export function freeName(m: MachineDoc, base = 'state'): string {
  let n = 1;
  while (m.states[`${base}_${n}`]) n++;
  return `${base}_${n}`;
}

/** Renames a state: its key, every target naming it, and the initial state. */
export function renameState(m: MachineDoc, from: string, to: string): MachineDoc {
  const states: Record<string, StateDoc> = {};
  for (const [name, s] of Object.entries(m.states)) {
    const on = s.on ? Object.fromEntries(Object.entries(s.on).map(([e, t]) => [e, t.target === from ? { ...t, target: to } : t])) : undefined;
    states[name === from ? to : name] = { ...s, ...(on ? { on } : {}) };
  }
  return { ...m, initial: m.initial === from ? to : m.initial, states };
}

/** Removes a state and every transition into it. */
export function removeState(m: MachineDoc, name: string): MachineDoc {
  const states: Record<string, StateDoc> = {};
  for (const [n, s] of Object.entries(m.states)) {
    if (n === name) continue;
    const on = s.on ? Object.fromEntries(Object.entries(s.on).filter(([, t]) => t.target !== name)) : undefined;
    states[n] = { ...s, ...(on ? { on } : {}) };
  }
  return { ...m, states };
}

/** A migration step moving the records of a state elsewhere (engine/config-versions/migration-steps.ts). */
export interface MoveStateStep { op: 'moveState'; collection: string; from: string; to: string }

/**
 * The draft's migration steps after the state `from` became `to` (renamed, or removed with its
 * records sent to `to`) for each collection using the workflow. Steps name published states: a
 * step that moved a published state into `from` now moves it to `to`, and `from` itself gets a
 * step when it is a published state (`published`) — the publish refuses otherwise.
 */
export function withMove(steps: unknown[], collections: string[], published: Set<string>, from: string, to: string): unknown[] {
  const isMove = (s: any, c: string): s is MoveStateStep => s?.op === 'moveState' && s.collection === c;
  let out = [...steps];
  for (const c of collections) {
    out = out.map((s: any) => (isMove(s, c) && s.to === from ? { ...s, to } : s)).filter((s: any) => !(isMove(s, c) && s.from === from));
    if (published.has(from) && from !== to) out.push({ op: 'moveState', collection: c, from, to });
    // A state renamed back to its published name needs no step.
    out = out.filter((s: any) => !(isMove(s, c) && s.from === s.to));
  }
  return out;
}
