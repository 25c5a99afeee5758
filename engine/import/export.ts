import type { Principal } from '../auth/principal.js';
import type { Collection } from '../config/types.js';
import type { StoredRecord } from '../ports.js';
import { listRecords, type ListContext, type ListQuery } from '../records/query.js';
import { domainBadRequest } from '../errors.js';
import { importColumns, codeCell, childTables, parentKey, type Column } from './columns.js';
import { buildTemplate } from './template.js';
import { NodeScope } from './nodes.js';

/** Most records one export holds: beyond that the admin narrows the list (a branch, a state). */
export const MAX_EXPORT = 20_000;

/**
 * The records a list shows (the same node, depth, state and search, through the same read
 * rules), written into the collection's import template: edit the file, upload it, and the
 * preview shows exactly the rows changed. Cells are written as an upload reads them: codes as
 * "label（code）", yes/no as 是/否, dates as YYYY-MM-DD, the node by a name the import resolves
 * to that node alone. Child tables go on their sheets, so the round trip keeps their rows too.
 */
export async function exportWorkbook(ctx: ListContext, user: Principal, c: Collection, query: Omit<ListQuery, 'limit' | 'cursor'>): Promise<Buffer> {
  const records: StoredRecord[] = [];
  let cursor: string | undefined;
  do {
    const page = await listRecords(ctx, user, c.name, { ...query, limit: 500, cursor });
    records.push(...page.items);
    if (records.length > MAX_EXPORT) throw domainBadRequest(`一次最多导出 ${MAX_EXPORT} 条${c.title}，请缩小范围（选择下级组织或按状态筛选）`);
    cursor = page.nextCursor ?? undefined;
  } while (cursor);
  // Nodes named as the reader sees them (a writer's read and write scopes are the same subtree).
  const scope = await NodeScope.load(ctx, user, 'read');
  const nodeCell = nodeNamer(ctx, scope);
  const cols = importColumns(c);
  const rows = [];
  for (const r of records) rows.push(await Promise.all(cols.map((col) => cellOf(col, r.data[col.property], nodeCell))));
  // Each child table's rows on its sheet, one line per row, after the parent's key.
  const key = parentKey(c);
  const childRows = new Map<string, unknown[][]>();
  for (const t of key ? childTables(c) : []) {
    const lines: unknown[][] = [];
    for (const r of records) {
      const table = r.data[t.property];
      if (!Array.isArray(table)) continue;
      const keyCell = await cellOf(key!, r.data[key!.property], nodeCell);
      for (const row of table) lines.push([keyCell, ...await Promise.all(t.columns.map((col) => cellOf(col, (row as Record<string, unknown>)?.[col.property], nodeCell)))]);
    }
    childRows.set(t.property, lines);
  }
  return buildTemplate(c, scope.nodes, ctx.runtime.config.manifest.essentialLabel, rows, childRows);
}

/** Names a node as the import will find it again: its full name, else a unique key, else its id. */
function nodeNamer({ storage, runtime: rt }: ListContext, scope: NodeScope): (id: string) => Promise<string> {
  const keyFields = (rt.tree.uniqueKeys ?? []).filter((k) => k.fields.length === 1).map((k) => k.fields[0]);
  const named = new Map<string, string>();
  return async (id: string): Promise<string> => {
    const known = named.get(id);
    if (known) return known;
    const node = await storage.records.get(storage.db, id);
    const candidates = [
      node?.data[rt.config.tree.fullNameField ?? rt.config.tree.labelField],
      ...keyFields.map((f) => node?.data[f]),
    ].filter((v): v is string => typeof v === 'string' && v !== '');
    const name = candidates.find((t) => { const hit = scope.find(t); return hit !== 'ambiguous' && hit?.id === id; }) ?? id;
    named.set(id, name);
    return name;
  };
}

async function cellOf(col: Column, v: unknown, nodeCell: (id: string) => Promise<string>): Promise<unknown> {
  if (v === undefined || v === null || v === '') return null;
  switch (col.kind) {
    case 'node': return nodeCell(String(v));
    case 'code': {
      const o = col.codes?.find((x) => x.code === String(v));
      return o ? codeCell(o) : String(v);
    }
    case 'boolean': return v === true ? '是' : v === false ? '否' : String(v);
    case 'number':
    case 'integer': return typeof v === 'number' ? v : String(v);
    default: return String(v);
  }
}
