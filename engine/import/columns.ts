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

/**
 * The columns of a collection's import file, in form order: every property a person may enter
 * (read-only, hidden and structured properties are left out). The node field is a column too:
 * the tree node a row belongs to, by full name, code or id.
 */
export function importColumns(c: Collection): Column[] {
  const props = Object.entries<JsonSchema>(c.schema.properties ?? {});
  const required = new Set<string>(c.schema.required ?? []);
  return props
    .map(([name, p], i) => ({ name, p, at: order(p, i) }))
    .filter(({ p }) => !p['x-readOnly'] && p['x-widget'] !== 'hidden' && !['object', 'array'].includes(p.type))
    .sort((a, b) => a.at - b.at)
    .map(({ name, p }) => {
      const kind: Column['kind'] = name === c.nodeField ? 'node'
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
    });
}

/** Normalises a header cell for matching: trims, drops a trailing essential mark "*". */
export const headerKey = (s: string) => s.replace(/\s+/g, '').replace(/[*＊]+$/, '');
