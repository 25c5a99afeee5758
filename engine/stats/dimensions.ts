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
  /**
   * age: bands of the full years from the date to a reference date (default today) — an age when
   * the field is a birth date (x-dateBands "age"), years elapsed otherwise — and the band edges
   * (the years that start a band).
   */
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
export const DEFAULT_ELAPSED_EDGES = [5, 10, 20, 30, 40, 50];
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

/** What the bands of a date field are called: ages of a birth date, or years elapsed since any other date. */
const BAND_WORDS = {
  age: {
    what: '年龄', defaults: DEFAULT_AGE_EDGES,
    labels: (edges: number[]) => [`${edges[0] - 1}岁及以下`, ...edges.slice(1).map((e, i) => `${edges[i]}—${e - 1}岁`), `${edges.at(-1)}岁及以上`],
  },
  elapsed: {
    what: '距今年数', defaults: DEFAULT_ELAPSED_EDGES,
    // Full years, as an age is: 「5—9年」 holds 5 years up to one day short of 10.
    labels: (edges: number[]) => [`不满${edges[0]}年`, ...edges.slice(1).map((e, i) => (e - 1 === edges[i] ? `${edges[i]}年` : `${edges[i]}—${e - 1}年`)), `${edges.at(-1)}年及以上`],
  },
};

function bandDimension(field: QueryField, spec: DimensionSpec, path: string): Dimension {
  const bands = field.bands ?? 'elapsed';
  if (bands === 'none') throw fail(`${path}/by`, `「${field.title}」不按距今年数分段统计（可按年份统计）`);
  const words = BAND_WORDS[bands];
  const at = spec.at || today();
  if (!isDate(at)) throw fail(`${path}/at`, `「${field.title}」计算${words.what}的日期「${String(at)}」不是有效日期（应为 年-月-日）`);
  const edges = spec.edges ?? words.defaults;
  if (!Array.isArray(edges) || !edges.length || edges.length > 30 || edges.some((e, i) => !Number.isInteger(e) || e < 1 || e > 150 || (i > 0 && e <= edges[i - 1]))) {
    throw fail(`${path}/edges`, `${words.what}分段应为递增的 1 到 150 之间的整数`);
  }
  const labels = words.labels(edges);
  return {
    title: `${field.title}（${words.what}，截至 ${at}）`,
    // A date after `at` less e years: fewer than e full years since it. The first such edge is the band.
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
      if (field.kind !== 'date') throw fail(`${path}/by`, `「${field.title}」不是日期字段，不能按年龄或年数分段`);
      return bandDimension(field, s, path);
    default:
      throw fail(`${path}/by`, `统计方式「${String(s.by ?? '')}」无法识别`);
  }
}
