/**
 * The action vocabulary workflow configs name. Context actions (`setContext`, `clearContext`)
 * are pure XState assigns, applied while the next state is computed. Effect actions
 * (`setField`, `createRecord`, `deleteRecord`) are run afterwards by the workflow runtime,
 * inside the event's transaction and through the record service (validation, permission,
 * unique keys, audit).
 */
import { assign } from 'xstate';
import type { Tx } from '../ports.js';
import { DomainError, domainInvalid } from '../errors.js';
import { applyDerive, lookupRecord, normalizeKey } from '../directory/lookup.js';
import { resolveValue, resolveValues } from './values.js';
import type { WorkflowDeps, WorkflowEnv } from './types.js';

type Params = Record<string, any>;
const envOf = (context: any) => context.$env as WorkflowEnv;

/**
 * A target the actor cannot find (absent, of another collection, or outside their reach: the
 * records service tells these apart from nothing) is "no such target"; any other failure — the
 * database lost (unavailable, 503), a fault — is the request's failure, not the payload's.
 */
const noTarget = (err: unknown): null => {
  if (err instanceof DomainError && err.kind === 'not_found') return null;
  throw err;
};

/** Context actions, registered with setup({ actions }). */
export const contextActions = {
  /** params.values: {key: value-expression} merged into the workflow context. */
  setContext: assign(({ context }: { context: any }, p: Params) => resolveValues(p?.values, envOf(context))),
  /** params.keys: the keys to remove (all when absent). */
  clearContext: assign(({ context }: { context: any }, p: Params) => {
    const keys: string[] = p?.keys ?? Object.keys(context).filter((k) => k !== '$env');
    return Object.fromEntries(keys.map((k) => [k, undefined]));
  }),
};

export interface EffectScope {
  deps: WorkflowDeps;
  tx: Tx;
  env: WorkflowEnv;
  /** Field changes to the record itself, written with the new state. */
  changes: Record<string, unknown>;
}

type Effect = (scope: EffectScope, p: Params) => Promise<void>;

export const effectActions: Record<string, Effect> = {
  /** params.values: {field: value-expression}; null removes the field. */
  async setField(scope, p) {
    for (const [k, v] of Object.entries(p.values ?? {})) scope.changes[k] = resolveValue(v, scope.env) ?? null;
  },

  /**
   * A record of params.collection from the payload's fields (params.fields lists which; all by
   * default) and params.set (which wins). With params.fill = "lookup", fields the payload leaves
   * empty are filled from the collection's lookup (stored records, then the imported directory).
   * params.lock lists fields a person's later edit may not change.
   */
  async createRecord({ deps, tx, env }, p) {
    const source = env.payload ?? {};
    const picked = Array.isArray(p.fields) ? Object.fromEntries(p.fields.filter((f: string) => f in source).map((f: string) => [f, source[f]])) : { ...source };
    let data: Record<string, unknown> = Object.fromEntries(Object.entries(picked).filter(([, v]) => v !== '' && v !== null && v !== undefined));
    if (p.fill === 'lookup') {
      const cfg = deps.runtime.collection(p.collection).lookup;
      const keys = (cfg?.keys ?? []).filter((k) => typeof data[k] === 'string');
      for (const k of keys) data[k] = normalizeKey(data[k] as string);
      const hit = keys.length ? await lookupRecord(deps, env.actor, p.collection, keys[0], data[keys[0]] as string, tx) : null;
      data = applyDerive(cfg, hit ? { ...hit.data, ...data } : data);
    }
    data = { ...data, ...resolveValues(p.set, env) };
    // params.lock: fields (usually from params.set) that only a workflow may change later.
    await deps.records.create(env.actor, p.collection, data, tx, { lock: Array.isArray(p.lock) ? p.lock : undefined });
  },

  /** Deletes the record of params.collection whose id is in payload field params.idFrom; it must hang on this node. */
  async deleteRecord({ deps, tx, env }, p) {
    const id = env.payload?.[p.idFrom];
    const c = deps.runtime.collection(p.collection);
    const path = `/${p.idFrom}`;
    if (typeof id !== 'string') throw domainInvalid([{ path, message: `请指定要删除的${c.title}` }]);
    const target = await deps.records.read(env.actor, p.collection, id, tx).catch(noTarget);
    const node = env.collection.isTree ? env.record.id : env.record.nodeId;
    if (!target || target.nodeId !== node) throw domainInvalid([{ path, message: `该${c.title}未关联到本${env.collection.title}` }]);
    await deps.records.delete(env.actor, p.collection, id, undefined, tx);
  },
};

export const actionNames = [...Object.keys(contextActions), ...Object.keys(effectActions)];
