import type { Json } from './form-schema.js';
import { removeFromSchema, renameInSchema, renameKeys } from './form-rules.js';

/**
 * A child table's column renamed or removed in the form designer, with its uses: the table's
 * `items` is a schema of its own (properties, required, row rules), and the table names columns in
 * `x-uniqueBy`. The migration steps are form-rules' stepsAfterRename/stepsAfterRemove with the table.
 */

/** Renames a column of `table` (the table's property) and its uses; returns where, in words. */
export function renameColumn(table: Json, from: string, to: string): string[] {
  const places = table.items ? renameInSchema(table.items, from, to) : [];
  let hit = false;
  for (const u of table['x-uniqueBy'] ?? []) if (u?.column === from) { u.column = to; hit = true; }
  if (hit) places.push('唯一列规则');
  return places;
}

/** Removes a column of `table` and the rules naming it; returns what went, in words. */
export function removeColumnAndUses(table: Json, column: string): string[] {
  const gone = table.items ? removeFromSchema(table.items, column) : [];
  const unique = table['x-uniqueBy'];
  if (Array.isArray(unique)) {
    const kept = unique.filter((u: Json) => u?.column !== column);
    if (kept.length !== unique.length) gone.push('唯一列规则');
    if (kept.length) table['x-uniqueBy'] = kept;
    else delete table['x-uniqueBy'];
  }
  return gone;
}

/** Renames (to null: removes) a column in every row of a demo document's records of the collection; the rows changed. */
export function columnInDemo(doc: Json, collection: string, table: string, from: string, to: string | null): number {
  if (doc?.collection !== collection || !Array.isArray(doc.records)) return 0;
  let n = 0;
  for (const r of doc.records) {
    for (const row of Array.isArray(r?.[table]) ? r[table] : []) {
      if (!row || typeof row !== 'object' || !Object.hasOwn(row, from)) continue;
      if (to === null) delete row[from];
      else renameKeys(row, from, to);
      n++;
    }
  }
  return n;
}

/** The steps of migrations.json that change columns of `table`, in words for the columns' panel. */
export function columnStepsInWords(steps: Json[], collection: string, table: string): string[] {
  return steps.filter((s) => s?.collection === collection && s.table === table).map((s) =>
    s.op === 'renameField' ? `列“${s.from}”改名为“${s.to}”，每一行已存储的值随之改名`
      : s.op === 'dropField' ? `列“${s.field}”的值从每一行中移除（历史中保留）`
        : s.op === 'mapValues' ? `列“${s.field}”的值按对照表改写` : `${s.op}`);
}
