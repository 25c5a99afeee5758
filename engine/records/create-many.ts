import type { Engine } from '../engine.js';
import type { Queryable } from '../storage/sqlite.js';
import { newId, recordsTable, type StoredRecord } from '../storage/records.js';
import { recordBatch, type KeyRow } from '../storage/record-batch.js';
import type { UniqueKey } from '../config/types.js';
import { keyName, keyValue } from '../storage/unique-keys.js';
import { domainConflict, domainForbidden, domainInvalid } from '../errors.js';
import { fieldTitle } from '../validation/field-titles.js';
import type { Actor } from '../auth/actor.js';

/**
 * Creates many records of one collection in the caller's transaction (tree nodes too, below
 * stored parents; roots are made one by one), with the same
 * guarantees and the same stored rows as RecordService.create for each — validation, node
 * existence and write permission, unique keys (against stored records and within the batch),
 * the workflow's initial state, completeness, code-table versions, one audit entry each — but
 * with a few multi-row statements instead of several statements per record. Throws (and so
 * rolls the caller's transaction back) on the first problem, naming the record by its index.
 */
export async function createMany(
  engine: Engine, actor: Actor, collection: string, docs: Record<string, unknown>[], tx: Queryable,
  opts: { note?: string; legacy?: boolean; ids?: string[]; /** How messages name each document, e.g. "第 12 行". */ labels?: string[] } = {},
): Promise<StoredRecord[]> {
  const rt = engine.runtime;
  const configVersion = rt.configVersion;
  const c = rt.collection(collection);
  if (!c.nodeField) throw new Error(`createMany: ${collection} has no node field`);
  const validator = rt.validator(c.name);
  const field = c.nodeField;
  const nodeTitle = fieldTitle(c.schema, `/${field}`);
  const where = (i: number) => (opts.labels ? `${opts.labels[i]}：` : docs.length > 1 ? `第 ${i + 1} 条：` : '');

  // Validation and completeness, as create() does.
  const complete: boolean[] = [];
  docs.forEach((doc, i) => {
    const errors = validator.validate(doc, opts.legacy ? doc : undefined);
    if (errors.length) throw domainInvalid(errors, `${where(i)}提交的数据有误`);
    complete.push(validator.completeOnceValid(doc));
  });

  // Nodes: each distinct node read once, checked to exist, be readable and writable.
  const nodeIds = [...new Set(docs.map((d) => d[field]).filter((v): v is string => typeof v === 'string'))];
  const nodes = new Map((await recordsTable.getMany(tx, nodeIds)).map((r) => [r.id, r]));
  const ids = docs.map((_, i) => opts.ids?.[i] ?? newId());
  const pathOf = docs.map((doc, i) => {
    const node = typeof doc[field] === 'string' ? nodes.get(doc[field] as string) : undefined;
    if (doc[field] === undefined || doc[field] === null || doc[field] === '') throw domainInvalid([{ path: `/${field}`, message: `「${nodeTitle}」为必填项` }], `${where(i)}提交的数据有误`);
    if (!node || node.collection !== rt.tree.name || (actor.principal && !rt.permissions.onPath(actor.principal, 'read', node.path))) {
      throw domainInvalid([{ path: `/${field}`, message: `「${nodeTitle}」指向的${rt.tree.title}不存在或无权访问` }], `${where(i)}提交的数据有误`);
    }
    if (actor.principal && !rt.permissions.onPath(actor.principal, 'write', node.path)) throw domainForbidden(`${where(i)}无权在「${String(node.data[rt.config.tree.labelField] ?? node.id)}」下保存${c.title}`);
    return node.path;
  });

  // Unique keys: within the batch, then against stored records (the table's primary key holds the line too).
  const keys = c.uniqueKeys ?? [];
  const keyRows: KeyRow[] = [];
  const clash = (k: UniqueKey, doc: Record<string, unknown>, i: number) => {
    const titles = k.fields.map((f) => `「${fieldTitle(c.schema, `/${f}`)}」`).join('、');
    const values = k.fields.map((f) => String(doc[f])).join('、');
    const msg = `${titles}“${values}”已被另一条${c.title}记录使用`;
    return domainConflict(`${where(i)}${msg}`, k.fields.map((f) => ({ path: `/${f}`, message: msg })), { code: 'duplicate' });
  };
  for (const k of keys) {
    const seen = new Map<string, number>();
    docs.forEach((doc, i) => {
      const value = keyValue(k, doc);
      if (value === null) return;
      if (seen.has(value)) throw clash(k, doc, i);
      seen.set(value, i);
      keyRows.push({ collection: c.name, key: keyName(k), value, recordId: ids[i] });
    });
    const taken = await recordBatch.takenKeyValue(tx, c.name, keyName(k), [...seen.keys()]);
    if (taken !== null) throw clash(k, docs[seen.get(taken)!], seen.get(taken)!);
  }

  const now = new Date().toISOString();
  const start = engine.lifecycle.initial(c);
  const codeVersions = rt.codeVersions(c);
  const records: StoredRecord[] = docs.map((doc, i) => ({
    id: ids[i], collection: c.name, nodeId: doc[field] as string, path: c.isTree ? `${pathOf[i]}${ids[i]}/` : pathOf[i], data: doc,
    state: start?.state ?? null, workflow: start?.workflow ?? null, complete: complete[i], codeVersions, version: 1,
    createdAt: now, createdBy: actor.name, updatedAt: now, updatedBy: actor.name,
  }));
  await recordBatch.insert(tx, records, keyRows, opts.note ?? null, configVersion);
  return records;
}
