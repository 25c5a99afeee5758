import type { Engine } from '../engine.js';
import type { Principal } from '../auth/principal.js';
import type { Collection, UniqueKey } from '../config/types.js';
import { recordsTable, type StoredRecord } from '../storage/records.js';
import { keyName, keyValue, uniqueKeys } from '../storage/unique-keys.js';
import { diffFields } from '../storage/audit.js';
import { DomainError } from '../errors.js';
import { importColumns, headerKey, type Column } from './columns.js';
import { codeIndex, convertCell } from './convert.js';
import { NodeScope } from './nodes.js';
import { normalizeValue } from '../validation/transform.js';
import type { ParsedFile } from './parse.js';

export type RowAction = 'new' | 'changed' | 'unchanged' | 'invalid';

export interface RowError {
  /** JSON pointer of the field ('' for the row as a whole). */
  path: string;
  /** Column of the file (0-based) the error belongs to, when the field has one. */
  column?: number;
  message: string;
}

export interface PreviewRow {
  /** Row number in the file (1-based, as a spreadsheet shows it). */
  row: number;
  action: RowAction;
  title: string | null;
  /** The existing record a row updates, and the version it was read at. */
  id?: string;
  version?: number;
  data?: Record<string, unknown>;
  changes?: Record<string, [unknown, unknown]>;
  errors: RowError[];
}

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
async function existingByKey(engine: Engine, c: Collection, wanted: Map<string, Set<string>>) {
  const hits = new Map<string, Map<string, string>>();
  const ids = new Set<string>();
  for (const [key, values] of wanted) {
    const found = await uniqueKeys.holders(engine.db, c.name, key, [...values]);
    for (const id of found.values()) ids.add(id);
    hits.set(key, found);
  }
  const records = new Map((await recordsTable.getMany(engine.db, [...ids])).map((r) => [r.id, r]));
  return { hits, records };
}

/**
 * Checks every row of an uploaded file against the collection, exactly as saving it would: the
 * schema's validation (Chinese messages per field), the tree node within the user's writable
 * subtree, unique keys within the file and against stored records (a row whose key is stored
 * updates that record). Writes nothing.
 */
export async function previewImport(
  engine: Engine, user: Principal | undefined, collection: string, file: ParsedFile, progress: (done: number) => void = () => {},
): Promise<Preview> {
  const rt = engine.runtime;
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
  const scope = await NodeScope.load(engine, user);

  // Pass 1: cells → documents, node names → nodes, duplicates inside the file.
  const rows: (PreviewRow & { doc: Record<string, unknown>; nodeGiven: boolean })[] = [];
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

  // Pass 2: stored records with the same keys; each row is new, an update, or refused.
  const { hits, records } = await existingByKey(engine, c, wanted);
  let done = 0;
  for (const r of rows) {
    const matched = new Set<string>();
    for (const k of keys) {
      const value = keyValue(k, r.doc);
      const id = value === null ? undefined : hits.get(keyName(k))?.get(value);
      if (id) matched.add(id);
    }
    const before = matched.size === 1 ? records.get([...matched][0]) : undefined;
    if (matched.size > 1) {
      r.errors.push({ path: '', message: `该行的${keys.map((k) => k.fields.map((f) => `「${all.find((x) => x.property === f)?.title}」`).join('、')).join('和')}分别对应不同的已有${c.title}记录` });
    } else if (before && !(user ? rt.permissions.onRecord(user, 'write', before) : true)) {
      const k = keys.find((k) => hits.get(keyName(k))?.get(keyValue(k, r.doc) ?? '') === before.id)!;
      r.errors.push({ path: `/${k.fields[0]}`, column: columnOf(`/${k.fields[0]}`), message: `${k.fields.map((f) => `「${all.find((x) => x.property === f)?.title}」`).join('、')}“${shown(k, r.doc)}”已登记在您管理范围以外的${c.title}记录中，不能导入` });
    }
    let data = r.doc;
    if (before && !r.errors.length) {
      // An update replaces the fields the file has columns for; an empty node cell keeps the node.
      data = { ...before.data };
      for (const m of mapped) {
        if (m.col.kind === 'node' && !r.nodeGiven) continue;
        if (r.doc[m.col.property] === undefined) delete data[m.col.property];
        else data[m.col.property] = r.doc[m.col.property];
      }
    }
    if (!before && !nodeCol) r.errors.push({ path: `/${c.nodeField}`, message: `文件中缺少「${nodeTitle}」列，无法确定新${c.title}所在的组织` });
    const known = new Set(r.errors.map((e) => e.path));
    for (const e of validator.validate(data, before?.data)) {
      if (known.has(e.path) && e.path === `/${c.nodeField}`) continue;
      r.errors.push({ ...e, column: columnOf(e.path) });
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
  const out: PreviewRow[] = rows.map(({ doc: _doc, nodeGiven: _n, ...r }) => { counts[r.action]++; return r; });
  return {
    collection: c.name,
    columns: mapped.map((m) => ({ column: m.column, property: m.col.property, title: m.col.title })),
    ignored, rows: out, counts,
  };
}
