import type { Principal } from '../auth/principal.js';
import type { Storage } from '../ports.js';
import { domainBadRequest, domainInvalid } from '../errors.js';
import { isObject, readConditions } from '../query/conditions.js';
import { queryFields } from '../query/fields.js';
import { queryScope, type QueryContext } from '../query/scope.js';
import { readDimension, type Dimension } from './dimensions.js';

/** What statistics use of the engine: what a query does, and the index of code fields. */
export interface StatsContext extends QueryContext {
  readonly storage: QueryContext['storage'] & Pick<Storage, 'factIndex'>;
}

/** A statistic's table: counts per row (and column) bucket with their totals. Shares are count / total. */
export interface StatsTable {
  title: string;
  rowTitle: string;
  colTitle: string | null;
  rows: { key: string; label: string }[];
  cols: { key: string; label: string }[];
  /** cells[row][col]. Without a column axis, one column: the count. */
  cells: number[][];
  rowTotals: number[];
  colTotals: number[];
  total: number;
}

/** More children than this are not one row each: a statistic is read, not scrolled. */
const MAX_CHILDREN = 2000;

/** The statistic checked whole (scope, conditions, axes) before anything is counted. */
export async function prepareStats(engine: StatsContext, user: Principal, collectionName: string, raw: unknown) {
  const rt = engine.runtime;
  const c = rt.collection(collectionName);
  if (!isObject(raw)) throw domainBadRequest('请求体应为 JSON 对象');
  const { scope, node } = await queryScope(engine, user, raw.node);
  const where = readConditions(c, raw.where);
  let children: { id: string; label: string }[] = [];
  const wantsChildren = [raw.rows, raw.cols].some((d) => isObject(d) && d.by === 'children');
  if (wantsChildren && node) {
    const ids = await engine.storage.records.ids(engine.storage.db, { collection: rt.tree.name, node: node.id });
    if (ids.length > MAX_CHILDREN) throw domainBadRequest(`下级组织超过 ${MAX_CHILDREN} 个，请选择更低一级的组织`);
    const labels = await engine.storage.records.fieldOf(engine.storage.db, ids, rt.config.tree.labelField);
    children = ids.map((id) => ({ id, label: String(labels.get(id) ?? id) }));
  }
  if (raw.rows === undefined) throw domainInvalid([{ path: '/rows', message: '请选择按什么统计' }], '统计条件有误');
  const rows = readDimension(c, raw.rows, '/rows', node, () => children);
  const cols = raw.cols === undefined || raw.cols === null ? undefined : readDimension(c, raw.cols, '/cols', node, () => children);
  return { collection: c, scope, node, where, rows, cols };
}

type Prepared = Awaited<ReturnType<typeof prepareStats>>;

/**
 * The raw groups: from the index of the collection's code fields when only code fields and
 * sub-nodes are asked and no condition narrows (the port's FactIndex, when it serves these fields),
 * else by reading the matching records.
 */
async function countGroups(engine: StatsContext, p: Prepared, dims: Dimension[]): Promise<{ keys: (string | number | null)[]; n: number }[]> {
  const codeFields = queryFields(p.collection).filter((f) => f.kind === 'code').map((f) => f.name);
  const child = dims.find((d) => d.key.by === 'child')?.key;
  const { db, factIndex, recordConditions } = engine.storage;
  const served = !p.where && factIndex.indexable(p.collection.name, codeFields)
    && dims.every((d) => d.key.by === 'child' || (d.key.by === 'value' && codeFields.includes(d.key.field)));
  if (!served) return recordConditions.groupCount(db, { collection: p.collection.name, scope: p.scope, where: p.where }, dims.map((d) => d.key));
  // Only the asked fields' values are read from the rows: an adapter without an index of all
  // code fields (PostgreSQL) groups by these alone.
  const read = dims.flatMap((d) => (d.key.by === 'value' ? [d.key.field] : []));
  const rows = await factIndex.groupCount(db, p.collection.name, codeFields, p.scope, child?.by === 'child' ? child.path : undefined, read);
  return rows.map((r) => ({ keys: dims.map((d) => (d.key.by === 'value' ? r.values[codeFields.indexOf(d.key.field)] : r.child ?? '')), n: r.n }));
}

/** Counts the records in scope that match, grouped by one or two axes, into a table with totals. */
export async function runStats(engine: StatsContext, p: Prepared): Promise<StatsTable> {
  const dims: Dimension[] = p.cols ? [p.rows, p.cols] : [p.rows];
  const groups = await countGroups(engine, p, dims);
  const counts = new Map<string, number>();
  const seen = dims.map(() => new Set<string>());
  for (const g of groups) {
    const keys = dims.map((d, i) => d.bucket(g.keys[i]));
    keys.forEach((k, i) => seen[i].add(k));
    const id = JSON.stringify(keys);
    counts.set(id, (counts.get(id) ?? 0) + g.n);
  }
  const rows = p.rows.order(seen[0]);
  const cols = p.cols ? p.cols.order(seen[1]) : [{ key: '', label: '人数' }];
  const cells = rows.map((r) => cols.map((c) => counts.get(JSON.stringify(p.cols ? [r.key, c.key] : [r.key])) ?? 0));
  const rowTotals = cells.map((row) => row.reduce((a, b) => a + b, 0));
  const colTotals = cols.map((_, j) => cells.reduce((a, row) => a + row[j], 0));
  return {
    title: `${p.collection.title}${p.node ? `（${String(p.node.data[engine.runtime.config.tree.labelField] ?? '')}）` : ''}按${p.rows.title}${p.cols ? `、${p.cols.title}` : ''}统计`,
    rowTitle: p.rows.title, colTitle: p.cols?.title ?? null,
    rows, cols, cells, rowTotals, colTotals, total: rowTotals.reduce((a, b) => a + b, 0),
  };
}
