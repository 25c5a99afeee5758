/**
 * History entries as people read them. An event's audit entry holds its payload beside the
 * record's field changes (runtime.ts writes both into one diff); the payload's fields are named
 * by the event's payload schema — or, for an event whose payload is a record of another
 * collection (`form`), by that collection's form — never by a record field that happens to share
 * the name (a reject reason is not the record's own 事由, a linked record's 全称 not this one's).
 * A payload field that names a record of another collection (`x-recordOf`: an event naming a record to unlink)
 * shows that record's title, a deleted one's as its delete entry kept it, never the raw id — and
 * only to a viewer who may read that record: the config may name any record, and the workflow
 * need not check it (readableTitles).
 */
import type { AuditEntry, FieldChange, RecordTitlesRead, RowsDiff } from '../ports.js';
import type { Principal } from '../auth/principal.js';
import type { Collection, JsonSchema } from '../config/types.js';
import type { AppRuntime } from '../runtime/runtime.js';
import type { EventDef } from './types.js';
import { fieldTitle } from '../validation/field-titles.js';

/** One payload field of an event, with the title its payload schema gives it and its value in words ('' when empty). */
export interface PayloadLine { field: string; title: string; value: string }

export type DescribedEntry = AuditEntry & { payload?: PayloadLine[] };

/** A code field's value by its label (已停用 marked), or undefined when the field has no code table or the code is not in it. */
export function codeLabel(prop: JsonSchema | undefined, value: unknown): string | undefined {
  const codes = prop?.['x-codes'];
  if (!Array.isArray(codes)) return undefined;
  const e = (codes as { code: unknown; label: string; deprecated?: unknown }[]).find((x) => String(x.code) === String(value));
  return e ? `${e.label}${e.deprecated ? '（已停用）' : ''}` : undefined;
}

/** The titles of the named records the viewer may read, by id (readableTitles): what a payload's `x-recordOf` values are shown as. */
export type RecordTitles = ReadonlyMap<string, string>;

/** What a payload shows for a record the viewer may not read, or that was never stored: nothing of it, not even whether it exists. */
export const UNREADABLE_RECORD = '（无权查看的记录）';

/**
 * Of the records storage's recordTitles found, those `viewer` may read — by the engine's one read
 * rule (Permissions.onRecord, as RecordService.read), on a live record's current place and a
 * deleted one's as its delete entry kept it — by title, or by id when it has none. Any other id is
 * not in the map: describeHistory shows it as UNREADABLE_RECORD.
 */
export function readableTitles(runtime: AppRuntime, viewer: Principal, found: RecordTitlesRead): RecordTitles {
  const readable = new Map<string, string>();
  for (const [id, { collection, path }] of found.places) {
    if (path !== null && runtime.permissions.onRecord(viewer, 'read', { id, collection, path })) readable.set(id, found.titles.get(id) ?? id);
  }
  return readable;
}

/** A payload value in words: code labels, 是/否, a list of the record's fields by title, a named record by its title, an attachment as such. */
function payloadText(prop: JsonSchema, value: unknown, record: JsonSchema, titles: RecordTitles): string {
  if (value === null || value === undefined) return '';
  const label = Array.isArray(value) ? undefined : codeLabel(prop, value);
  if (label !== undefined) return label;
  if (typeof value === 'string' && prop['x-recordOf']) return titles.get(value) ?? UNREADABLE_RECORD;
  if (Array.isArray(value)) {
    const each = prop['x-widget'] === 'fields' ? (v: unknown) => fieldTitle(record, `/${String(v)}`) : (v: unknown) => payloadText(prop.items ?? {}, v, record, titles);
    return value.map(each).join('、');
  }
  if (typeof value === 'boolean') return value ? '是' : '否';
  if (typeof value === 'string' && value.startsWith('data:')) return '（附件）';
  return typeof value === 'object' ? JSON.stringify(value) : String(value);
}

/**
 * Adds to each event entry `payload`: the fields of the event's payload schema it carried, titled
 * by that schema, a record it names by its title in `titles` (readableTitles of `payloadRecords`).
 * `diff` stays as stored but for the ids of named records not in `titles`, which read as
 * UNREADABLE_RECORD there too; a reader shows as record changes only the fields not in `payload`.
 */
export function describeHistory(runtime: AppRuntime, collection: Collection, entries: AuditEntry[], titles: RecordTitles): DescribedEntry[] {
  return entries.map((e) => {
    const fields = payloadFields(runtime, collection, e);
    if (!fields) return e;
    const payload = fields.map(({ field, prop, value }): PayloadLine => ({ field, title: prop.title ?? field, value: payloadText(prop, value, collection.schema, titles) }));
    const diff = { ...e.diff };
    for (const { field, prop, value } of fields) {
      if (!(prop['x-recordOf'] ?? prop.items?.['x-recordOf'])) continue;
      const shown = (v: unknown) => (typeof v === 'string' && !titles.has(v) ? UNREADABLE_RECORD : v);
      diff[field] = [null, Array.isArray(value) ? value.map(shown) : shown(value)];
    }
    return { ...e, diff, payload };
  });
}

/**
 * The records the entries' payloads name (`x-recordOf` fields, one value or a list), each with the
 * title field it is named by: the ids whose titles describeHistory wants.
 */
