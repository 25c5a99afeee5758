/**
 * The guard vocabulary workflow configs name: `{ "type": "<name>", "params": {…} }`. Each guard
 * is a pure check over the evaluation environment; a failure says why, and its kind sets the
 * HTTP answer. Every guard accepts a `message` param that replaces its default text.
 */
import { fieldTitle } from '../validation/field-titles.js';
import type { Grant } from '../auth/principal.js';
import { resolveValue } from './values.js';
import type { GuardFailure, WorkflowEnv } from './types.js';

type Params = Record<string, any>;
type Check = (env: WorkflowEnv, p: Params) => true | GuardFailure;

const empty = (v: unknown) => v === undefined || v === null || v === '' || (Array.isArray(v) && v.length === 0);
const fail = (kind: GuardFailure['kind'], message: string, p: Params, details: GuardFailure['details'] = []): GuardFailure => ({
  kind, message: typeof p.message === 'string' ? p.message : message, details,
});

/** Compares a value with the tests a `field` or `payload` guard names. */
function matches(value: unknown, p: Params, env: WorkflowEnv): boolean {
  if ('equals' in p && value !== resolveValue(p.equals, env)) return false;
  if (Array.isArray(p.in) && !p.in.includes(value)) return false;
  if (Array.isArray(p.notIn) && p.notIn.includes(value)) return false;
  if (p.empty === true && !empty(value)) return false;
  if (p.empty === false && empty(value)) return false;
  return true;
}

/** How deep a tree path lies: '/a/' is 1, '/a/b/' is 2. */
const depth = (path: string) => path.split('/').length - 2;

/** The actor's grants that give `permission` (a global role's only on the root, as everywhere). */
function grantsWith(env: WorkflowEnv, permission: string): Grant[] {
  const roles = env.runtime.config.manifest.roles;
  return (env.actor.principal?.grants ?? []).filter((g) =>
    env.runtime.permissions.counts(g) && !!roles[g.role]?.permissions.includes(permission));
}

/** 「<field title>」为「<label>」或「<label>」: the condition an `above` guard's `node` param sets, in words (titles and labels from the config). */
function nodeCondition(env: WorkflowEnv, node: Params): string {
  const tree = env.runtime.config.collections.get(env.runtime.config.tree.collection)!;
  const prop = tree.schema.properties?.[node.field] ?? {};
  const table = typeof prop['x-codeTable'] === 'string' ? env.runtime.config.codes.get(prop['x-codeTable']) : undefined;
  const label = (v: unknown) => `「${table?.codes.find((c) => c.code === v)?.label ?? String(v)}」`;
  const values: unknown[] = Array.isArray(node.in) ? node.in : 'equals' in node ? [node.equals] : [];
  const title = fieldTitle(tree.schema, `/${node.field}`);
  if (Array.isArray(node.notIn)) return `「${title}」不为${node.notIn.map(label).join('或')}`;
  return values.length ? `「${title}」为${values.map(label).join('或')}` : `「${title}」已填写`;
}

