/** The Lifecycle the records service calls, implemented by the collections' workflows. */
import { transition } from 'xstate';
import type { Lifecycle } from '../records/lifecycle.js';
import type { AppRuntime } from '../runtime/runtime.js';
import { persistContext, plainEnv } from './env.js';

/** The internal event a workflow receives when a record's data is edited. */
export const EDITED = 'EDITED';
/**
 * The internal event a workflow that declares it receives instead of EDITED when a code
 * replacement (a deprecated code rewritten centrally to its one successor) changes a record's
 * data; a state without a RECODED transition keeps the record where it is. A workflow that does
 * not declare it treats a replacement as any edit.
 */
export const RECODED = 'RECODED';

/**
 * New records start in the machine's initial state; an edit sends the machine EDITED (a code
 * replacement RECODED, when declared), and its config decides (e.g. a submitted record goes back
 * to draft). These may change state and context only: effect actions and `count` guards are not
 * available inside an edit.
 */
export function workflowLifecycle(runtime: () => AppRuntime, effects: Pick<Lifecycle, 'afterWrite' | 'afterDelete' | 'touchesOthers'> = {}): Lifecycle {
  return {
    initial(collection) {
      const wf = runtime().workflowOf(collection);
      return wf ? { state: wf.initial, workflow: wf.key } : null;
    },
    afterEdit(collection, before, actor, cause = 'edit') {
      const wf = runtime().workflowOf(collection);
      const state = before.state ?? wf?.initial;
      const event = cause === 'recode' && wf?.events.has(RECODED) ? RECODED : EDITED;
      if (!wf || !state || !wf.stateTitles.has(state) || !wf.events.has(event)) return null;
      const env = plainEnv(runtime(), collection, before, actor ?? { name: null });
      const snapshot = wf.machine.resolveState({ value: state, context: { ...(before.workflowContext ?? {}), $env: env } });
      if (!snapshot.can({ type: event })) return null;
      const [next] = transition(wf.machine, snapshot, { type: event });
      return { state: String(next.value), context: persistContext(next.context as Record<string, unknown>) };
    },
    ...effects,
  };
}
