/** Building the evaluation environment and the machine snapshot a record is in. */
import type { Collection } from '../config/types.js';
import type { StoredRecord, Tx } from '../ports.js';
import type { Actor } from '../auth/actor.js';
import type { AppRuntime } from '../runtime/runtime.js';
import { DomainError } from '../errors.js';
import { guardNeeds, type GuardRef } from './guards.js';
import type { WorkflowContext, WorkflowDef, WorkflowDeps, WorkflowEnv } from './types.js';

type Needs = ReturnType<typeof guardNeeds>;
const needsOf = new WeakMap<WorkflowDef, Needs>();

/** What the machine's guards need read before they run (they are synchronous), once per loaded machine. */
function machineNeeds(wf: WorkflowDef): Needs {
  let needs = needsOf.get(wf);
  if (!needs) {
    const refs: GuardRef[] = [];
    type Node = { on?: Record<string, unknown>; states?: Record<string, Node> };
    const root = wf.machine.config as Node;
    for (const node of [root, ...Object.values(root.states ?? {})]) {
      for (const t of Object.values(node.on ?? {})) {
        for (const x of Array.isArray(t) ? t : [t]) if (x && typeof x === 'object' && 'guard' in x) refs.push((x as { guard: GuardRef }).guard);
      }
    }
    const parts = refs.map(guardNeeds);
    needs = { senders: [...new Set(parts.flatMap((x) => x.senders))], grantNodes: parts.some((x) => x.grantNodes) };
    needsOf.set(wf, needs);
  }
  return needs;
}

/** The environment for one evaluation; counts the collections the machine's `count` guards name. */
export async function buildEnv(
  { storage: { workflowFacts }, runtime }: Pick<WorkflowDeps, 'storage' | 'runtime'>, db: Tx, wf: WorkflowDef, actor: Actor, collection: Collection, record: StoredRecord,
  payload: Record<string, unknown> | undefined,
): Promise<WorkflowEnv> {
  const counts = new Map<string, number>();
  const node = collection.isTree ? record.id : record.nodeId;
  for (const name of wf.countedCollections) counts.set(name, await workflowFacts.countOnNode(db, name, node));
  const needs = machineNeeds(wf);
  const senders = new Map<string, string | null | undefined>();
  for (const event of needs.senders) senders.set(event, await workflowFacts.lastSender(db, record.id, event));
  const grants = actor.principal?.grants ?? [];
  const grantNodes = needs.grantNodes ? await workflowFacts.dataOf(db, [...new Set(grants.map((g) => g.nodeId))]) : new Map();
  return { runtime, collection, record, actor, payload, counts, senders, grantNodes, failures: [] };
}

/** A synchronous environment without counts (for edits, which run inside the records service). */
export function plainEnv(runtime: AppRuntime, collection: Collection, record: StoredRecord, actor: Actor): WorkflowEnv {
  return { runtime, collection, record, actor, payload: {}, counts: new Map(), senders: new Map(), grantNodes: new Map(), failures: [] };
}

/** The record's state in this machine (a record without one is in the initial state). */
export function stateOf(wf: WorkflowDef, record: StoredRecord): string {
  const state = record.state ?? wf.initial;
  if (!wf.stateTitles.has(state)) {
    throw new DomainError('conflict', 'workflow_outdated', `记录的状态“${state}”（${record.workflow ?? '无流程'}）不在当前流程 ${wf.key} 中，需先迁移`);
  }
  return state;
}

/** The machine snapshot for a record, with the environment in its context for the guards. */
export function snapshotOf(wf: WorkflowDef, record: StoredRecord, env: WorkflowEnv) {
  return wf.machine.resolveState({ value: stateOf(wf, record), context: { ...(record.workflowContext ?? {}), $env: env } });
}

/** The context to persist: without the environment and without cleared keys; null when empty. */
export function persistContext(context: Record<string, unknown>): WorkflowContext | null {
  const out = Object.fromEntries(Object.entries(context).filter(([k, v]) => k !== '$env' && v !== undefined));
  return Object.keys(out).length ? out : null;
}
