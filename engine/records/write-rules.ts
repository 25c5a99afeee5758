/**
 * The checks and the shape every new or changed record shares, whether the record service writes
 * one record (service.ts) or many at once (create-many.ts): each rule and each message is written
 * here once. `where` names the record among many ("第 12 行："); it is '' for a single write.
 */
import type { Collection, UniqueKey } from '../config/types.js';
import type { StoredRecord } from '../ports.js';
import type { AppRuntime } from '../runtime/runtime.js';
import type { Actor } from '../auth/actor.js';
import { type DomainError, domainConflict, domainForbidden, domainInvalid } from '../errors.js';
import { fieldTitle } from '../validation/field-titles.js';

/** Key in a record's context holding the fields a workflow fixed: {field: value}. */
export const LOCKED = '$locked';

/** The data passes the collection's schema and rules (`previous`: the stored data, whose deprecated codes stay valid). */
export function checkValid(rt: AppRuntime, c: Collection, data: unknown, previous?: Record<string, unknown>, where = ''): void {
  const errors = rt.validator(c.name).validate(data, previous);
  if (errors.length) throw domainInvalid(errors, `${where}提交的数据有误`);
}

/** The record names no node, though it must hang on one. */
export function nodeRequired(c: Collection, where = ''): DomainError {
  const path = `/${c.nodeField}`;
  return domainInvalid([{ path, message: `「${fieldTitle(c.schema, path)}」为必填项` }], `${where}提交的数据有误`);
}

/** The node a record of `c` hangs on (as read, or undefined when absent): a tree node the actor reads and may write under. */
export function checkNode(rt: AppRuntime, actor: Actor, c: Collection, node: StoredRecord | undefined, where = ''): StoredRecord {
  const path = `/${c.nodeField}`;
  const tree = rt.tree;
  if (!node || node.collection !== tree.name || (actor.principal && !rt.permissions.onRecord(actor.principal, 'read', node))) {
    throw domainInvalid([{ path, message: `「${fieldTitle(c.schema, path)}」指向的${tree.title}不存在或无权访问` }], `${where}提交的数据有误`);
  }
  if (actor.principal && !rt.permissions.onPath(actor.principal, 'write', node.path)) {
    throw domainForbidden(`${where}无权在「${String(node.data[rt.config.tree.labelField] ?? node.id)}」下保存${c.title}`);
  }
  return node;
}

/** A unique key's value that another record holds, named by its fields' titles. */
export function duplicateKey(c: Collection, key: UniqueKey, data: Record<string, unknown>, where = ''): DomainError {
  const titles = key.fields.map((f) => `「${fieldTitle(c.schema, `/${f}`)}」`).join('、');
  const values = key.fields.map((f) => String(data[f])).join('、');
  const message = `${titles}“${values}”已被另一条${c.title}记录使用`;
  return domainConflict(`${where}${message}`, key.fields.map((f) => ({ path: `/${f}`, message })), { code: 'duplicate' });
}

/**
 * Fields marked x-readOnly are the engine's to write (derived values): a person's request can
 * neither set nor change them, whatever it sends.
 */
export function keepReadOnly(actor: Actor, c: Collection, data: unknown, before?: Record<string, unknown>): unknown {
  if (!actor.principal || !data || typeof data !== 'object' || Array.isArray(data)) return data;
  const out = { ...(data as Record<string, unknown>) };
  for (const [field, p] of Object.entries<any>(c.schema.properties ?? {})) {
    if (!p['x-readOnly']) continue;
    if (before && before[field] !== undefined) out[field] = before[field];
    else delete out[field];
  }
  return out;
}

/** What every record made under the same config at the same moment shares. */
export interface NewRecordTerms {
  now: string;
  /** The workflow's initial state (Lifecycle.initial), or null. */
  start: { state: string; workflow: string } | null;
  codeVersions: Record<string, number>;
}

/** A new record as stored: on `node` (null: a root of the tree), in its workflow's initial state, version 1. */
export function newRecord(
  c: Collection, actor: Actor, id: string, doc: Record<string, unknown>, node: StoredRecord | null, complete: boolean,
  terms: NewRecordTerms, lock?: string[],
): StoredRecord {
  return {
    id, collection: c.name, nodeId: node?.id ?? null,
    path: c.isTree ? `${node?.path ?? '/'}${id}/` : node!.path,
    data: doc, state: terms.start?.state ?? null, workflow: terms.start?.workflow ?? null,
    workflowContext: lock?.length ? { [LOCKED]: Object.fromEntries(lock.map((f) => [f, doc[f] ?? null])) } : null,
    complete, codeVersions: terms.codeVersions, version: 1,
    createdAt: terms.now, createdBy: actor.name, updatedAt: terms.now, updatedBy: actor.name,
  };
}
