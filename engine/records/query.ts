import type { RecordFilter, Storage, StoredRecord } from '../ports.js';
import type { Principal } from '../auth/principal.js';
import type { AppRuntime } from '../runtime/runtime.js';
import { domainBadRequest, domainNotFound } from '../errors.js';

/** What a list reads: the records and the subtree counters; the runtime's config and permissions. */
export interface ListContext {
  readonly storage: Pick<Storage, 'db' | 'records' | 'subtreeStats'>;
  readonly runtime: AppRuntime;
}

export interface ListQuery {
  node?: string;
  deep?: boolean;
  state?: string;
  q?: string;
  limit?: number;
  cursor?: string;
}

/**
 * One page of a collection as the user may see it: the permission scope first, then the
 * node (its own records, or with deep its whole subtree), state and text search.
 */
export async function listRecords({ storage, runtime: rt }: ListContext, user: Principal, collection: string, query: ListQuery) {
  const { db, records } = storage;
  const c = rt.collection(collection);
  const filter: RecordFilter = { collection: c.name, scope: rt.permissions.readScope(user, c.name) };
  let counted: (() => Promise<number>) | null = null;
  if (query.node) {
    const node = await records.get(db, query.node);
    if (!node || node.collection !== rt.tree.name || !rt.permissions.onRecord(user, 'read', node)) throw domainNotFound(rt.tree.title);
    if (query.deep) filter.subtree = node.path;
    else filter.node = node.id;
    // The subtree counters know the total when the user reads the node's whole subtree and only
    // the node and the state narrow the list: a COUNT would read every row of a big branch.
    if (!query.q?.trim() && rt.permissions.onPath(user, 'read', node.path) && (query.deep || !c.isTree)) {
      counted = () => storage.subtreeStats.countUnder(db, rt.tree.name, node.path, c.name, query.state ?? null, !!query.deep);
    }
  } else if (!query.q?.trim() && filter.scope?.paths.length === 1 && !filter.scope.selfRecord && (c.isTree || c.nodeField)) {
    // Everything of one granted subtree (an admin's list before choosing a node): its counters
    // know the total as well, where a COUNT would read every row of a district or a province.
    const [path] = filter.scope.paths;
    counted = () => storage.subtreeStats.countUnder(db, rt.tree.name, path, c.name, query.state ?? null, true);
  }
  if (query.state) filter.state = query.state;
  const q = query.q?.trim();
  if (q) filter.search = { fields: c.search?.length ? c.search : [c.titleField ?? Object.keys(c.schema.properties ?? {})[0]], text: q };
  const limit = query.limit ?? 50;
  if (!Number.isInteger(limit) || limit < 1 || limit > 500) throw domainBadRequest('limit 应为 1 到 500 之间的整数');
  const page = await records.page(db, filter, limit, query.cursor || undefined);
  const total = counted ? await counted() : await records.count(db, filter);
  return { ...page, total };
}

export type { StoredRecord };
