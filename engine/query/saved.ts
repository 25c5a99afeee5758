import type { Principal } from '../auth/principal.js';
import { domainBadRequest, domainInvalid, domainNotFound } from '../errors.js';
import { isObject, readConditions } from './conditions.js';
import { queryScope, type QueryContext } from './scope.js';


/** The user's own saved queries of a collection and those shared on a subtree they read. */
export async function listSaved(engine: QueryContext, user: Principal, collection: string) {
  const c = engine.runtime.collection(collection);
  const items = await engine.storage.savedQueries.list(engine.storage.db, user.userId, c.name, engine.runtime.permissions.paths(user, 'read'));
  return items.map(({ owner, sharedPath, ...q }) => ({ ...q, mine: owner === user.userId, shared: sharedPath !== null }));
}

/**
 * Saves a query or statistic under a name. Shared, it is shown to everyone who reads within or
 * above the node it is shared on — a node the user reads (checked first, like any scope). The
 * spec is checked as it would be run; its node is not kept: whoever runs it chooses their own.
 */
export async function saveQuery(engine: QueryContext, user: Principal, collection: string, raw: unknown): Promise<string> {
  const c = engine.runtime.collection(collection);
  if (!isObject(raw)) throw domainBadRequest('请求体应为 JSON 对象');
  const { node } = await queryScope(engine, user, raw.node);
  const name = typeof raw.name === 'string' ? raw.name.trim() : '';
  const errors = [];
  if (!name || name.length > 100) errors.push({ path: '/name', message: '名称应为 1 到 100 个字' });
  if (raw.kind !== 'query' && raw.kind !== 'stats') errors.push({ path: '/kind', message: '类型应为查询或统计' });
  if (!isObject(raw.spec)) errors.push({ path: '/spec', message: '缺少要保存的查询' });
  if (raw.shared && !node) errors.push({ path: '/node', message: '共享须选择共享给哪个组织' });
  if (errors.length) throw domainInvalid(errors, '保存查询有误');
  const { node: _node, ...spec } = raw.spec as Record<string, unknown>;
  readConditions(c, spec.where, '/spec/where');
  if (JSON.stringify(spec).length > 16_000) throw domainBadRequest('查询过长，无法保存');
  return engine.storage.savedQueries.create(engine.storage.db, {
    owner: user.userId, collection: c.name, kind: raw.kind as 'query' | 'stats', name, spec, sharedPath: raw.shared ? node!.path : null,
  });
}

/** Deletes one of the user's own saved queries (another's, shared or not, is not found). */
export async function deleteSaved(engine: QueryContext, user: Principal, id: string): Promise<void> {
  if (!(await engine.storage.savedQueries.remove(engine.storage.db, user.userId, id))) throw domainNotFound('保存的查询');
}
