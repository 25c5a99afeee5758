import type { Principal } from '../auth/principal.js';
import { actorOf } from '../auth/actor.js';
import type { Storage, Tx } from '../ports.js';
import type { AppRuntime } from '../runtime/runtime.js';
import type { RecordService } from '../records/service.js';
import { placesUsingTable, whereHeld, type CodePlace } from './usage.js';
import { describeOutcomes, stateOutcomes, type RecordStates } from './state-outcome.js';
import { domainForbidden, domainInvalid, domainNotFound } from '../errors.js';

/** The record's data with `code` replaced by `target` in each place: the field, or the column in every row holding it. */
function replacedIn(data: Record<string, unknown>, places: CodePlace[], code: string, target: string): Record<string, unknown> {
  const out = { ...data };
  for (const p of places) {
    if (p.table === undefined) {
      if (out[p.field] === code) out[p.field] = target;
    } else if (Array.isArray(out[p.table])) {
      out[p.table] = (out[p.table] as unknown[]).map((row) =>
        row && typeof row === 'object' && (row as Record<string, unknown>)[p.field] === code ? { ...(row as Record<string, unknown>), [p.field]: target } : row);
    }
  }
  return out;
}

/**
 * Applies a one-to-one replacement of a deprecated code inside a subtree: a dry run lists what
 * would change and writes nothing; otherwise every record holding it — in a field or in any row of
 * a child table's column — is updated through the record service (validation, workflow, one audit
 * entry each, a child table's changed rows in it) in one transaction — all or nothing.
 * One-to-many replacements are refused: a person must choose per record.
 * Records are written through the record service's update (its one write path), so every hook —
 * derived fields, keys, audit — runs as on an edit; the workflow is told the change is a
 * replacement (RECODED when it declares it, else EDITED). What that does to the records' states
 * — per state, how many stay or move and to which — is in the answer (`states`, `stateSummary`),
 * the dry run's as the workflow would decide it, the run's as written, so nobody confirms a
 * replacement without knowing whether it sends records back. Storage is only read here.
 */
export async function replaceDeprecatedCode(
  storage: Pick<Storage, 'db' | 'unitOfWork' | 'records'>, rt: AppRuntime, records: Pick<RecordService, 'update' | 'outcomeOfEdit'>,
  user: Principal, table: string, code: string, node: { path: string }, dryRun: boolean,
) {
  const t = rt.config.codes.get(table);
  if (!t) throw domainNotFound('代码表');
  const entry = t.codes.find((c) => c.code === code);
  if (!entry) throw domainInvalid([{ path: '/code', message: `代码表「${t.title}」中没有代码“${code}”` }]);
  if (!entry.deprecated) throw domainInvalid([{ path: '/code', message: `代码“${entry.label}（${code}）”未停用，无需替换` }]);
  if ((entry.replacedBy ?? []).length !== 1) {
    throw domainInvalid([{ path: '/code', message: `代码“${entry.label}（${code}）”对应多个新代码（${(entry.replacedBy ?? []).join('、')}），须在表单中逐条选择` }]);
  }
  if (!rt.permissions.onPath(user, 'write', node.path)) throw domainForbidden('无权批量修改该范围内的记录');
  const target = entry.replacedBy![0];
  const targetLabel = t.codes.find((c) => c.code === target)?.label ?? target;
  const run = async (tx: Tx) => {
    // Each record once, with every place of it holding the code (a field, a child table's column).
    const holders = new Map<string, { collection: string; places: CodePlace[] }>();
    for (const p of placesUsingTable(rt, table)) {
      const equals = { field: p.field, value: code, ...(p.table === undefined ? {} : { table: p.table }) };
      for (const id of await storage.records.ids(tx, { collection: p.collection, subtree: node.path, equals })) {
        const h = holders.get(id) ?? { collection: p.collection, places: [] };
        h.places.push(p);
        holders.set(id, h);
      }
    }
    const changes: { id: string; collection: string; title: string; where: string[] }[] = [];
    const states: RecordStates[] = [];
    const actor = actorOf(user);
    for (const [id, { collection, places }] of holders) {
      const c = rt.collection(collection);
      const r = (await storage.records.get(tx, id))!;
      if (!rt.permissions.onRecord(user, 'write', r)) continue;
      const to = dryRun
        ? records.outcomeOfEdit(actor, collection, r, 'recode')?.state ?? r.state
        : (await records.update(actor, collection, id, replacedIn(r.data, places, code, target), r.version, tx, 'recode')).state;
      states.push({ collection, from: r.state, to });
      changes.push({ id, collection, title: String(r.data[c.titleField ?? places[0].field] ?? id), where: places.map((p) => whereHeld(p, r.data, code)) });
    }
    return { changes, states: stateOutcomes(rt, states) };
  };
  // A dry run reads inside a transaction too, so it sees exactly what the real run would change.
  const { changes, states } = await storage.unitOfWork.transaction(storage.db, run);
  return {
    dryRun, from: { code, label: entry.label }, to: { code: target, label: targetLabel }, count: changes.length, records: changes,
    states, stateSummary: describeOutcomes(rt, states, !dryRun),
  };
}