const checks: Record<string, Check> = {
  /** The actor holds a permission (a role's permission in app.json) on the record's subtree. */
  permission: (env, p) => {
    const user = env.actor.principal;
    if (!user || env.runtime.permissions.onPath(user, p.permission, env.record.path)) return true;
    return fail('forbidden', `无权对该${env.collection.title}执行此操作`, p);
  },
  /** The actor is the user bound to this very record (a self-service account). */
  self: (env, p) => {
    const user = env.actor.principal;
    if (user?.self?.collection === env.collection.name && user.self.recordId === env.record.id) return true;
    return fail('forbidden', `只能对本人的${env.collection.title}记录执行此操作`, p);
  },
  /**
   * The actor holds `permission` through a grant on a node strictly above the record's node
   * ("only a higher level may approve"): `levels` (default 1) or more levels above, and with
   * `node` ({field, equals | in | notIn | empty}) only on a node whose field matches.
   */
  above: (env, p) => {
    if (!env.actor.principal) return true; // the command line and the demo loader, as for `permission`
    const levels = p.levels ?? 1;
    const target = env.record.path;
    const ok = grantsWith(env, p.permission).some((g) =>
      target.startsWith(g.path) && depth(target) - depth(g.path) >= levels
      && (!p.node || matches(env.grantNodes.get(g.nodeId)?.[p.node.field], p.node, env)));
    if (ok) return true;
    const tree = env.runtime.config.collections.get(env.runtime.config.tree.collection)?.title ?? '';
    const conditions = [levels > 1 ? `至少高${levels}级` : '', p.node ? nodeCondition(env, p.node) : ''].filter(Boolean).join('，');
    return fail('forbidden', `只能由上级${tree}${conditions ? `（${conditions}）` : ''}的有权人员执行此操作`, p);
  },
  /**
   * Four-eyes: the actor is not the one who last sent `event` (one name or a list) to this
   * record, as its history records it. Passes when nobody has sent it.
   */
  notSender: (env, p) => {
    const events: string[] = Array.isArray(p.event) ? p.event : [p.event];
    const own = events.find((e) => env.actor.principal && env.senders.get(e) === env.actor.name);
    if (!own) return true;
    const title = env.runtime.workflowOf(env.collection)?.events.get(own)?.title ?? own;
    return fail('forbidden', `「${title}」是您本人办理的，此操作须由另一人执行`, p);
  },
  /** The record is valid and every essential field is filled. */
  complete: (env, p) => {
    const errors = env.runtime.validator(env.collection.name).completenessErrors(env.record.data);
    return errors.length === 0 ? true : fail('invalid', `${env.collection.title}信息不完整或有误`, p, errors);
  },
  /** A field of the record: equals / in / notIn / empty. */
  field: (env, p) => {
    if (matches(env.record.data[p.field], p, env)) return true;
    return fail('refused', `「${fieldTitle(env.collection.schema, `/${p.field}`)}」的取值不允许此操作`, p);
  },
  /** How many records of `collection` hang on this record's node: min / max. */
  count: (env, p) => {
    const n = env.counts.get(p.collection) ?? 0;
    if ((p.min === undefined || n >= p.min) && (p.max === undefined || n <= p.max)) return true;
    const title = env.runtime.config.collections.get(p.collection)?.title ?? p.collection;
    return fail('refused', `${title}数量（${n}）不允许此操作`, p);
  },
  /** A payload field: equals / in / notIn / empty. Passes while probing (no payload yet). */
  payload: (env, p) => {
    if (!env.payload || matches(env.payload[p.field], p, env)) return true;
    return fail('invalid', `「${p.field}」的取值不允许此操作`, p, [{ path: `/${p.field}`, message: p.message ?? `「${p.field}」的取值不允许此操作` }]);
  },
  /** Every entry of a payload list is a field name of the record's collection. */
  fieldNames: (env, p) => {
    const list = env.payload?.[p.payload];
    if (!Array.isArray(list)) return true;
    const props = env.collection.schema.properties ?? {};
    const bad = list.filter((f) => typeof f !== 'string' || !props[f]);
    if (!bad.length) return true;
    return fail('invalid', `不是${env.collection.title}的信息项：${bad.join('、')}`, p, [{ path: `/${p.payload}`, message: `不是${env.collection.title}的信息项：${bad.join('、')}` }]);
  },
};

export const guardNames = [...Object.keys(checks), 'all', 'any'];

export interface GuardRef {
  type: string;
  params?: Params;
}

type Outcome = { ok: true; passed: number } | { ok: false; failure: GuardFailure; depth: number };

/** Evaluates a guard reference; `all` and `any` combine the guards listed in params.guards. */
export function evaluateGuard(env: WorkflowEnv, ref: GuardRef): Outcome {
  const p = ref.params ?? {};
  if (ref.type === 'all') {
    let passed = 0;
    for (const g of p.guards as GuardRef[]) {
      const r = evaluateGuard(env, g);
      if (!r.ok) return { ok: false, failure: r.failure, depth: passed + r.depth };
      passed += r.passed;
    }
    return { ok: true, passed };
  }
  if (ref.type === 'any') {
    let best: Outcome | undefined;
    for (const g of p.guards as GuardRef[]) {
      const r = evaluateGuard(env, g);
      if (r.ok) return r;
      if (!best || (!best.ok && r.depth > best.depth)) best = r;
    }
    return best ?? { ok: true, passed: 0 };
  }
  const r = checks[ref.type](env, p);
  return r === true ? { ok: true, passed: 1 } : { ok: false, failure: r, depth: 0 };
}

