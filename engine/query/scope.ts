import type { Principal } from '../auth/principal.js';
import type { ReadScope, Storage, StoredRecord } from '../ports.js';
import type { AppRuntime } from '../runtime/runtime.js';
import { domainForbidden, domainNotFound } from '../errors.js';

/** What the query services use of the engine: the runtime in force and the storage parts they read. */
export interface QueryContext {
  readonly runtime: AppRuntime;
  readonly storage: Pick<Storage, 'db' | 'records' | 'recordConditions' | 'savedQueries'>;
}

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
export async function queryScope(engine: QueryContext, user: Principal, nodeId: unknown): Promise<QueryScope> {
  const rt = engine.runtime;
  if (nodeId !== undefined && nodeId !== null && nodeId !== '') {
    const node = typeof nodeId === 'string' ? await engine.storage.records.get(engine.storage.db, nodeId) : undefined;
    if (!node || node.collection !== rt.tree.name || !rt.permissions.onPath(user, 'read', node.path)) throw domainNotFound(rt.tree.title);
    return { scope: { paths: [node.path] }, node };
  }
  const paths = rt.permissions.paths(user, 'read');
  if (!paths.length) throw domainForbidden('查询统计只对查阅组织范围的账号开放');
  return { scope: { paths } };
}
