import type { Queryable } from '../storage/sqlite.js';
import type { AppRuntime } from '../runtime/runtime.js';

/**
 * Stored records whose workflow state the machine in force no longer declares: they stay
 * readable and editable, their events answer 409 workflow_outdated, and this reports them so a
 * config admin can map the states (by a workflow change or a data fix) instead of a crash.
 */
export async function staleStates(db: Queryable, rt: AppRuntime): Promise<string[]> {
  const out: string[] = [];
  for (const c of rt.config.collections.values()) {
    const wf = rt.workflowOf(c);
    if (!wf) continue;
    const rows = await db.all<{ state: string; n: number }>(
      'SELECT state, count(*) AS n FROM records WHERE collection = ? AND state IS NOT NULL GROUP BY state', [c.name]);
    for (const r of rows) {
      if (!wf.stateTitles.has(r.state)) out.push(`${c.title}：${r.n} 条记录处于流程「${wf.key}」中已不存在的状态“${r.state}”`);
    }
  }
  return out;
}
