import { newId, keyName, keyValue, type KeyRow, type Storage, type StoredRecord, type Tx } from '../ports.js';
import type { AppRuntime } from '../runtime/runtime.js';
import type { Lifecycle } from './lifecycle.js';
import type { Actor } from '../auth/actor.js';
import { checkNode, checkValid, duplicateKey, keepReadOnly, newRecord, nodeRequired } from './write-rules.js';

export interface ManyOptions {
  note?: string;
  legacy?: boolean;
  ids?: string[];
  /** How messages name each document, e.g. "第 12 行". */
  labels?: string[];
}

/** What a batch of creates reads and writes through, handed over by the record service. */
export interface ManyContext {
  storage: Pick<Storage, 'records' | 'recordBatch'>;
  runtime: AppRuntime;
  lifecycle: Lifecycle;
}

/**
 * RecordService.createMany's batch (the service is its one caller): many records of one
 * collection in the caller's transaction (tree nodes too, below stored parents; roots are made one
 * by one), each under the same rules as RecordService.create (write-rules.ts) — read-only fields,
 * validation, node existence and write permission, unique keys (against stored records and within
 * the batch), the workflow's initial state, completeness, code-table versions, one audit entry
 * each — but with a few multi-row statements (RecordBatch) instead of several per record. Throws
 * (and so rolls the caller's transaction back) on the first problem, naming the record.
 */
export async function insertMany(
  { storage, runtime: rt, lifecycle }: ManyContext, actor: Actor, collection: string, input: Record<string, unknown>[], tx: Tx, opts: ManyOptions = {},
): Promise<StoredRecord[]> {
  const configVersion = rt.configVersion;
  const c = rt.collection(collection);
  if (!c.nodeField) throw new Error(`createMany: ${collection} has no node field`);
  const validator = rt.validator(c.name);
  const field = c.nodeField;
  const where = (i: number) => (opts.labels ? `${opts.labels[i]}：` : input.length > 1 ? `第 ${i + 1} 条：` : '');

  // Read-only fields, validation and completeness, as create() does.
  const docs = input.map((doc) => keepReadOnly(actor, c, doc) as Record<string, unknown>);
  const complete = docs.map((doc, i) => {
    checkValid(rt, c, doc, opts.legacy ? doc : undefined, where(i));
    return validator.completeOnceValid(doc);
  });

  // Nodes: each distinct node read once, checked to exist, be readable and writable.
  const nodeIds = [...new Set(docs.map((d) => d[field]).filter((v): v is string => typeof v === 'string'))];
  const nodes = new Map((await storage.records.getMany(tx, nodeIds)).map((r) => [r.id, r]));
  const nodeOf = docs.map((doc, i) => {
    if (doc[field] === undefined || doc[field] === null || doc[field] === '') throw nodeRequired(c, where(i));
    return checkNode(rt, actor, c, typeof doc[field] === 'string' ? nodes.get(doc[field] as string) : undefined, where(i));
  });
  const ids = docs.map((_, i) => opts.ids?.[i] ?? newId());

  // Unique keys: within the batch, then against stored records (the store's key holds the line too).
  const keyRows: KeyRow[] = [];
  for (const k of c.uniqueKeys ?? []) {
    const seen = new Map<string, number>();
    docs.forEach((doc, i) => {
      const value = keyValue(k, doc);
      if (value === null) return;
      if (seen.has(value)) throw duplicateKey(c, k, doc, where(i));
      seen.set(value, i);
      keyRows.push({ collection: c.name, key: keyName(k), value, recordId: ids[i] });
    });
    const taken = await storage.recordBatch.takenKeyValue(tx, c.name, keyName(k), [...seen.keys()]);
    if (taken !== null) throw duplicateKey(c, k, docs[seen.get(taken)!], where(seen.get(taken)!));
  }

  const terms = { now: new Date().toISOString(), start: lifecycle.initial(c), codeVersions: rt.codeVersions(c) };
  const records = docs.map((doc, i) => newRecord(c, actor, ids[i], doc, nodeOf[i], complete[i], terms));
  await storage.recordBatch.insert(tx, records, keyRows, opts.note ?? null, configVersion);
  return records;
}
