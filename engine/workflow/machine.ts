/**
 * Loading workflows/<name>.json: checks the config (every state titled, every event declared
 * with a title, guards and actions from the engine's vocabulary, payload schemas that compile)
 * and builds the XState machine with the vocabulary's implementations.
 */
import { setup } from 'xstate';
import type { AppConfig } from '../config/types.js';
import type { Ajv } from '../validation/ajv.js';
import { withTextRule } from '../validation/text-rule.js';
import { ConfigError } from '../config/load-app.js';
import { configJson } from '../config/source.js';
import { evaluateGuard, guardNames, checkGuardRef, countedCollections, type GuardRef } from './guards.js';
import { contextActions, effectActions, actionNames } from './actions.js';
import type { EventDef, WorkflowDef, WorkflowEnv } from './types.js';

type Json = Record<string, any>;

const asList = (t: unknown): Json[] => (t === undefined ? [] : Array.isArray(t) ? t : [typeof t === 'string' ? { target: t } : (t as Json)]);
const actionList = (a: unknown): unknown[] => (a === undefined ? [] : Array.isArray(a) ? a : [a]);

/** Every transition of the config, with where it is written. */
function transitions(cfg: Json): { where: string; t: Json; event: string }[] {
  const out: { where: string; t: Json; event: string }[] = [];
  for (const [s, node] of Object.entries<Json>(cfg.states ?? {})) {
    for (const [event, t] of Object.entries(node.on ?? {})) {
      asList(t).forEach((x, i) => out.push({ where: `states.${s}.on.${event}[${i}]`, t: x, event }));
    }
  }
  return out;
}

function checkConfig(name: string, cfg: Json, config: AppConfig, problems: string[]) {
  const p = (msg: string) => problems.push(`workflows/${name}.json: ${msg}`);
  if (cfg.id !== name) p(`id 应为 "${name}"`);
  if (!Number.isInteger(cfg.meta?.version) || cfg.meta.version < 1) p('meta.version 应为正整数');
  const states = cfg.states ?? {};
  if (!Object.keys(states).length) p('缺少 states');
  if (!states[cfg.initial]) p(`initial "${cfg.initial}" 不是一个状态`);
  const events: Json = cfg.meta?.events ?? {};
  for (const [s, node] of Object.entries<Json>(states)) {
    if (typeof node.meta?.title !== 'string') p(`states.${s}.meta.title（中文名称）缺失`);
    if (node.meta?.selfHint !== undefined && typeof node.meta.selfHint !== 'string') p(`states.${s}.meta.selfHint 须为文字`);
    if (node.states) p(`states.${s}: 不支持嵌套状态`);
    for (const key of ['entry', 'exit']) {
      for (const a of actionList(node[key])) checkAction(a, `states.${s}.${key}`, p);
    }
  }
  for (const [type, e] of Object.entries<Json>(events)) {
    if (typeof e?.title !== 'string') p(`meta.events.${type}.title（中文名称）缺失`);
    if (e?.form && !config.collections.has(e.form)) p(`meta.events.${type}.form: 集合 "${e.form}" 不存在`);
  }
  for (const i of cfg.meta?.internalEvents ?? []) if (!events[i]) p(`meta.internalEvents: "${i}" 未在 meta.events 中声明`);
  const tree = config.tree && config.collections.get(config.tree.collection);
  const guardContext = { events: Object.keys(events), tree: tree && { title: tree.title, fields: Object.keys(tree.schema.properties ?? {}) } };
  for (const { where, t, event } of transitions(cfg)) {
    if (!events[event]) p(`${where}: 事件 ${event} 未在 meta.events 中声明`);
    if (t.target !== undefined && !states[t.target]) p(`${where}: target "${t.target}" 不是一个状态`);
    if (t.guard !== undefined) for (const x of checkGuardRef(t.guard, `${where}.guard`, guardContext)) p(x);
    for (const a of actionList(t.actions)) checkAction(a, `${where}.actions`, p);
  }
}

function checkAction(a: unknown, where: string, p: (m: string) => void) {
  const type = typeof a === 'string' ? a : (a as Json)?.type;
  if (!actionNames.includes(type)) p(`${where}: 未知的 action "${type}"（可用：${actionNames.join('、')}）`);
}

/** The machine with the vocabulary's implementations; guards record why they failed. */
function build(cfg: Json) {
  const guards = Object.fromEntries(guardNames.map((type) => [type, ({ context }: { context: any }, params: Json) => {
    const env = context.$env as WorkflowEnv;
    const r = evaluateGuard(env, { type, params });
    if (!r.ok) env.failures.push({ ...r.failure, depth: r.depth });
    return r.ok;
  }]));
  const effects = Object.fromEntries(Object.keys(effectActions).map((k) => [k, () => undefined]));
  return setup({ guards, actions: { ...contextActions, ...effects } as any }).createMachine(cfg as any);
}

/** Loads and checks one workflow; problems are appended, null when it cannot be used. */
export function loadWorkflow(config: AppConfig, name: string, ajv: Ajv, problems: string[]): WorkflowDef | null {
  // From the config snapshot, never the disk: a refused edit must not reach the running machines.
  const cfg = configJson<Json>(config.source, `workflows/${name}.json`, problems);
  if (!cfg) return null;
  const before = problems.length;
  checkConfig(name, cfg, config, problems);
  const events = new Map<string, EventDef>();
  const internal = new Set<string>(cfg.meta?.internalEvents ?? []);
  for (const [type, e] of Object.entries<Json>(cfg.meta?.events ?? {})) {
    let validate;
    try {
      if (e.payload) validate = ajv.compile(withTextRule(e.payload));
    } catch (err) {
      problems.push(`workflows/${name}.json: meta.events.${type}.payload: ${(err as Error).message}`);
    }
    events.set(type, { type, title: e.title, payload: e.payload, validate, form: e.form, note: e.note, internal: internal.has(type) });
  }
  if (problems.length > before) return null;
  const counted = new Set(transitions(cfg).flatMap(({ t }) => (t.guard ? countedCollections(t.guard as GuardRef) : [])));
  return {
    id: cfg.id, version: cfg.meta.version, key: `${cfg.id}@${cfg.meta.version}`, title: cfg.meta.title ?? cfg.id,
    machine: build(cfg), initial: cfg.initial, events,
    stateTitles: new Map(Object.entries<Json>(cfg.states).map(([s, n]) => [s, n.meta.title])),
    selfHints: new Map(Object.entries<Json>(cfg.states).flatMap(([s, n]) => (n.meta.selfHint ? [[s, n.meta.selfHint]] : []))),
    countedCollections: [...counted],
  };
}

/** Every workflow the manifest's collections name, by name; throws ConfigError listing all problems. */
export function loadWorkflows(config: AppConfig, ajv: Ajv): Map<string, WorkflowDef> {
  const problems: string[] = [];
  const out = new Map<string, WorkflowDef>();
  for (const c of config.collections.values()) {
    if (!c.workflow || out.has(c.workflow)) continue;
    const wf = loadWorkflow(config, c.workflow, ajv, problems);
    if (wf) out.set(c.workflow, wf);
  }
  if (problems.length) throw new ConfigError(problems);
  return out;
}
