import type { CodeEntry, Collection } from '../config/types.js';

/** How a field can be asked about: the operators and the grouping it allows follow from this. */
export type FieldKind = 'code' | 'date' | 'text' | 'boolean' | 'number' | 'node';

/** A top-level field of a collection as the query builder and the statistics see it. */
export interface QueryField {
  name: string;
  title: string;
  kind: FieldKind;
  /** A code field's codes (with `parent`: the hierarchy), as the expanded schema holds them. */
  codes?: CodeEntry[];
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
  return undefined; // arrays and objects (child tables) are not queried yet
}

/** The queryable top-level fields of a collection, in the form's order, named by their titles. */
export function queryFields(collection: Collection): QueryField[] {
  const props: Record<string, Record<string, any>> = collection.schema.properties ?? {};
  const out: (QueryField & { order: number })[] = [];
  let i = 0;
  for (const [name, schema] of Object.entries(props)) {
    i++;
    const kind = kindOf(schema);
    if (!kind || !PLAIN_NAME.test(name)) continue;
    out.push({
      name, title: String(schema.title ?? name), kind, order: typeof schema['x-order'] === 'number' ? schema['x-order'] : 1000 + i,
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
