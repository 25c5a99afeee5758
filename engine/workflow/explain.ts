/** Turning "the machine would not take this event" into the HTTP error that says why. */
import { HttpError } from '../http/errors.js';
import type { WorkflowDef, WorkflowEnv } from './types.js';
import { own } from '../own.js';

const status = { forbidden: 403, invalid: 422, refused: 409 } as const;
const codes = { forbidden: 'forbidden', invalid: 'invalid', refused: 'refused' } as const;

/** Whether the state (or the machine's root) has any transition for the event. */
export function handles(wf: WorkflowDef, state: string, type: string): boolean {
  const node = own<any>(wf.machine.states, state);
  return !!(own<any[]>(node?.on, type)?.length || own<any[]>((wf.machine.root as any).on, type)?.length);
}

/**
 * Why the event cannot be taken: 409 wrong_state when the state has no transition for it;
 * otherwise the failure of the candidate that got furthest (most guards passed).
 */
export function explain(wf: WorkflowDef, state: string, type: string, env: WorkflowEnv): HttpError {
  const title = wf.events.get(type)?.title ?? type;
  const stateTitle = wf.stateTitles.get(state) ?? state;
  if (!handles(wf, state, type) || !env.failures.length) {
    return new HttpError(409, 'wrong_state', `当前状态为「${stateTitle}」，不能执行「${title}」`, [], { state, event: type });
  }
  const best = env.failures.reduce((a, b) => (b.depth > a.depth ? b : a));
  const message = best.kind === 'invalid' && best.details.length
    ? `不能执行「${title}」：${best.message}：${best.details.map((d) => d.message).join('；')}`
    : `不能执行「${title}」：${best.message}`;
  return new HttpError(status[best.kind], codes[best.kind], message, best.details, { state, event: type });
}
