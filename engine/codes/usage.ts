import type { Queryable, Param } from '../storage/sqlite.js';
import type { AppRuntime } from '../runtime/runtime.js';
import { pathUpperBound } from '../auth/permissions.js';

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

/**
 * How many stored records hold each of `codes` in each field using the table, optionally only
 * within a subtree path. Keys are `collection/field/code`.
 */
export async function countCodeUse(db: Queryable, rt: AppRuntime, table: string, codes: string[], path?: string) {
  const counts: { collection: string; field: string; title: string; code: string; count: number }[] = [];
  if (!codes.length) return counts;
  for (const f of fieldsUsingTable(rt, table)) {
    const marks = codes.map(() => '?').join(',');
    const params: Param[] = [`$.${f.field}`, f.collection, `$.${f.field}`, ...codes];
    let scope = '';
    if (path) {
      scope = ' AND path >= ? AND path < ?';
      params.push(path, pathUpperBound(path));
    }
    const rows = await db.all<{ code: string; n: number }>(
      `SELECT json_extract(data, ?) AS code, count(*) AS n FROM records WHERE collection = ? AND json_extract(data, ?) IN (${marks})${scope} GROUP BY code`,
      params,
    );
    for (const r of rows) counts.push({ ...f, code: r.code, count: r.n });
  }
  return counts;
}
