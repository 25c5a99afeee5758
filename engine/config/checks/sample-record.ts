import type { AppConfig, Collection, JsonSchema } from '../types.js';

/**
 * A sample record of a collection, filled from its schema (every field with a value of its
 * type, codes with their first code), seen as a print template sees a record: the config check
 * renders every template against it, so a template that fails at run time fails the check.
 */
export function sampleValue(prop: JsonSchema | undefined): unknown {
  if (!prop || typeof prop !== 'object') return '示例';
  if (Array.isArray(prop['x-codes']) && prop['x-codes'].length) return prop['x-codes'][0].code;
  if (Array.isArray(prop.enum) && prop.enum.length) return prop.enum[0];
  if (prop.const !== undefined) return prop.const;
  const type = Array.isArray(prop.type) ? prop.type.find((t: string) => t !== 'null') : prop.type;
  if (type === 'array') return [sampleValue(prop.items)];
  if (type === 'object') return Object.fromEntries(Object.entries<JsonSchema>(prop.properties ?? {}).map(([k, p]) => [k, sampleValue(p)]));
  if (type === 'integer' || type === 'number') return 1;
  if (type === 'boolean') return true;
  if (prop.format === 'date') return '2000-01-01';
  if (prop.format === 'date-time') return '2000-01-01T08:00:00.000Z';
  return typeof prop.title === 'string' ? prop.title : '示例';
}

const parts = (iso: string) => ({ y: Number(iso.slice(0, 4)), m: Number(iso.slice(5, 7)), d: Number(iso.slice(8, 10)), iso: iso.slice(0, 10) });

/** One record of `c` as a template sees it (context.ts RecordView), from sample values. */
export function sampleView(c: Collection): Record<string, unknown> {
  const data: Record<string, unknown> = {};
  const code: Record<string, unknown> = {};
  const date: Record<string, unknown> = {};
  const title: Record<string, string> = {};
  for (const [field, prop] of Object.entries<JsonSchema>(c.schema.properties ?? {})) {
    data[field] = sampleValue(prop);
    title[field] = prop.title ?? field;
    if (Array.isArray(prop['x-codes']) && prop['x-codes'].length) code[field] = { code: prop['x-codes'][0].code, label: prop['x-codes'][0].label, deprecated: false };
    if (prop.format === 'date') date[field] = parts(String(data[field]));
  }
  // Each child table's one sample row, seen as a template sees a row (context.ts RowView).
  const rows: Record<string, unknown[]> = {};
  const columns: Record<string, Record<string, string>> = {};
  for (const [field, prop] of Object.entries<JsonSchema>(c.schema.properties ?? {})) {
    if (prop.type !== 'array' || prop.items?.type !== 'object') continue;
    const row = sampleValue(prop.items) as Record<string, unknown>;
    const rowCode: Record<string, unknown> = {}, rowDate: Record<string, unknown> = {};
    for (const [k, p] of Object.entries<JsonSchema>(prop.items.properties ?? {})) {
      if (Array.isArray(p['x-codes']) && p['x-codes'].length) rowCode[k] = { code: p['x-codes'][0].code, label: p['x-codes'][0].label, deprecated: false };
      if (p.format === 'date') rowDate[k] = parts(String(row[k]));
    }
    rows[field] = [{ n: 1, data: row, code: rowCode, date: rowDate }];
    columns[field] = Object.fromEntries(Object.entries<JsonSchema>(prop.items.properties ?? {}).map(([k, p]) => [k, p.title ?? k]));
  }
  return { id: 'sample', collection: c.name, data, code, date, title, rows, columns, state: null, stateTitle: null, version: 1 };
}

/** The whole sheet context of a sample record of `c` for a document relating `related`. */
export function sampleSheet(app: AppConfig, c: Collection, related: Record<string, { collection: string }>, draft: boolean): Record<string, unknown> {
  const tree = app.collections.get(app.tree.collection)!;
  const treeData = sampleView(tree).data as Record<string, unknown>;
  const node = { id: 'sample-node', label: String(treeData[app.tree.labelField] ?? ''), fullName: String(treeData[app.tree.fullNameField ?? app.tree.labelField] ?? ''), data: treeData };
  return {
    ...sampleView(c), node, path: [node],
    related: Object.fromEntries(Object.entries(related).map(([name, r]) => [name, [sampleView(app.collections.get(r.collection)!)]])),
    draft, watermark: draft ? '草稿' : null, today: parts('2000-01-01'),
    app: { name: app.manifest.name, title: app.manifest.title },
  };
}
