import type { ConfigCheck } from './types.js';
import { UNIQUE_BY } from '../../validation/table-rules.js';

const isObj = (v: unknown): v is Record<string, any> => !!v && typeof v === 'object' && !Array.isArray(v);

/**
 * Read from the expanded schema, so a code column's `enum` is its code table's codes.
 * Child tables (a property of type array whose items are objects): one level only — a column is
 * a plain value, never a list or a nested table — and `x-uniqueBy` names columns the table has.
 * (A column's x-codeTable naming a missing table is refused when the schema is expanded.)
 */
export const childTablesCheck: ConfigCheck = (app) => {
  const out: string[] = [];
  for (const c of app.collections.values()) {
    for (const [name, p] of Object.entries<any>(c.schema.properties ?? {})) {
      const at = `forms/${c.schemaFile}: /properties/${name}`;
      const title = `「${p?.title ?? name}」`;
      if (!isObj(p)) continue;
      if (p.type === 'array' && isObj(p.items) && (p.items.type === 'array' || p.items.items)) {
        out.push(`${at}/items: ${title}的元素不能又是列表（子表只能有一层）`);
      }
      const table = p.type === 'array' && isObj(p.items) && p.items.type === 'object';
      if (UNIQUE_BY in p && !table) out.push(`${at}/${UNIQUE_BY}: 只有子表（元素为对象的列表）可以设 ${UNIQUE_BY}`);
      if (!table) {
        if (p.type === 'object' && isObj(p.properties)) checkColumns(p.properties, `${at}/properties`, title, out);
        continue;
      }
      const columns: Record<string, any> = isObj(p.items.properties) ? p.items.properties : {};
      if (!Object.keys(columns).length) out.push(`${at}/items/properties: 子表${title}没有列`);
      checkColumns(columns, `${at}/items/properties`, title, out);
      checkUniqueBy(p[UNIQUE_BY], columns, `${at}/${UNIQUE_BY}`, title, out);
    }
  }
  return out;
};

/** A table's (or section's) columns hold plain values: a list or a table inside a row is refused. */
function checkColumns(columns: Record<string, any>, at: string, title: string, out: string[]) {
  for (const [col, s] of Object.entries(columns)) {
    const nested = isObj(s) && (s.type === 'array' || (Array.isArray(s.type) && s.type.includes('array')) || isObj(s.items) || s.type === 'object');
    if (nested) out.push(`${at}/${col}: ${title}的列「${s.title ?? col}」不能是列表或对象（子表只能有一层）`);
  }
}

function checkUniqueBy(list: unknown, columns: Record<string, any>, at: string, title: string, out: string[]) {
  if (list === undefined) return;
  if (!Array.isArray(list)) {
    out.push(`${at}: ${title}的 ${UNIQUE_BY} 应为列表`);
    return;
  }
  list.forEach((u, i) => {
    const column = typeof u === 'string' ? u : isObj(u) ? u.column : undefined;
    if (typeof column !== 'string' || !columns[column]) {
      out.push(`${at}/${i}: ${title}没有列 "${String(column)}"`);
      return;
    }
    if (!isObj(u)) return;
    if (u.among !== undefined && (!Array.isArray(u.among) || !u.among.length)) out.push(`${at}/${i}/among: 应为非空列表`);
    const allowed: unknown[] | undefined = columns[column].enum;
    for (const v of Array.isArray(u.among) && allowed ? u.among : []) {
      if (!allowed!.includes(v)) out.push(`${at}/${i}/among: 「${columns[column].title ?? column}」没有取值 "${String(v)}"`);
    }
  });
}
