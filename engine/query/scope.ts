import type { Engine } from '../engine.js';
import type { Principal } from '../auth/principal.js';
import type { ReadScope } from '../storage/record-query.js';
import type { StoredRecord } from '../storage/records.js';
import { recordsTable } from '../storage/records.js';
import { domainForbidden, domainNotFound } from '../errors.js';

export interface QueryScope {
  scope: ReadScope;
  /** The node the person chose, when one: its whole subtree is the scope. */
  node?: StoredRecord;
}

/**
 * Where a query or statistic looks: the subtree of the node the person chose, which they must
 * read whole (the same permission predicate as the lists: engine/auth/permissions.ts), or else
 * every subtree they read. A self-bound record is no subtree: someone who reads only their own
 * record has nothing to query.
 */
export async function queryScope(engine: Engine, user: Principal, nodeId: unknown): Promise<QueryScope> {
  const rt = engine.runtime;
  if (nodeId !== undefined && nodeId !== null && nodeId !== '') {
    const node = typeof nodeId === 'string' ? await recordsTable.get(engine.db, nodeId) : undefined;
    if (!node || node.collection !== rt.tree.name || !rt.permissions.onPath(user, 'read', node.path)) throw domainNotFound(rt.tree.title);
    return { scope: { paths: [node.path] }, node };
  }
  const paths = rt.permissions.paths(user, 'read');
  if (!paths.length) throw domainForbidden('查询统计只对查阅组织范围的账号开放');
  return { scope: { paths } };
}