export function payloadRecords(runtime: AppRuntime, collection: Collection, entries: AuditEntry[]): { id: string; field: string }[] {
  return entries.flatMap((e) => (payloadFields(runtime, collection, e) ?? []).flatMap(({ prop, value }) => {
    const named = prop['x-recordOf'] ?? prop.items?.['x-recordOf'];
    const target = typeof named === 'string' ? runtime.config.collections.get(named) : undefined;
    const field = target && titleFieldOf(runtime, target);
    if (!field) return [];
    return (Array.isArray(value) ? value : [value]).filter((v): v is string => typeof v === 'string').map((id) => ({ id, field }));
  }));
}

/** The title field a collection's records are named by (a tree's nodes by the tree's label field). */
export function titleFieldOf(runtime: AppRuntime, c: Collection): string | undefined {
  return c.titleField ?? (c.isTree ? runtime.config.tree.labelField : undefined);
}

/** An event entry's payload fields in the schema's order with their schema and value, or undefined for an entry that is no event with a payload. */
function payloadFields(runtime: AppRuntime, collection: Collection, e: AuditEntry): { field: string; prop: JsonSchema; value: unknown }[] | undefined {
  const props = payloadProps(runtime, runtime.workflowOf(collection)?.events.get(e.action));
  if (!props || !e.diff) return undefined;
  // A payload field is written as [null, value]; a field the event changed on the record has its old value.
  return inSchemaOrder(e.diff, props)
    .filter(([field, change]) => Object.hasOwn(props, field) && Array.isArray(change) && change[0] === null)
    .map(([field, change]) => ({ field, prop: props[field], value: (change as unknown[])[1] }));
}

/**
 * The fields an event's payload is named by: its payload schema, or the form of the collection
 * its payload is a record of (an event sending a record of another collection: that form's titles and code labels).
 */
function payloadProps(runtime: AppRuntime, event: EventDef | undefined): Record<string, JsonSchema> | undefined {
  if (event?.payload?.properties) return event.payload.properties;
  return event?.form ? runtime.config.collections.get(event.form)?.schema.properties : undefined;
}

/**
 * The entries of a diff (or a row's cells) in the order of the schema's properties, those the
 * schema does not know after them: a database may hand a JSON object back with its keys in an
 * order of its own (PostgreSQL's jsonb sorts them by length), and people read changes in the
 * form's order.
 */
export function inSchemaOrder<T>(values: Record<string, T>, props: Record<string, unknown>): [string, T][] {
  const rank = new Map(Object.keys(props).map((k, i) => [k, i]));
  return Object.entries(values).sort(([a], [b]) => (rank.get(a) ?? Infinity) - (rank.get(b) ?? Infinity));
}

/** Whether a field's change in a diff is a child table's changed rows (storage/audit.ts auditDiff). */
export const isRowsDiff = (change: FieldChange | unknown): change is RowsDiff =>
  !!change && typeof change === 'object' && !Array.isArray(change) && Array.isArray((change as RowsDiff).rows);

/**
 * One row of a child table whole in words: its filled cells in the form's order by column title,
 * values by `text` (the server and the browser each pass theirs) — <column title> <value>、… ;
 * 「（空行）」 when nothing is filled. A query column, the conflict dialog and the history read rows so.
 */
export function rowWords(table: JsonSchema, row: unknown, text: (column: JsonSchema | undefined, v: unknown) => string): string {
  const columns: Record<string, JsonSchema> = table.items?.properties ?? {};
  const cells = row && typeof row === 'object' && !Array.isArray(row) ? (row as Record<string, unknown>) : {};
  return inSchemaOrder(cells, columns)
    .map(([c, v]) => [columns[c]?.title ?? c, text(columns[c], v)] as const)
    .filter(([, t]) => t)
    .map(([title, t]) => `${title} ${t}`)
    .join('、') || '（空行）';
}

const rowVerb = { added: '新增', removed: '删除', changed: '修改', moved: '移动' } as const;

/**
 * A child table's changed rows in words, one line per row, its columns by title and values by
 * `text` (code labels …; the server and the browser each pass theirs), numbered as the table is
 * now, a removed row as it was: 第3行 修改：<column> a → b; 第4行 新增：<column> x、…; 原第2行 删除：<column> y;
 * 第1行（原第2行） 修改：<column> a → b; 第2行（原第1行） 移动：<first column> z.
 */
export function rowChangeLines(table: JsonSchema, diff: RowsDiff, text: (column: JsonSchema | undefined, v: unknown) => string): string[] {
  const columns: Record<string, JsonSchema> = table.items?.properties ?? {};
  return diff.rows.map((r) => {
    const cells = inSchemaOrder(r.cells, columns).map(([c, [from, to]]) => {
      const title = columns[c]?.title ?? c;
      if (r.change === 'added' || r.change === 'moved') return `${title} ${text(columns[c], to) || '空'}`;
      if (r.change === 'removed') return `${title} ${text(columns[c], from) || '空'}`;
      return `${title} ${text(columns[c], from) || '空'} → ${text(columns[c], to) || '空'}`;
    });
    const where = r.change === 'removed' ? `原第${r.row}行` : r.from !== undefined ? `第${r.row}行（原第${r.from}行）` : `第${r.row}行`;
    return `${where} ${rowVerb[r.change]}${cells.length ? '：' + cells.join('、') : ''}`;
  });
}
