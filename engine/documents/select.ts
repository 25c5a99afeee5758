import type { Principal } from '../auth/principal.js';
import type { Collection } from '../config/types.js';
import type { StoredRecord } from '../ports.js';
import type { AppRuntime } from '../runtime/runtime.js';
import type { RecordService } from '../records/service.js';
import { actorOf } from '../auth/actor.js';
import { listRecords, type ListContext } from '../records/query.js';
import { DomainError, domainBadRequest } from '../errors.js';
import { printMode, type DocumentConfig } from './config.js';
import { recordView } from './context.js';

/** What a batch print asks for: chosen records, or every record on a node (deep: its subtree). */
export interface BatchSelection {
  ids?: unknown;
  node?: unknown;
  deep?: unknown;
}

/** What a batch is selected from: the list of records, and the record service that reads a chosen record under the user's grants. */
export interface SelectionSource extends ListContext {
  readonly records: Pick<RecordService, 'read'>;
}

/** Most records one batch may hold. */
export const MAX_BATCH = 5000;

/**
 * The records of a batch, through the same read rules as GET: an id the user may not read is a
 * 404 for the whole batch; a node outside the user's grants is a 404; a subtree lists only what
 * the read filter lets through.
 */
export async function selectRecords(src: SelectionSource, user: Principal, c: Collection, body: BatchSelection): Promise<StoredRecord[]> {
  if (body && Array.isArray(body.ids)) {
    const ids = [...new Set(body.ids)];
    if (!ids.length) throw domainBadRequest('ids 不能为空');
    if (ids.length > MAX_BATCH) throw domainBadRequest(`一次最多打印 ${MAX_BATCH} 条记录`);
    if (ids.some((id) => typeof id !== 'string' || !id)) throw domainBadRequest('ids 应为记录 id 的数组');
    const out: StoredRecord[] = [];
    for (const id of ids as string[]) out.push(await src.records.read(actorOf(user), c.name, id));
    return out;
  }
  if (body && typeof body.node === 'string' && body.node) {
    const out: StoredRecord[] = [];
    let cursor: string | undefined;
    do {
      const page = await listRecords(src, user, c.name, { node: body.node, deep: body.deep === true || body.deep === 1, limit: 500, cursor });
      out.push(...page.items);
      if (out.length > MAX_BATCH) throw domainBadRequest(`一次最多打印 ${MAX_BATCH} 条记录，请缩小范围`);
      cursor = page.nextCursor ?? undefined;
    } while (cursor);
    if (!out.length) throw new DomainError('not_found', 'not_found', `所选范围内没有可打印的${c.title}`);
    return out;
  }
  throw domainBadRequest('请求体应为 {"ids": [...]} 或 {"node": "...", "deep": true}');
}

/** Refuses the whole batch (409) when any record's state allows no print, naming them. */
export function checkPrintable(rt: AppRuntime, c: Collection, doc: DocumentConfig, records: StoredRecord[]): void {
  const refused: { path: string; message: string }[] = [];
  for (const r of records) {
    const view = recordView(rt, c, r);
    try {
      printMode(doc, r.state, view.stateTitle);
    } catch (err) {
      const name = String(r.data[c.titleField ?? ''] ?? r.id);
      refused.push({ path: `/ids/${r.id}`, message: `${name}：${(err as Error).message}` });
    }
  }
  if (refused.length) {
    throw new DomainError('conflict', 'wrong_state', `${refused.length} 条${c.title}记录的状态不允许打印「${doc.title}」`, refused.slice(0, 100));
  }
}
