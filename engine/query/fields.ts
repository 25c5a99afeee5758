import type { CodeEntry, Collection } from '../config/types.js';
import { dateBandsOf, type DateBands } from '../validation/date-bands.js';

/** How a field can be asked about: the operators and the grouping it allows follow from this. */
export type FieldKind = 'code' | 'date' | 'text' | 'boolean' | 'number' | 'node' | 'table';

/** A top-level field of a collection as the query builder and the statistics see it. */
export interface QueryField {
  name: string;
  title: string;
  kind: FieldKind;
  /** A code field's codes (with `parent`: the hierarchy), as the expanded schema holds them. */
  codes?: CodeEntry[];
  /** A child table's columns, asked about row by row ("any row where …"). */
  columns?: QueryField[];
  /** A date field: what the years since it are — an age, years elapsed, or nothing to band (x-dateBands). */
  bands?: DateBands;
}

/** Field names a JSON path can carry as written ($.name): anything else is not queryable. */
const PLAIN_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

function kindOf(schema: Record<string, any>): FieldKind | undefined {
  if (Array.isArray(schema['x-codes'])) return 'code';
  if (schema['x-widget'] === 'node') return 'node';
  const type = Array.isArray(schema.type) ? schema.type.find((t: string) => t !== 'null') : schema.type;
  if (type === 'string') return schema.format === 'date' ? 'date' : 'text';
  if (type === 'boolean') return 'boolean';
  if (type === 'number' || type === 'integer') return 'number';
  if (type === 'array' && schema.items?.type === 'object' && schema.items.properties) return 'table';
  return undefined; // other arrays and objects are not queried
}

/** The queryable top-level fields of a collection, in the form's order, named by their titles. */
export function queryFields(collection: Collection): QueryField[] {
  return fieldsOf(collection.schema.properties ?? {}, true);
}

/** The queryable properties of an object schema (a child table's columns: no tables inside). */
function fieldsOf(props: Record<string, Record<string, any>>, tables: boolean): QueryField[] {
  const out: (QueryField & { order: number })[] = [];
  let i = 0;
  for (const [name, schema] of Object.entries(props)) {
    i++;
    const kind = kindOf(schema);
    if (!kind || !PLAIN_NAME.test(name) || (kind === 'table' && !tables)) continue;
    out.push({
      ...(kind === 'table' ? { columns: fieldsOf(schema.items.properties, false) } : {}),
      name, title: String(schema.title ?? name), kind, order: typeof schema['x-order'] === 'number' ? schema['x-order'] : 1000 + i,
      ...(kind === 'date' ? { bands: dateBandsOf(schema) } : {}),
      ...(kind === 'code' ? { codes: (schema['x-codes'] as CodeEntry[]).map(({ code, label, parent, deprecated }) => ({ code, label, ...(parent ? { parent } : {}), ...(deprecated ? { deprecated } : {}) })) } : {}),
    });
  }
  return out.sort((a, b) => a.order - b.order).map(({ order: _order, ...f }) => f);
}

/** A code with every code below it in the table's hierarchy (学历「大学」and its sub-codes). */
export function withDescendants(codes: CodeEntry[], code: string): string[] {
  const children = new Map<string, string[]>();
  for (const c of codes) if (c.parent) children.set(c.parent, [...(children.get(c.parent) ?? []), c.code]);
  const out: string[] = [];
  const seen = new Set<string>();
  const walk = (c: string) => {
    if (seen.has(c)) return; // a cycle in a table cannot loop the query
    seen.add(c);
    out.push(c);
    for (const k of children.get(c) ?? []) walk(k);
  };
  walk(code);
  return out;
}

/** The topmost ancestor of a code (itself when it has no parent): statistics roll sub-codes up to it. */
export function topOf(codes: CodeEntry[], code: string): string {
  const parent = new Map(codes.filter((c) => c.parent).map((c) => [c.code, c.parent!]));
  let c = code;
  for (let i = 0; i < 32 && parent.has(c); i++) c = parent.get(c)!;
  return c;
}
