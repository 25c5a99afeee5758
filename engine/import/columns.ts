import type { Collection, JsonSchema } from '../config/types.js';

export interface CodeOption {
  code: string;
  label: string;
  deprecated: boolean;
}

/** One column of an import file: a property of the collection's schema, named by its title. */
export interface Column {
  property: string;
  title: string;
  description?: string;
  kind: 'string' | 'number' | 'integer' | 'boolean' | 'date' | 'code' | 'node';
  essential: boolean;
  required: boolean;
  /** Code-table entries for a coded property (deprecated ones included: stored records may hold them). */
  codes?: CodeOption[];
}

/** How a code is written in a file and offered in the template's lists: "label（code）". */
export const codeCell = (o: { code: string; label: string }) => `${o.label}（${o.code}）`;

const order = (p: JsonSchema, i: number) => (typeof p['x-order'] === 'number' ? p['x-order'] : 1000 + i);

/** One column from a property of a schema (the collection's, or a child table's row). */
function toColumn(name: string, p: JsonSchema, required: Set<string>, nodeField?: string): Column {
  const kind: Column['kind'] = name === nodeField ? 'node'
    : Array.isArray(p['x-codes']) ? 'code'
    : p.format === 'date' ? 'date'
    : p.type === 'boolean' ? 'boolean'
    : p.type === 'integer' ? 'integer'
    : p.type === 'number' ? 'number' : 'string';
  return {
    property: name, title: String(p.title ?? name), description: p.description, kind,
    essential: !!p['x-essential'], required: required.has(name),
    ...(kind === 'code' ? { codes: (p['x-codes'] as any[]).map((e) => ({ code: String(e.code), label: String(e.label), deprecated: !!e.deprecated })) } : {}),
  };
}

/** The enterable properties of an object schema, in form order, as columns. */
function columnsOf(schema: JsonSchema, nodeField?: string): Column[] {
  const props = Object.entries<JsonSchema>(schema.properties ?? {});
  const required = new Set<string>(schema.required ?? []);
  return props
    .map(([name, p], i) => ({ name, p, at: order(p, i) }))
    .filter(({ p }) => !p['x-readOnly'] && p['x-widget'] !== 'hidden' && !['object', 'array'].includes(p.type))
    .sort((a, b) => a.at - b.at)
    .map(({ name, p }) => toColumn(name, p, required, nodeField));
}

/**
 * The columns of a collection's import file, in form order: every property a person may enter
 * (read-only, hidden and structured properties are left out). The node field is a column too:
 * the tree node a row belongs to, by full name, code or id.
 */
export function importColumns(c: Collection): Column[] {
  return columnsOf(c.schema, c.nodeField);
}

/** A child table (an array of objects) as a sheet of its own: one line per row, keyed by the parent. */
export interface ChildTable {
  property: string;
  title: string;
  /** Its sheet's name: the title, less what a sheet name cannot hold (at most 31 characters, no []:*?/ or backslash). */
  sheet: string;
  columns: Column[];
}

/** The collection's child tables that a file can carry (not read-only or hidden), in form order. */
export function childTables(c: Collection): ChildTable[] {
  return Object.entries<JsonSchema>(c.schema.properties ?? {})
    .map(([name, p], i) => ({ name, p, at: order(p, i) }))
    .filter(({ p }) => p.type === 'array' && p.items?.type === 'object' && !p['x-readOnly'] && p['x-widget'] !== 'hidden')
    .sort((a, b) => a.at - b.at)
    .map(({ name, p }) => ({ property: name, title: String(p.title ?? name), sheet: String(p.title ?? name).replace(/[[\]:*?/\\]/g, '_').slice(0, 31), columns: columnsOf(p.items) }));
}

/**
 * The parent's key on child sheets: the collection's first single-field unique key (its column
 * comes first on every child sheet, titled as on the main sheet). Without one, no child sheets.
 */
export function parentKey(c: Collection): Column | undefined {
  const field = (c.uniqueKeys ?? []).find((k) => k.fields.length === 1)?.fields[0];
  return field ? importColumns(c).find((col) => col.property === field) : undefined;
}

/** Normalises a header cell for matching: trims, drops a trailing essential mark "*". */
export const headerKey = (s: string) => s.replace(/\s+/g, '').replace(/[*＊]+$/, '');
