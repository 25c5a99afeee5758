import type { Engine } from '../engine.js';
import type { Principal } from '../auth/principal.js';
import { actorOf } from '../auth/actor.js';
import { recordsTable } from '../storage/records.js';
import { recordQuery } from '../storage/record-query.js';
import { fieldsUsingTable } from './usage.js';
import { domainForbidden, domainInvalid, domainNotFound } from '../errors.js';

/**
 * Applies a one-to-one replacement of a deprecated code inside a subtree: a dry run lists what
 * would change and writes nothing; otherwise every record is updated through the record service
 * (validation, workflow, one audit entry each) in one transaction — all or nothing.
 * One-to-many replacements are refused: a person must choose per record.
 */
export async function replaceDeprecatedCode(engine: Engine, user: Principal, table: string, code: string, node: { path: string }, dryRun: boolean) {
  const rt = engine.runtime;
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
  const run = async (tx: Parameters<Parameters<typeof engine.db.transaction>[0]>[0]) => {
    const changes: { id: string; collection: string; field: string; title: string }[] = [];
    for (const f of fieldsUsingTable(rt, table)) {
      const c = rt.collection(f.collection);
      for (const id of await recordQuery.ids(tx, { collection: c.name, subtree: node.path, equals: { field: f.field, value: code } })) {
        const r = (await recordsTable.get(tx, id))!;
        if (!rt.permissions.onRecord(user, 'write', r)) continue;
        changes.push({ id, collection: c.name, field: f.field, title: String(r.data[c.titleField ?? f.field] ?? id) });
        if (!dryRun) await engine.records.update(actorOf(user), c.name, id, { ...r.data, [f.field]: target }, r.version, tx);
      }
    }
    return changes;
  };
  // A dry run reads inside a transaction too, so it sees exactly what the real run would change.
  const changes = await engine.db.transaction(run);
  return { dryRun, from: { code, label: entry.label }, to: { code: target, label: targetLabel }, count: changes.length, records: changes };
}
