import type { Storage } from '../ports.js';
import type { AppRuntime } from '../runtime/runtime.js';

export interface CodeField {
  collection: string;
  field: string;
  title: string;
}

/** Every top-level property of every collection that takes its values from a code table. */
export function fieldsUsingTable(rt: AppRuntime, table: string): CodeField[] {
  const out: CodeField[] = [];
  for (const c of rt.config.collections.values()) {
    for (const [field, p] of Object.entries<any>(c.schema.properties ?? {})) {
      if (p['x-codeTable'] === table) out.push({ collection: c.name, field, title: p.title ?? field });
    }
  }
  return out;
}

/** Every column of a child table of every collection that takes its values from a code table. */
export function columnsUsingTable(rt: AppRuntime, table: string): (CodeField & { table: string })[] {
  const out: (CodeField & { table: string })[] = [];
  for (const c of rt.config.collections.values()) {
    for (const [name, p] of Object.entries<any>(c.schema.properties ?? {})) {
      if (p?.type !== 'array' || p.items?.type !== 'object') continue;
      for (const [column, q] of Object.entries<any>(p.items.properties ?? {})) {
        if (q?.['x-codeTable'] === table) out.push({ collection: c.name, table: name, field: column, title: q.title ?? column });
      }
    }
  }
  return out;
}

/**
 * How many stored records hold each of `codes` in each field using the table, optionally only
 * within a subtree path. Keys are `collection/field/code`.
 */
export async function countCodeUse(storage: Pick<Storage, 'db' | 'records'>, rt: AppRuntime, table: string, codes: string[], path?: string) {
  const counts: { collection: string; field: string; title: string; code: string; count: number }[] = [];
  if (!codes.length) return counts;
  for (const f of fieldsUsingTable(rt, table)) {
    for (const [code, count] of await storage.records.countByValue(storage.db, f.collection, f.field, codes, path)) counts.push({ ...f, code, count });
  }
  return counts;
}
