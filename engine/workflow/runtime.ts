/**
 * The workflow runtime: which events a user may send to a record now, applying one event, and
 * applying one event to many records in one transaction. Every path reads the record through
 * the records service (the one permission predicate), runs the same guards and writes through the
 * service (RecordService.writeUpdate: its checks and lifecycle hooks run on events as on edits).
 */
import { transition } from 'xstate';
import { auditDiff, diffFields, type StoredRecord, type Tx } from '../ports.js';
import type { Actor } from '../auth/actor.js';
import type { Collection } from '../config/types.js';
import { DomainError, domainBadRequest, domainInvalid } from '../errors.js';
import { toFieldErrors } from '../validation/messages.js';
import { effectActions, type EffectScope } from './actions.js';
import { buildEnv, persistContext, snapshotOf, stateOf } from './env.js';
import { explain, handles } from './explain.js';
import type { EventDef, WorkflowDef, WorkflowDeps } from './types.js';

/** How an event is offered to a client. */
const describe = (e: EventDef) => ({ type: e.type, title: e.title, payload: e.payload ?? null, form: e.form ?? null });

function workflowOf(deps: WorkflowDeps, collection: string): { c: Collection; wf: WorkflowDef } {
  const c = deps.runtime.collection(collection);
  const wf = deps.runtime.workflowOf(c);
  if (!wf) throw new DomainError('not_found', 'not_found', `${c.title}没有流程`);
  return { c, wf };
}

/**
 * The record's state and the events this actor may send now. Events whose guards fail on the
 * record's data (not on who is asking) are listed under `blocked` with the reason.
 */
export async function availableEvents(deps: WorkflowDeps, actor: Actor, collection: string, record: StoredRecord) {
  const { c, wf } = workflowOf(deps, collection);
  const state = stateOf(wf, record);
  const env = await buildEnv(deps, deps.storage.db, wf, actor, c, record, undefined);
  const snapshot = snapshotOf(wf, record, env);
  const events = [];
  const blocked = [];
  for (const e of wf.events.values()) {
    if (e.internal || !handles(wf, state, e.type)) continue;
    env.failures = [];
    if (snapshot.can({ type: e.type })) events.push(describe(e));
    else {
      const err = explain(wf, state, e.type, env);
      if (err.kind !== 'forbidden') blocked.push({ ...describe(e), error: err.toJSON().error });
    }
  }
  return { state, stateTitle: wf.stateTitles.get(state), workflow: wf.key, context: record.workflowContext ?? null, events, blocked };
}

/**
 * Splits a request body into the event type and its payload. An event the current state has no
 * transition for is a 409 before its payload is looked at; then the payload's schema is checked.
 * Without a state (a batch, before looking at records) only the type and payload are checked.
 */
function readEvent(wf: WorkflowDef, body: unknown, state?: string): { def: EventDef; payload: Record<string, unknown> } {
  if (!body || typeof body !== 'object' || Array.isArray(body)) throw domainBadRequest('请求体应为 {"type": 事件, …}');
  const { type, ids: _ids, ...payload } = body as Record<string, unknown>;
  const def = typeof type === 'string' ? wf.events.get(type) : undefined;
  if (!def || def.internal) throw domainBadRequest(`流程 ${wf.key} 没有可发送的事件“${String(type)}”`);
  if (state !== undefined && !handles(wf, state, def.type)) {
    throw new DomainError('conflict', 'wrong_state', `当前状态为「${wf.stateTitles.get(state) ?? state}」，不能执行「${def.title}」`, [], { state, event: def.type });
  }
  if (def.validate && !def.validate(payload)) throw domainInvalid(toFieldErrors(def.validate.errors, def.payload!));
  return { def, payload };
}

/** One event to one record in a transaction of its own; returns the record as written. */
export function sendEvent(deps: WorkflowDeps, actor: Actor, collection: string, id: string, body: unknown): Promise<StoredRecord> {
  return deps.storage.unitOfWork.transaction(deps.storage.db, (tx) => applyEvent(deps, tx, actor, collection, id, body));
}

