import type { WorkflowEnv } from './types.js';

/**
 * Resolves a value written in a workflow config: "$payload.<field>", "$record.<field>",
 * "$record.id", "$now" (ISO time), "$today" (YYYY-MM-DD), "$actor" (user name); anything else
 * is the literal value.
 */
export function resolveValue(value: unknown, env: WorkflowEnv): unknown {
  if (typeof value !== 'string' || !value.startsWith('$')) return value;
  if (value === '$now') return new Date().toISOString();
  if (value === '$today') return new Date().toISOString().slice(0, 10);
  if (value === '$actor') return env.actor.name;
  if (value === '$record.id') return env.record.id;
  if (value.startsWith('$payload.')) return env.payload?.[value.slice(9)];
  if (value.startsWith('$record.')) return env.record.data[value.slice(8)];
  return value;
}

/** Resolves every value of a {field: value} map, dropping the ones that resolve to undefined. */
export function resolveValues(values: Record<string, unknown> | undefined, env: WorkflowEnv): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(values ?? {})) {
    const r = resolveValue(v, env);
    if (r !== undefined) out[k] = r;
  }
  return out;
}
