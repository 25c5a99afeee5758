import type { Principal } from '../auth/principal.js';
import { domainBadRequest, domainInvalid } from '../errors.js';
import { isObject, readConditions } from './conditions.js';
import { queryFields, type QueryField } from './fields.js';
import { queryScope, type QueryContext } from './scope.js';
import { tableText } from './table-text.js';

/** What a person asks of the query builder (POST /api/query/:collection, saved queries). */
export interface QuerySpec {
  node?: string;
  where?: unknown;
  columns?: string[];
  sort?: { field: string; desc?: boolean };
  limit?: number;
  offset?: number;
}


/** The spec's columns and sort, checked against the fields; the list's own columns when none are chosen. */
function readLayout(fields: QueryField[], spec: Record<string, unknown>, defaults: string[]) {
  const byName = new Map(fields.map((f) => [f.name, f]));
  const columns = spec.columns === undefined ? defaults.filter((c) => byName.has(c)) : spec.columns;
  if (!Array.isArray(columns) || columns.length > 60) throw domainBadRequest('columns 应为至多 60 个字段名的数组');
  const unknown = columns.findIndex((c) => typeof c !== 'string' || !byName.has(c));
  if (unknown >= 0) throw domainInvalid([{ path: `/columns/${unknown}`, message: `没有名为「${String(columns[unknown])}」的字段` }], '显示列有误');
  let sort: { field: string; desc: boolean } | undefined;
  if (spec.sort !== undefined && spec.sort !== null) {
    const s = spec.sort;
    if (!isObject(s) || typeof s.field !== 'string' || !byName.has(s.field)) throw domainInvalid([{ path: '/sort/field', message: `没有名为「${isObject(s) ? String(s.field) : ''}」的排序字段` }], '排序有误');
    // A child table holds rows, not one value to order by.
    if (byName.get(s.field)!.kind === 'table') throw domainInvalid([{ path: '/sort/field', message: `「${byName.get(s.field)!.title}」是子表，不能作为排序字段` }], '排序有误');
    sort = { field: s.field, desc: s.desc === true };
  }
  return { columns: columns as string[], sort, byName };
}

function readPaging(spec: Record<string, unknown>) {
  const limit = spec.limit ?? 50, offset = spec.offset ?? 0;
  if (!Number.isInteger(limit) || (limit as number) < 1 || (limit as number) > 500) throw domainBadRequest('limit 应为 1 到 500 之间的整数');
  if (!Number.isInteger(offset) || (offset as number) < 0 || (offset as number) > 1_000_000) throw domainBadRequest('offset 应为不小于 0 的整数');
  return { limit: limit as number, offset: offset as number };
}

/**
 * A query checked whole before anything is read: the scope (a subtree the user reads), the
 * condition tree against the schema, the columns, sort and paging.
 */
export async function prepareQuery(engine: QueryContext, user: Principal, collectionName: string, raw: unknown) {
  const c = engine.runtime.collection(collectionName);
  if (!isObject(raw)) throw domainBadRequest('请求体应为 JSON 对象');
  const { scope, node } = await queryScope(engine, user, raw.node);
  const where = readConditions(c, raw.where);
  const fields = queryFields(c);
  const layout = readLayout(fields, raw, c.listColumns ?? fields.slice(0, 6).map((f) => f.name));
  return { collection: c, scope, node, where, fields, ...layout, ...readPaging(raw) };
}

type Prepared = Awaited<ReturnType<typeof prepareQuery>>;

/** Node fields show their node's label, not its id. */
async function nodeLabels(engine: QueryContext, prepared: Prepared, rows: Record<string, unknown>[]): Promise<Map<string, unknown>> {
  const nodeCols = prepared.columns.filter((c) => prepared.byName.get(c)!.kind === 'node');
  const ids = [...new Set(rows.flatMap((r) => nodeCols.map((c) => r[c]).filter((v): v is string => typeof v === 'string')))];
  const tree = engine.runtime.config.tree;
  return engine.storage.records.fieldOf(engine.storage.db, ids, tree.labelField);
}

/** One page of the matching records, each with only the chosen columns (node fields as labels, child tables in words). */
export async function runQuery(engine: QueryContext, prepared: Prepared) {
  const { items, more } = await engine.storage.recordConditions.page(engine.storage.db, { collection: prepared.collection.name, scope: prepared.scope, where: prepared.where },
    { limit: prepared.limit, offset: prepared.offset, sort: prepared.sort });
  const labels = await nodeLabels(engine, prepared, items.map((r) => r.data));
  return {
    columns: prepared.columns.map((name) => ({ name, title: prepared.byName.get(name)!.title, kind: prepared.byName.get(name)!.kind })),
    items: items.map((r) => ({
      id: r.id, state: r.state,
      data: Object.fromEntries(prepared.columns.filter((c) => r.data[c] !== undefined).map((c) => [c, r.data[c]])),
      labels: Object.fromEntries([
        ...prepared.columns.filter((c) => prepared.byName.get(c)!.kind === 'node' && labels.has(String(r.data[c]))).map((c) => [c, labels.get(String(r.data[c]))]),
        ...prepared.columns.filter((c) => prepared.byName.get(c)!.kind === 'table').map((c) => [c, tableText(prepared.collection, c, r.data[c])]),
      ]),
    })),
    more,
    limit: prepared.limit,
    offset: prepared.offset,
  };
}

/** How many records match (asked apart from the page: over a large subtree counting reads every row). */
export async function countQuery(engine: QueryContext, prepared: Prepared): Promise<number> {
  return engine.storage.recordConditions.count(engine.storage.db, { collection: prepared.collection.name, scope: prepared.scope, where: prepared.where });
}