/** Applies one event to one record inside the caller's transaction; returns the record as written. */
export async function applyEvent(deps: WorkflowDeps, tx: Tx, actor: Actor, collection: string, id: string, body: unknown): Promise<StoredRecord> {
  const configVersion = deps.runtime.configVersion;
  const { c, wf } = workflowOf(deps, collection);
  const record = await deps.records.read(actor, collection, id, tx);
  const from = stateOf(wf, record);
  const { def, payload } = readEvent(wf, body, from);
  const env = await buildEnv(deps, tx, wf, actor, c, record, payload);
  const snapshot = snapshotOf(wf, record, env);
  const event = { type: def.type };
  if (!snapshot.can(event)) throw explain(wf, from, def.type, env);
  const [next, actions] = transition(wf.machine, snapshot, event);
  const scope: EffectScope = { deps, tx, env, changes: {} };
  for (const a of actions) {
    const effect = effectActions[a.type];
    if (effect) await effect(scope, (a.params ?? {}) as Record<string, unknown>);
  }
  const data = { ...record.data };
  for (const [k, v] of Object.entries(scope.changes)) v === null ? delete data[k] : (data[k] = v);
  const dataDiff = diffFields(record.data, data);
  const validator = deps.runtime.validator(c.name);
  if (Object.keys(dataDiff).length) {
    const errors = validator.validate(data, record.data);
    if (errors.length) throw domainInvalid(errors);
  }
  const after: StoredRecord = {
    ...record, data, state: String(next.value), workflow: wf.key, workflowContext: persistContext(next.context as Record<string, unknown>),
    complete: validator.completenessErrors(data).length === 0, version: record.version + 1,
    updatedAt: new Date().toISOString(), updatedBy: actor.name,
  };
  const note = payload[def.note ?? 'reason'] ?? payload.note;
  await deps.records.writeUpdate(tx, actor, c, record, after, {
    action: def.type, fromState: from, diff: { ...diffFields(null, payload), ...auditDiff(record.data, data) }, note: typeof note === 'string' ? note : null,
  }, configVersion);
  return after;
}

export interface BatchResult {
  id: string;
  ok: boolean;
  state?: string | null;
  stateTitle?: string;
  version?: number;
  error?: ReturnType<DomainError['toJSON']>['error'];
}

/** One event for many records (applyBatch) in a transaction of its own. */
export function sendBatch(deps: WorkflowDeps, actor: Actor, collection: string, body: unknown): Promise<BatchResult[]> {
  return deps.storage.unitOfWork.transaction(deps.storage.db, (tx) => applyBatch(deps, tx, actor, collection, body));
}

/**
 * One event for many records in the caller's transaction: each record in a savepoint, so a
 * refused record leaves no trace while the others go through; a result per id. Records the
 * actor cannot read are reported as not found.
 */
export async function applyBatch(deps: WorkflowDeps, tx: Tx, actor: Actor, collection: string, body: unknown): Promise<BatchResult[]> {
  const { wf } = workflowOf(deps, collection);
  const ids = (body as { ids?: unknown })?.ids;
  if (!Array.isArray(ids) || !ids.length || ids.length > 500 || ids.some((x) => typeof x !== 'string')) {
    throw domainBadRequest('ids 应为 1 到 500 个记录 id 的列表');
  }
  readEvent(wf, body);
  const results: BatchResult[] = [];
  for (const id of [...new Set(ids as string[])]) {
    try {
      const r = await deps.storage.unitOfWork.savepoint(tx, (sp) => applyEvent(deps, sp, actor, collection, id, body));
      results.push({ id, ok: true, state: r.state, stateTitle: wf.stateTitles.get(r.state!), version: r.version });
    } catch (err) {
      if (!(err instanceof DomainError)) throw err;
      results.push({ id, ok: false, error: err.toJSON().error });
    }
  }
  return results;
}
