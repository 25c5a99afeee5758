/**
 * 系统审核: the audit log of a subtree for its admins — who changed which record when, how —
 * filtered, paged newest first, and as a workbook. Filters are checked in filters.ts, the entries
 * read through the storage port (AuditLog.ofSubtree) and put in words by describe.ts.
 */
import type { Principal } from '../auth/principal.js';
import { domainBadRequest } from '../errors.js';
import { auditFilter, type AuditContext, type AuditParams } from './filters.js';
import { describeEntries, type AuditItem } from './describe.js';
import { auditWorkbook } from './workbook.js';
import { AUDIT_KINDS } from './kinds.js';

export type { AuditParams } from './filters.js';
export { auditPaths } from './filters.js';

/** Most entries one workbook holds: beyond that the admin narrows the filters. */
export const MAX_EXPORT = 20_000;

/** One page of the log: its entries in words, the cursor of the next (older) page, the kinds to filter by. */
export async function auditPage(engine: AuditContext, user: Principal, q: AuditParams) {
  const { node, filter } = await auditFilter(engine, user, q);
  const { entries, more } = await engine.storage.audit.ofSubtree(engine.storage.db, filter);
  const items: AuditItem[] = await describeEntries(engine, entries, user);
  return {
    node: { id: node.id, label: node.data[engine.runtime.config.tree.labelField] ?? null },
    items,
    nextCursor: more ? String(entries.at(-1)!.id) : null,
    kinds: AUDIT_KINDS,
  };
}

/** Every entry the filters select (the cursor and page size ignored) as a workbook, newest first. */
export async function auditExport(engine: AuditContext, user: Principal, q: AuditParams): Promise<{ body: Buffer; filename: string }> {
  const { node, filter } = await auditFilter(engine, user, { ...q, cursor: undefined, limit: undefined }, 500);
  const items: AuditItem[] = [];
  let before: number | undefined;
  for (;;) {
    // A page of 500 at a time, put in words as it comes (titles and labels read per page).
    const page = await engine.storage.audit.ofSubtree(engine.storage.db, { ...filter, ...(before !== undefined ? { before } : {}) });
    items.push(...(await describeEntries(engine, page.entries, user)));
    if (items.length > MAX_EXPORT) throw domainBadRequest(`一次最多导出 ${MAX_EXPORT} 条审核记录，请缩小范围（选择时间段、操作人或下级）`);
    if (!page.more) break;
    before = page.entries.at(-1)!.id;
  }
  const label = String(node.data[engine.runtime.config.tree.labelField] ?? node.id);
  return { body: await auditWorkbook(items, label), filename: `系统审核-${label}.xlsx` };
}
