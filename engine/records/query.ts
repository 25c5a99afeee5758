import type { Param } from '../storage/sqlite.js';
import { recordsTable, type StoredRecord } from '../storage/records.js';
import { pathUpperBound } from '../auth/permissions.js';
import type { Principal } from '../auth/principal.js';
import type { Engine } from '../engine.js';
import { badRequest, notFound } from '../http/errors.js';
import { countUnder } from './stats.js';

export interface ListQuery {
  node?: string;
  deep?: boolean;
  state?: string;
  q?: string;
  limit?: number;
  cursor?: string;
}

const escapeLike = (s: string) => s.replace(/[\\%_]/g, (ch) => '\\' + ch);

/**
 * One page of a collection as the user may see it: the permission filter first, then the
 * node (its own records, or with deep its whole subtree), state and text search.
 */
export async function listRecords(engine: Engine, user: Principal, collection: string, query: ListQuery) {
  const rt = engine.runtime;
  const c = rt.collection(collection);
  const filter = rt.permissions.readFilter(user, c.name);
  const where = ['collection = ?', filter.sql];
  const params: Param[] = [c.name, ...filter.params];
  let counted: (() => Promise<number>) | null = null;
  if (query.node) {
    const node = await recordsTable.get(engine.db, query.node);
    if (!node || node.collection !== rt.tree.name || !rt.permissions.onRecord(user, 'read', node)) throw notFound(rt.tree.title);
    if (query.deep) {
      where.push('path >= ? AND path < ?');
      params.push(node.path, pathUpperBound(node.path));
    } else {
      where.push('node_id = ?');
      params.push(node.id);
    }
    // The subtree counters know the total when the user reads the node's whole subtree and only
    // the node and the state narrow the list: a COUNT would read every row of a big branch.
    if (!query.q?.trim() && rt.permissions.onPath(user, 'read', node.path) && (query.deep || !c.isTree)) {
      counted = () => countUnder(engine.db, rt.tree.name, node.id, c.name, query.state ?? null, !!query.deep);
    }
  }
  if (query.state) {
    where.push('state = ?');
    params.push(query.state);
  }
  const q = query.q?.trim();
  if (q) {
    const fields = c.search?.length ? c.search : [c.titleField ?? Object.keys(c.schema.properties ?? {})[0]];
    where.push(`(${fields.map(() => "json_extract(data, ?) LIKE ? ESCAPE '\\'").join(' OR ')})`);
    for (const f of fields) params.push(`$.${f}`, `%${escapeLike(q)}%`);
  }
  const limit = query.limit ?? 50;
  if (!Number.isInteger(limit) || limit < 1 || limit > 500) throw badRequest('limit 应为 1 到 500 之间的整数');
  const after = query.cursor ? Number(query.cursor) : undefined;
  if (after !== undefined && (!Number.isInteger(after) || after < 0)) throw badRequest('cursor 无效');
  const sql = where.join(' AND ');
  const page = await recordsTable.page(engine.db, sql, params, limit, after);
  const total = counted ? await counted() : (await engine.db.get<{ n: number }>(`SELECT count(*) AS n FROM records WHERE ${sql}`, params))?.n ?? 0;
  return { ...page, total };
}

export type { StoredRecord };
