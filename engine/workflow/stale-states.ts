import type { Storage } from '../ports.js';
import type { AppRuntime } from '../runtime/runtime.js';

/** What the checks read: how many records of a collection are in each state. */
type Facts = Pick<Storage, 'db' | 'workflowFacts'>;

/**
 * Stored records whose workflow state the machine in force no longer declares: they stay
 * readable and editable, their events answer 409 workflow_outdated, and this reports them so a
 * config admin can map the states (by a workflow change or a data fix) instead of a crash.
 * Only a config found at start-up can leave such records: a live change is refused first
 * (removedStatesInUse).
 */
export async function staleStates({ db, workflowFacts }: Facts, rt: AppRuntime): Promise<string[]> {
  const out: string[] = [];
  for (const c of rt.config.collections.values()) {
    const wf = rt.workflowOf(c);
    if (!wf) continue;
    for (const r of await workflowFacts.countByState(db, c.name)) {
      if (!wf.stateTitles.has(r.state)) out.push(`${c.title}：${r.n} 条记录处于流程「${wf.key}」中已不存在的状态“${r.state}”`);
    }
  }
  return out;
}

/**
 * Refuses a workflow change that removes (or renames) a state records are in: until config
 * versions exist, those records would otherwise be moved silently into a machine that has no
 * such state. Only states the previous machine declared count, so records already stranded
 * (reported by staleStates) do not block every later change.
 */
export async function removedStatesInUse({ db, workflowFacts }: Facts, next: AppRuntime, previous: AppRuntime): Promise<string[]> {
  const out: string[] = [];
  for (const c of next.config.collections.values()) {
    const before = previous.config.collections.get(c.name);
    const old = before && previous.workflowOf(before);
    if (!old) continue;
    const wf = next.workflowOf(c);
    for (const r of await workflowFacts.countByState(db, c.name)) {
      if (!old.stateTitles.has(r.state) || wf?.stateTitles.has(r.state)) continue;
      const file = `workflows/${c.workflow ?? before!.workflow}.json`;
      out.push(`${file}：状态“${r.state}”（${old.stateTitles.get(r.state)}）被删除或改名，但有 ${r.n} 条${c.title}记录处于该状态；`
        + '请保留该状态，或先把这些记录办理到其他状态后再修改流程');
    }
  }
  return out;
}
