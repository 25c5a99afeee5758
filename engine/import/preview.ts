import type { Principal } from '../auth/principal.js';
import type { Collection, UniqueKey } from '../config/types.js';
import { diffFields, keyName, keyValue, type StoredRecord } from '../ports.js';
import type { ImportReadContext } from './context.js';
import { DomainError } from '../errors.js';
import { importColumns, headerKey, parentKey, type Column } from './columns.js';
import { applyChildRows, atSheetLine, placeInSheets, readChildSheets } from './child-rows.js';
import { codeIndex, convertCell } from './convert.js';
import { NodeScope } from './nodes.js';
import { normalizeValue } from '../validation/transform.js';
import type { ParsedFile } from './parse.js';
import type { PreviewRow, RowAction, RowError } from './preview-rows.js';

export type { RowAction, RowError, PreviewRow } from './preview-rows.js';

export interface Preview {
  collection: string;
  columns: { column: number; property: string; title: string }[];
  /** Header texts that name no field (ignored). */
  ignored: string[];
  rows: PreviewRow[];
  counts: Record<RowAction, number>;
}

const CHUNK = 500;
const shown = (k: UniqueKey, data: Record<string, unknown>) => k.fields.map((f) => String(data[f])).join('、');
export const tick = () => new Promise<void>((resolve) => setImmediate(resolve));

/** Existing records holding any of these unique-key values: value → record, per key. */
async function existingByKey({ storage }: ImportReadContext, c: Collection, wanted: Map<string, Set<string>>) {
  const hits = new Map<string, Map<string, string>>();
  const ids = new Set<string>();
  for (const [key, values] of wanted) {
    const found = await storage.uniqueKeys.holders(storage.db, c.name, key, [...values]);
    for (const id of found.values()) ids.add(id);
    hits.set(key, found);
  }
  const records = new Map((await storage.records.getMany(storage.db, [...ids])).map((r) => [r.id, r]));
  return { hits, records };
}

/**
 * Checks every row of an uploaded file against the collection, exactly as saving it would: the
 * schema's validation (Chinese messages per field), the tree node within the user's writable
 * subtree, unique keys within the file and against stored records (a row whose key is stored
 * updates that record). Writes nothing.
 */