/** Collections that `count` guards in a guard reference name. */
export function countedCollections(ref: GuardRef): string[] {
  if (ref.type === 'all' || ref.type === 'any') return (ref.params?.guards ?? []).flatMap(countedCollections);
  return ref.type === 'count' && ref.params?.collection ? [ref.params.collection] : [];
}

/** What a guard reference needs read before it runs: the events `notSender` names, and whether an `above` looks at nodes. */
export function guardNeeds(ref: GuardRef): { senders: string[]; grantNodes: boolean } {
  if (ref.type === 'all' || ref.type === 'any') {
    const parts = ((ref.params?.guards ?? []) as GuardRef[]).map(guardNeeds);
    return { senders: parts.flatMap((x) => x.senders), grantNodes: parts.some((x) => x.grantNodes) };
  }
  const p = ref.params ?? {};
  if (ref.type === 'notSender') return { senders: Array.isArray(p.event) ? p.event : [p.event], grantNodes: false };
  return { senders: [], grantNodes: ref.type === 'above' && !!p.node };
}

/** Problems in a guard reference (unknown names, missing params), for the config check. */
export function checkGuardRef(ref: unknown, where: string, ctx: GuardCheckContext = {}): string[] {
  if (!ref || typeof ref !== 'object' || typeof (ref as GuardRef).type !== 'string') return [`${where}: guard 应为 {"type": …, "params": …}`];
  const g = ref as GuardRef;
  if (!guardNames.includes(g.type)) return [`${where}: 未知的 guard "${g.type}"（可用：${guardNames.join('、')}）`];
  const p = g.params ?? {};
  if (g.type === 'all' || g.type === 'any') {
    if (!Array.isArray(p.guards)) return [`${where}: ${g.type} 需要 params.guards 数组`];
    return p.guards.flatMap((x: unknown, i: number) => checkGuardRef(x, `${where}.guards[${i}]`, ctx));
  }
  const need: Record<string, string[]> = {
    permission: ['permission'], above: ['permission'], notSender: ['event'], field: ['field'], count: ['collection'], payload: ['field'], fieldNames: ['payload'],
  };
  const missing = (need[g.type] ?? []).filter((k) => p[k] === undefined).map((k) => `${where}: guard ${g.type} 缺少参数 ${k}`);
  return [...missing, ...(shapes[g.type]?.(p, ctx) ?? []).map((m) => `${where}: guard ${g.type} ${m}`)];
}

/** What a guard's config check may know beyond the guard: the workflow's events and the tree's schema. */
export interface GuardCheckContext {
  events?: string[];
  tree?: { title: string; fields: string[] };
}

/** The shape of the params that are more than "present", per guard. */
const shapes: Record<string, (p: Params, ctx: GuardCheckContext) => string[]> = {
  above: (p, ctx) => {
    const out: string[] = [];
    if (p.levels !== undefined && !(Number.isInteger(p.levels) && p.levels >= 1)) out.push('的 levels 应为正整数');
    if (p.node !== undefined) {
      if (!p.node || typeof p.node !== 'object' || typeof p.node.field !== 'string') out.push('的 node 应为 {"field": …, "in": […]}');
      else if (ctx.tree && !ctx.tree.fields.includes(p.node.field)) out.push(`的 node.field "${p.node.field}" 不是「${ctx.tree.title}」的字段`);
    }
    return out;
  },
  notSender: (p, ctx) => {
    const events = Array.isArray(p.event) ? p.event : [p.event];
    if (events.some((e: unknown) => typeof e !== 'string')) return ['的 event 应为事件名或事件名列表'];
    return ctx.events ? events.filter((e: string) => !ctx.events!.includes(e)).map((e: string) => `的 event "${e}" 未在 meta.events 中声明`) : [];
  },
};
