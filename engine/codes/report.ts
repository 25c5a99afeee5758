import type { Engine } from '../engine.js';
import type { Principal } from '../auth/principal.js';
import type { Param } from '../storage/sqlite.js';
import { pathUpperBound } from '../auth/permissions.js';
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
export async function deprecatedCodeReport(engine: Engine, user: Principal, path: string, sampleSize = 50) {
  const rt = engine.runtime;
  const groups: (DeprecatedGroup & { records: { id: string; title: string; node: string | null }[] })[] = [];
  for (const [name, table] of rt.config.codes) {
    const deprecated = table.codes.filter((c) => c.deprecated);
    if (!deprecated.length) continue;
    for (const f of fieldsUsingTable(rt, name)) {
      const c = rt.collection(f.collection);
      const filter = rt.permissions.readFilter(user, c.name);
      for (const code of deprecated) {
        const where = `collection = ? AND ${filter.sql} AND path >= ? AND path < ? AND json_extract(data, ?) = ?`;
        const params: Param[] = [c.name, ...filter.params, path, pathUpperBound(path), `$.${f.field}`, code.code];
        const n = (await engine.db.get<{ n: number }>(`SELECT count(*) AS n FROM records WHERE ${where}`, params))?.n ?? 0;
        if (!n) continue;
        const rows = await engine.db.all<{ id: string; title: string | null; node_id: string | null }>(
          `SELECT id, json_extract(data, ?) AS title, node_id FROM records WHERE ${where} ORDER BY rowid LIMIT ?`,
          [`$.${c.titleField ?? f.field}`, ...params, sampleSize],
        );
        groups.push({
          collection: c.name, collectionTitle: c.title, field: f.field, fieldTitle: f.title, table: name,
          code: code.code, label: code.label, deprecated: code.deprecated!,
          replacedBy: (code.replacedBy ?? []).map((r) => ({ code: r, label: table.codes.find((x) => x.code === r)?.label ?? r })),
          count: n, records: rows.map((r) => ({ id: r.id, title: r.title ?? r.id, node: r.node_id })),
        });
      }
    }
  }
  return { total: groups.reduce((a, g) => a + g.count, 0), groups };
}
