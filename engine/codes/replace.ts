import type { Principal } from '../auth/principal.js';
import { actorOf } from '../auth/actor.js';
import type { Storage, Tx } from '../ports.js';
import type { AppRuntime } from '../runtime/runtime.js';
import type { RecordService } from '../records/service.js';
import { fieldsUsingTable } from './usage.js';
import { domainForbidden, domainInvalid, domainNotFound } from '../errors.js';

/**
 * Applies a one-to-one replacement of a deprecated code inside a subtree: a dry run lists what
 * would change and writes nothing; otherwise every record is updated through the record service
 * (validation, workflow, one audit entry each) in one transaction — all or nothing.
 * One-to-many replacements are refused: a person must choose per record.
 * Records are written through the record service's update (its one write path), so every hook —
 * workflow, derived fields, keys, audit — runs as on an edit; storage is only read here.
 */
export async function replaceDeprecatedCode(
  storage: Pick<Storage, 'db' | 'unitOfWork' | 'records'>, rt: AppRuntime, records: Pick<RecordService, 'update'>,
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
    const changes: { id: string; collection: string; field: string; title: string }[] = [];
    for (const f of fieldsUsingTable(rt, table)) {
      const c = rt.collection(f.collection);
      for (const id of await storage.records.ids(tx, { collection: c.name, subtree: node.path, equals: { field: f.field, value: code } })) {
        const r = (await storage.records.get(tx, id))!;
        if (!rt.permissions.onRecord(user, 'write', r)) continue;
        changes.push({ id, collection: c.name, field: f.field, title: String(r.data[c.titleField ?? f.field] ?? id) });
        if (!dryRun) await records.update(actorOf(user), c.name, id, { ...r.data, [f.field]: target }, r.version, tx);
      }
    }
    return changes;
  };
  // A dry run reads inside a transaction too, so it sees exactly what the real run would change.
  const changes = await storage.unitOfWork.transaction(storage.db, run);
  return { dryRun, from: { code, label: entry.label }, to: { code: target, label: targetLabel }, count: changes.length, records: changes };
}
