import type { AppRuntime } from '../runtime/runtime.js';

/**
 * How a code replacement leaves the records' workflow states: per collection, state before and
 * state after, how many records (from === to: they stay). Titles come from the workflow config.
 */
export interface StateOutcome {
  collection: string;
  collectionTitle: string;
  from: string;
  fromTitle: string;
  to: string;
  toTitle: string;
  count: number;
}

/** A record's state before and after, by its collection; null where the collection has no workflow. */
export interface RecordStates { collection: string; from: string | null; to: string | null }

/** The records' moves grouped per collection, state before and state after, in the workflow's state order. */
export function stateOutcomes(rt: AppRuntime, records: RecordStates[]): StateOutcome[] {
  const groups = new Map<string, StateOutcome>();
  for (const r of records) {
    const c = rt.collection(r.collection);
    const wf = rt.workflowOf(c);
    if (!wf) continue;
    const from = r.from ?? wf.initial;
    const to = r.to ?? from;
    const key = JSON.stringify([c.name, from, to]);
    const g = groups.get(key) ?? { collection: c.name, collectionTitle: c.title, from, fromTitle: wf.stateTitles.get(from) ?? from, to, toTitle: wf.stateTitles.get(to) ?? to, count: 0 };
    g.count++;
    groups.set(key, g);
  }
  const order = (o: StateOutcome) => [...(rt.workflowOf(rt.collection(o.collection))?.stateTitles.keys() ?? [])].indexOf(o.from);
  return [...groups.values()].sort((a, b) => a.collection.localeCompare(b.collection) || order(a) - order(b) || a.to.localeCompare(b.to));
}

/**
 * The outcomes in one sentence for the person confirming (or told afterwards): 「其中 1 条待确认、
 * 3 条已确认的记录将退回未提交；其余 2 条的流程状态不变」, or 「记录的流程状态不变（2 条待确认）」.
 * Back to the workflow's initial state reads 退回, to another state 转为. Empty without workflows.
 */
export function describeOutcomes(rt: AppRuntime, outcomes: StateOutcome[], done: boolean): string {
  const byCollection = new Map<string, StateOutcome[]>();
  for (const o of outcomes) byCollection.set(o.collection, [...(byCollection.get(o.collection) ?? []), o]);
  const counts = (list: StateOutcome[]) => list.map((o) => `${o.count} 条${o.fromTitle}`).join('、');
  const parts = [...byCollection.values()].map((list) => {
    const moved = list.filter((o) => o.from !== o.to);
    const kept = list.filter((o) => o.from === o.to);
    const prefix = byCollection.size > 1 ? `${list[0].collectionTitle}：` : '';
    if (!moved.length) return `${prefix}记录的流程状态${done ? '未变' : '不变'}（${counts(kept)}）`;
    const initial = rt.workflowOf(rt.collection(list[0].collection))?.initial;
    const targets = [...new Set(moved.map((o) => o.to))].map((to) => {
      const into = moved.filter((o) => o.to === to);
      return `其中 ${counts(into)}的记录${done ? '已' : '将'}${to === initial ? '退回' : '转为'}「${into[0].toTitle}」`;
    });
    const rest = kept.reduce((n, o) => n + o.count, 0);
    return `${prefix}${targets.join('；')}${rest ? `；其余 ${rest} 条的流程状态不变` : ''}`;
  });
  return parts.length ? `${parts.join('。')}。` : '';
}