export async function previewImport(
  ctx: ImportReadContext, user: Principal | undefined, collection: string, file: ParsedFile, progress: (done: number) => void = () => {},
): Promise<Preview> {
  const rt = ctx.runtime;
  const c = rt.collection(collection);
  if (c.isTree || !c.nodeField) throw new DomainError('bad_request', 'bad_request', `「${c.title}」不支持批量导入`);
  const validator = rt.validator(c.name);
  const all = importColumns(c);
  const byTitle = new Map(all.map((col) => [headerKey(col.title), col]));
  const mapped: { column: number; col: Column; codes?: Map<string, string> }[] = [];
  const ignored: string[] = [];
  const seen = new Map<string, number>();
  file.headers.forEach((h, i) => {
    const col = byTitle.get(headerKey(h));
    if (!col) { if (h.trim()) ignored.push(h); return; }
    if (seen.has(col.property)) throw new DomainError('invalid', 'invalid', `表头中「${col.title}」出现了两次（第 ${seen.get(col.property)! + 1} 列和第 ${i + 1} 列）`);
    seen.set(col.property, i);
    mapped.push({ column: i, col, codes: col.kind === 'code' ? codeIndex(col) : undefined });
  });
  const nodeCol = mapped.find((m) => m.col.kind === 'node');
  const nodeTitle = all.find((col) => col.kind === 'node')?.title ?? c.nodeField;
  const keys = (c.uniqueKeys ?? []).filter((k) => k.fields.every((f) => seen.has(f)));
  const columnOf = (path: string) => seen.get(path.split('/')[1] ?? '');
  const scope = await NodeScope.load(ctx, user);

  // Pass 1: cells → documents, node names → nodes, duplicates inside the file.
  const rows: (PreviewRow & { doc: Record<string, unknown>; nodeGiven: boolean; childOnly?: boolean })[] = [];
  const firstRow = keys.map(() => new Map<string, number>());
  const wanted = new Map<string, Set<string>>(keys.map((k) => [keyName(k), new Set<string>()]));
  for (const line of file.rows) {
    const doc: Record<string, unknown> = {};
    const errors: RowError[] = [];
    let nodeGiven = false;
    for (const m of mapped) {
      const raw = line.cells[m.column] ?? null;
      if (m.col.kind === 'node') {
        const text = raw === null ? '' : String(raw).trim();
        if (!text) continue;
        nodeGiven = true;
        const node = scope.find(text);
        if (node === 'ambiguous') errors.push({ path: `/${m.col.property}`, column: m.column, message: `「${m.col.title}」“${text}”对应多个组织，请填写全称或编码` });
        else if (!node) errors.push({ path: `/${m.col.property}`, column: m.column, message: `「${m.col.title}」“${text}”不存在或不在您的管理范围内，不能导入` });
        else doc[m.col.property] = node.id;
        continue;
      }
      // Normalised as validation will (e.g. an id's x as X), so the row's key finds the stored record.
      const v = normalizeValue(c.schema.properties?.[m.col.property], convertCell(m.col, raw, m.codes));
      if (v !== undefined) doc[m.col.property] = v;
    }
    keys.forEach((k, i) => {
      const value = keyValue(k, doc);
      if (value === null) return;
      const first = firstRow[i].get(value);
      if (first !== undefined) {
        errors.push({ path: `/${k.fields[0]}`, column: columnOf(`/${k.fields[0]}`), message: `${k.fields.map((f) => `「${all.find((x) => x.property === f)?.title ?? f}」`).join('、')}“${shown(k, doc)}”与第 ${first} 行重复` });
      } else {
        firstRow[i].set(value, line.row);
        wanted.get(keyName(k))!.add(value);
      }
    });
    rows.push({ row: line.row, action: 'invalid', title: null, errors, doc, nodeGiven });
    if (rows.length % CHUNK === 0) { progress(Math.floor(rows.length / 3)); await tick(); }
  }

  // Child sheets: lines grouped by the parent's key. A key not on the main sheet names a stored
  // record whose tables alone change (a row of its own), or nothing (an error at that line).
  const parent = parentKey(c);
  const sheets = parent ? readChildSheets(c, parent, file) : [];
  const parentUnique = { fields: [parent?.property ?? ''] };
  const parentName = keyName(parentUnique);
  // A key as the unique-key index holds it (what the main sheet's rows look up too).
  const stored = (value: string) => keyValue(parentUnique, { [parentUnique.fields[0]]: value }) ?? '';
  const onMain = new Set(rows.map((r) => r.doc[parent?.property ?? '']).filter((v) => v !== undefined).map(String));
  const childOnly = new Map<string, { sheet: string; line: number }>();
  for (const s of sheets) {
    ignored.push(...s.ignored);
    for (const line of s.keyless) {
      rows.push({ row: line, sheet: s.sheet, action: 'invalid', title: null, doc: {}, nodeGiven: false,
        errors: [{ path: '', sheet: s.sheet, line, column: s.columns.get(''), message: atSheetLine(s.sheet, line, `「${parent!.title}」为空，无法确定该行属于哪条${c.title}记录`) }] });
    }
    for (const [value, lines] of s.byParent) {
      if (onMain.has(value) || childOnly.has(value)) continue;
      childOnly.set(value, { sheet: s.sheet, line: lines[0].line });
      if (!wanted.has(parentName)) wanted.set(parentName, new Set());
      wanted.get(parentName)!.add(stored(value));
    }
  }
  for (const [value, at] of childOnly) {
    rows.push({ row: at.line, sheet: at.sheet, action: 'invalid', title: null, doc: { [parent!.property]: value }, nodeGiven: false, childOnly: true, errors: [] });
  }

  // Pass 2: stored records with the same keys; each row is new, an update, or refused.
  const { hits, records } = await existingByKey(ctx, c, wanted);
  let done = 0;
  for (const r of rows) {
    const matched = new Set<string>();
    if (r.childOnly) {
      const id = hits.get(parentName)?.get(stored(String(r.doc[parent!.property])));
      if (id) matched.add(id);
    }
    for (const k of r.childOnly ? [] : keys) {
      const value = keyValue(k, r.doc);
      const id = value === null ? undefined : hits.get(keyName(k))?.get(value);
      if (id) matched.add(id);
    }
    const before = matched.size === 1 ? records.get([...matched][0]) : undefined;
    if (matched.size > 1) {
      r.errors.push({ path: '', message: `该行的${keys.map((k) => k.fields.map((f) => `「${all.find((x) => x.property === f)?.title}」`).join('、')).join('和')}分别对应不同的已有${c.title}记录` });
    } else if (before && !(user ? rt.permissions.onRecord(user, 'write', before) : true)) {
      const k = keys.find((k) => hits.get(keyName(k))?.get(keyValue(k, r.doc) ?? '') === before.id) ?? { fields: [parent!.property] };
      r.errors.push({ path: `/${k.fields[0]}`, column: columnOf(`/${k.fields[0]}`), message: `${k.fields.map((f) => `「${all.find((x) => x.property === f)?.title}」`).join('、')}“${shown(k, r.doc)}”已登记在您管理范围以外的${c.title}记录中，不能导入` });
    }
    const parentValue = parent && r.doc[parent.property] !== undefined ? String(r.doc[parent.property]) : undefined;
    if (r.childOnly && !before) {
      // Every line naming a record that is neither on the main sheet nor stored is an error there.
      for (const s of sheets) {
        for (const l of s.byParent.get(parentValue!) ?? []) {
          r.errors.push({ path: '', sheet: s.sheet, line: l.line, column: s.columns.get(''),
            message: atSheetLine(s.sheet, l.line, `「${parent!.title}」“${parentValue}”在主表中没有，也没有已登记的${c.title}记录`) });
        }
      }
    }
    let data = r.doc;
    if (r.childOnly && before && !r.errors.length) data = { ...before.data };
    else if (before && !r.errors.length) {
      // An update replaces the fields the file has columns for; an empty node cell keeps the node.
      data = { ...before.data };
      for (const m of mapped) {
        if (m.col.kind === 'node' && !r.nodeGiven) continue;
        if (r.doc[m.col.property] === undefined) delete data[m.col.property];
        else data[m.col.property] = r.doc[m.col.property];
      }
    }
    if (parentValue !== undefined && sheets.length && (before || !r.childOnly)) applyChildRows(data, before?.data, parentValue, sheets);
    if (!before && !nodeCol && !r.childOnly) r.errors.push({ path: `/${c.nodeField}`, message: `文件中缺少「${nodeTitle}」列，无法确定新${c.title}所在的组织` });
    const known = new Set(r.errors.map((e) => e.path));
    for (const e of validator.validate(data, before?.data)) {
      if (known.has(e.path) && e.path === `/${c.nodeField}`) continue;
      const place = parentValue !== undefined ? placeInSheets(e.path, parentValue, sheets) : undefined;
      if (place) r.errors.push({ ...e, ...place, message: atSheetLine(place.sheet, place.line, e.message) });
      else r.errors.push({ ...e, column: columnOf(e.path) });
    }
    r.title = c.titleField && data[c.titleField] !== undefined ? String(data[c.titleField]) : null;
    if (r.errors.length) r.action = 'invalid';
    else if (!before) { r.action = 'new'; r.data = data; }
    else {
      r.id = before.id;
      r.version = before.version;
      r.changes = diffFields(before.data, data);
      r.action = Object.keys(r.changes).length ? 'changed' : 'unchanged';
      r.data = data;
    }
    if (++done % CHUNK === 0) { progress(Math.floor(rows.length / 3 + (done * 2) / 3)); await tick(); }
  }
  progress(rows.length);
  const counts: Record<RowAction, number> = { new: 0, changed: 0, unchanged: 0, invalid: 0 };
  const out: PreviewRow[] = rows.map(({ doc: _doc, nodeGiven: _n, childOnly: _c, ...r }) => { counts[r.action]++; return r; });
  return {
    collection: c.name,
    columns: mapped.map((m) => ({ column: m.column, property: m.col.property, title: m.col.title })),
    ignored, rows: out, counts,
  };
}
