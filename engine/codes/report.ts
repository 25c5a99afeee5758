import type { Principal } from '../auth/principal.js';
import type { AppRuntime } from '../runtime/runtime.js';
import type { RecordFilter, Storage } from '../ports.js';
import { fieldsUsingTable } from './usage.js';

export interface DeprecatedGroup {
  collection: string;
  collectionTitle: string;
  field: string;
  fieldTitle: string;
  table: string;
  code: string;
  label: string;
  deprecated: string;
  replacedBy: { code: string; label: string }[];
  count: number;
}

/**
 * Records in a subtree that hold deprecated codes (需重新录入), grouped by field and code with
 * counts, and the first records of each group — only what the user may read.
 */
export async function deprecatedCodeReport(storage: Pick<Storage, 'db' | 'records'>, rt: AppRuntime, user: Principal, path: string, sampleSize = 50) {
  const groups: (DeprecatedGroup & { records: { id: string; title: string; node: string | null }[] })[] = [];
  for (const [name, table] of rt.config.codes) {
    const deprecated = table.codes.filter((c) => c.deprecated);
    if (!deprecated.length) continue;
    for (const f of fieldsUsingTable(rt, name)) {
      const c = rt.collection(f.collection);
      const scope = rt.permissions.readScope(user, c.name);
      for (const code of deprecated) {
        const filter: RecordFilter = { collection: c.name, scope, subtree: path, equals: { field: f.field, value: code.code } };
        const n = await storage.records.count(storage.db, filter);
        if (!n) continue;
        const sample = (await storage.records.page(storage.db, filter, sampleSize)).items;
        groups.push({
          collection: c.name, collectionTitle: c.title, field: f.field, fieldTitle: f.title, table: name,
          code: code.code, label: code.label, deprecated: code.deprecated!,
          replacedBy: (code.replacedBy ?? []).map((r) => ({ code: r, label: table.codes.find((x) => x.code === r)?.label ?? r })),
          count: n, records: sample.map((r) => ({ id: r.id, title: String(r.data[c.titleField ?? f.field] ?? r.id), node: r.nodeId })),
        });
      }
    }
  }
  return { total: groups.reduce((a, g) => a + g.count, 0), groups };
}
