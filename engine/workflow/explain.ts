/** Turning "the machine would not take this event" into the domain error that says why. */
import { DomainError, type DomainErrorKind } from '../errors.js';
import type { WorkflowDef, WorkflowEnv } from './types.js';
import { own } from '../own.js';

const kinds: Record<'forbidden' | 'invalid' | 'refused', DomainErrorKind> = { forbidden: 'forbidden', invalid: 'invalid', refused: 'conflict' };
const codes = { forbidden: 'forbidden', invalid: 'invalid', refused: 'refused' } as const;

/** Whether the state (or the machine's root) has any transition for the event. */
export function handles(wf: WorkflowDef, state: string, type: string): boolean {
  const node = own<any>(wf.machine.states, state);
  return !!(own<any[]>(node?.on, type)?.length || own<any[]>((wf.machine.root as any).on, type)?.length);
}

/**
 * Why the event cannot be taken: wrong_state (a conflict) when the state has no transition for it;
 * otherwise the failure of the candidate that got furthest (most guards passed).
 */
export function explain(wf: WorkflowDef, state: string, type: string, env: WorkflowEnv): DomainError {
  const title = wf.events.get(type)?.title ?? type;
  const stateTitle = wf.stateTitles.get(state) ?? state;
  if (!handles(wf, state, type) || !env.failures.length) {
    return new DomainError('conflict', 'wrong_state', `当前状态为「${stateTitle}」，不能执行「${title}」`, [], { state, event: type });
  }
  const best = env.failures.reduce((a, b) => (b.depth > a.depth ? b : a));
  const message = best.kind === 'invalid' && best.details.length
    ? `不能执行「${title}」：${best.message}：${best.details.map((d) => d.message).join('；')}`
    : `不能执行「${title}」：${best.message}`;
  return new DomainError(kinds[best.kind], codes[best.kind], message, best.details, { state, event: type });
}
