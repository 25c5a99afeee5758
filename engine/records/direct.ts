/**
 * A person's own create, update and delete through the records API, where a collection may reserve
 * some of them for its workflow (manifest `direct`: e.g. a link that only a workflow event makes).
 */
import type { Collection } from '../config/types.js';
import type { StoredRecord } from '../ports.js';
import type { Actor } from '../auth/actor.js';
import type { RecordService } from './service.js';
import { DomainError } from '../errors.js';

/** Refuses an operation the collection reserves for workflows. */
export function requireDirect(c: Collection, op: 'create' | 'update' | 'delete'): Collection {
  if (c.direct && !c.direct.includes(op)) {
    const what = { create: '新增', update: '修改', delete: '删除' }[op];
    throw new DomainError('conflict', 'workflow_only', `${c.title}不能直接${what}${c.directHint ? `：${c.directHint}` : ''}`);
  }
  return c;
}

/**
 * An update the collection lets people make (the caller checked requireDirect 'update'), in its own
 * transaction; moving the record to another node is a create there, so where only a workflow
 * creates, only a workflow moves.
 */
export async function directUpdate(records: RecordService, actor: Actor, c: Collection, id: string, body: unknown, version: number): Promise<StoredRecord> {
  if (c.direct && !c.direct.includes('create') && c.nodeField) {
    const current = await records.read(actor, c.name, id);
    if ((body as Record<string, unknown>)?.[c.nodeField] !== current.data[c.nodeField]) requireDirect(c, 'create');
  }
  return records.update(actor, c.name, id, body, version);
}
