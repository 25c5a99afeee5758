/** The Lifecycle the records service calls, implemented by the collections' workflows. */
import { transition } from 'xstate';
import type { Lifecycle } from '../records/lifecycle.js';
import type { AppRuntime } from '../runtime/runtime.js';
import { persistContext, plainEnv } from './env.js';

/** The internal event a workflow receives when a record's data is edited. */
export const EDITED = 'EDITED';

/**
 * New records start in the machine's initial state; an edit sends the machine EDITED, and its
 * config decides (e.g. a submitted record goes back to draft). EDITED may change state and
 * context only: effect actions and `count` guards are not available inside an edit.
 */
export function workflowLifecycle(runtime: () => AppRuntime, effects: Pick<Lifecycle, 'afterWrite' | 'afterDelete' | 'touchesOthers'> = {}): Lifecycle {
  return {
    initial(collection) {
      const wf = runtime().workflowOf(collection);
      return wf ? { state: wf.initial, workflow: wf.key } : null;
    },
    afterEdit(collection, before, actor) {
      const wf = runtime().workflowOf(collection);
      const state = before.state ?? wf?.initial;
      if (!wf || !state || !wf.stateTitles.has(state) || !wf.events.has(EDITED)) return null;
      const env = plainEnv(runtime(), collection, before, actor ?? { name: null });
      const snapshot = wf.machine.resolveState({ value: state, context: { ...(before.workflowContext ?? {}), $env: env } });
      if (!snapshot.can({ type: EDITED })) return null;
      const [next] = transition(wf.machine, snapshot, { type: EDITED });
      return { state: String(next.value), context: persistContext(next.context as Record<string, unknown>) };
    },
    ...effects,
  };
}
