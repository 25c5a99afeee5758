import type { Principal } from '../auth/principal.js';
import type { AppRuntime } from '../runtime/runtime.js';
import type { RecordFilter, Storage } from '../ports.js';
import { placeTitle, placesUsingTable, rowsHolding, whereHeld } from './usage.js';

export interface DeprecatedGroup {
  collection: string;
  collectionTitle: string;
  /** The field, or with childTable the column of that child table's rows. */
  field: string;
  fieldTitle: string;
  childTable?: string;
  childTableTitle?: string;
  /** The place in words: 「<field title>」, or 「<table title>」「<column title>」. */
  place: string;
  table: string;
  code: string;
  label: string;
  deprecated: string;
  replacedBy: { code: string; label: string }[];
  count: number;
}

/** A record of a group: `where` names the field, or the table, its rows (from 1) and the column. */
export interface ReportedRecord { id: string; title: string; node: string | null; where: string; rows?: number[] }

/**
 * Records in a subtree that hold deprecated codes (需重新录入), grouped by place — a field, or a
 * child table's column, a record counted once however many of its rows hold the code — and code
 * with counts, and the first records of each group saying where they hold it — only what the
 * user may read.
 */
export async function deprecatedCodeReport(storage: Pick<Storage, 'db' | 'records'>, rt: AppRuntime, user: Principal, path: string, sampleSize = 50) {
  const groups: (DeprecatedGroup & { records: ReportedRecord[] })[] = [];
  for (const [name, table] of rt.config.codes) {
    const deprecated = table.codes.filter((c) => c.deprecated);
    if (!deprecated.length) continue;
    for (const p of placesUsingTable(rt, name)) {
      const c = rt.collection(p.collection);
      const scope = rt.permissions.readScope(user, c.name);
      for (const code of deprecated) {
        const filter: RecordFilter = { collection: c.name, scope, subtree: path, equals: { field: p.field, value: code.code, ...(p.table === undefined ? {} : { table: p.table }) } };
        const n = await storage.records.count(storage.db, filter);
        if (!n) continue;
        const sample = (await storage.records.page(storage.db, filter, sampleSize)).items;
        groups.push({
          collection: c.name, collectionTitle: c.title, field: p.field, fieldTitle: p.title,
          ...(p.table === undefined ? {} : { childTable: p.table, childTableTitle: p.tableTitle }), place: placeTitle(p), table: name,
          code: code.code, label: code.label, deprecated: code.deprecated!,
          replacedBy: (code.replacedBy ?? []).map((r) => ({ code: r, label: table.codes.find((x) => x.code === r)?.label ?? r })),
          count: n,
          records: sample.map((r) => ({
            id: r.id, title: String(r.data[c.titleField ?? p.field] ?? r.id), node: r.nodeId, where: whereHeld(p, r.data, code.code),
            ...(p.table === undefined ? {} : { rows: rowsHolding(p, r.data, code.code) }),
          })),
        });
      }
    }
  }
  return { total: groups.reduce((a, g) => a + g.count, 0), groups };
}
