import type { Collection } from '../config/types.js';
import type { GroupKey, StoredRecord } from '../ports.js';
import { domainInvalid } from '../errors.js';
import { bornBy, isDate, today } from '../query/conditions.js';
import { queryFields, topOf, type QueryField } from '../query/fields.js';

/** One axis of a statistic as a person asks for it. */
export interface DimensionSpec {
  /** code: by the field's code (`top`: rolled up to the table's top level); children: by sub-node; year / age: of a date field. */
  by: 'code' | 'top' | 'children' | 'year' | 'age';
  field?: string;
  /** age: the reference date (default today) and the band edges (ages that start a band). */
  at?: string;
  edges?: number[];
}

/** An axis checked and ready: how SQL groups, and how a raw key becomes a labelled row. */
export interface Dimension {
  title: string;
  key: GroupKey;
  /** The key a raw group value counts under (e.g. a sub-code under its top code). */
  bucket: (raw: string | number | null) => string;
  /** Every bucket to show, in order, given the buckets that occurred. */
  order: (seen: Set<string>) => { key: string; label: string }[];
}

export const DEFAULT_AGE_EDGES = [31, 36, 41, 46, 51, 56, 61, 71];
export const EMPTY_LABEL = '（未填）';

const fail = (path: string, message: string) => domainInvalid([{ path, message }], '统计条件有误');

function codeDimension(field: QueryField, top: boolean): Omit<Dimension, 'key'> {
  const codes = field.codes!;
  const label = new Map(codes.map((c) => [c.code, c.label]));
  const rank = new Map(codes.map((c, i) => [c.code, i]));
  return {
    title: field.title,
    bucket: (raw) => (raw === null || raw === '' ? '' : top ? topOf(codes, String(raw)) : String(raw)),
    order: (seen) => [...seen].sort((a, b) => (a === '' ? 1 : b === '' ? -1 : (rank.get(a) ?? 1e9) - (rank.get(b) ?? 1e9) || a.localeCompare(b)))
      .map((k) => ({ key: k, label: k === '' ? EMPTY_LABEL : label.get(k) ?? k })),
  };
}

function ageDimension(field: QueryField, spec: DimensionSpec, path: string): Dimension {
  const at = spec.at || today();
  if (!isDate(at)) throw fail(`${path}/at`, `「${field.title}」计算年龄的日期「${String(at)}」不是有效日期（应为 年-月-日）`);
  const edges = spec.edges ?? DEFAULT_AGE_EDGES;
  if (!Array.isArray(edges) || !edges.length || edges.length > 30 || edges.some((e, i) => !Number.isInteger(e) || e < 1 || e > 150 || (i > 0 && e <= edges[i - 1]))) {
    throw fail(`${path}/edges`, '年龄分段应为递增的 1 到 150 之间的整数');
  }
  const labels = [`${edges[0] - 1}岁及以下`, ...edges.slice(1).map((e, i) => `${edges[i]}—${e - 1}岁`), `${edges.at(-1)}岁及以上`];
  return {
    title: `${field.title}（年龄，截至 ${at}）`,
    // Born after `at` less e years: younger than e. The first such edge is the band.
    key: { by: 'bands', field: field.name, above: edges.map((e) => bornBy(at, e)) },
    bucket: (raw) => (raw === null || raw === '' ? '' : String(raw)),
    order: (seen) => [...labels.map((label, i) => ({ key: String(i), label })), ...(seen.has('') ? [{ key: '', label: EMPTY_LABEL }] : [])],
  };
}

/** An axis checked against the collection's fields (and the node whose children it lists). */
export function readDimension(collection: Collection, spec: unknown, path: string, node: StoredRecord | undefined, children: () => { id: string; label: string }[]): Dimension {
  if (typeof spec !== 'object' || spec === null) throw fail(path, '统计维度应为对象');
  const s = spec as DimensionSpec;
  if (s.by === 'children') {
    if (!node) throw fail(`${path}/by`, '按下级组织统计须先选择一个组织');
    return {
      title: '下级组织', key: { by: 'child', path: node.path },
      bucket: (raw) => String(raw ?? ''),
      order: (seen) => [...children().map((c) => ({ key: c.id, label: c.label })), ...(seen.has('') ? [{ key: '', label: '（本级）' }] : [])],
    };
  }
  const field = queryFields(collection).find((f) => f.name === s.field);
  if (!field) throw fail(`${path}/field`, `没有名为「${String(s.field ?? '')}」的统计字段`);
  switch (s.by) {
    case 'code': case 'top':
      if (field.kind !== 'code') throw fail(`${path}/by`, `「${field.title}」不是代码字段，不能按代码分组`);
      return { key: { by: 'value', field: field.name }, ...codeDimension(field, s.by === 'top') };
    case 'year':
      if (field.kind !== 'date') throw fail(`${path}/by`, `「${field.title}」不是日期字段，不能按年份分组`);
      return {
        title: `${field.title}（年份）`, key: { by: 'year', field: field.name },
        bucket: (raw) => (raw === null ? '' : String(raw)),
        order: (seen) => [...seen].sort((a, b) => (a === '' ? 1 : b === '' ? -1 : a.localeCompare(b))).map((k) => ({ key: k, label: k === '' ? EMPTY_LABEL : `${k}年` })),
      };
    case 'age':
      if (field.kind !== 'date') throw fail(`${path}/by`, `「${field.title}」不是日期字段，不能按年龄分段`);
      return ageDimension(field, s, path);
    default:
      throw fail(`${path}/by`, `统计方式「${String(s.by ?? '')}」无法识别`);
  }
}
