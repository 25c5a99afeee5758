/**
 * History entries as people read them. An event's audit entry holds its payload beside the
 * record's field changes (runtime.ts writes both into one diff); the payload's fields are named
 * by the event's payload schema, never by a record field that happens to share the name
 * (a reject reason is not the record's own 事由).
 */
import type { AuditEntry } from '../storage/audit.js';
import type { Collection, JsonSchema } from '../config/types.js';
import type { AppRuntime } from '../runtime/runtime.js';
import { fieldTitle } from '../validation/field-titles.js';

/** One payload field of an event, with the title its payload schema gives it and its value in words ('' when empty). */
export interface PayloadLine { field: string; title: string; value: string }

export type DescribedEntry = AuditEntry & { payload?: PayloadLine[] };

/** A payload value in words: code labels, 是/否, a list of the record's fields by title, an attachment as such. */
function payloadText(prop: JsonSchema, value: unknown, record: JsonSchema): string {
  if (value === null || value === undefined) return '';
  if (Array.isArray(value)) {
    const each = prop['x-widget'] === 'fields' ? (v: unknown) => fieldTitle(record, `/${String(v)}`) : (v: unknown) => payloadText(prop.items ?? {}, v, record);
    return value.map(each).join('、');
  }
  if (typeof value === 'boolean') return value ? '是' : '否';
  if (typeof value === 'string' && value.startsWith('data:')) return '（附件）';
  return typeof value === 'object' ? JSON.stringify(value) : String(value);
}

/**
 * Adds to each event entry `payload`: the fields of the event's payload schema it carried, titled
 * by that schema. `diff` stays as stored; a reader shows as record changes only the fields that
 * are not in `payload`.
 */
export function describeHistory(runtime: AppRuntime, collection: Collection, entries: AuditEntry[]): DescribedEntry[] {
  const wf = runtime.workflowOf(collection);
  return entries.map((e) => {
    const props: Record<string, JsonSchema> | undefined = wf?.events.get(e.action)?.payload?.properties;
    if (!props || !e.diff) return e;
    const payload: PayloadLine[] = [];
    for (const [field, change] of Object.entries(e.diff)) {
      // A payload field is written as [null, value]; a field the event changed on the record has its old value.
      if (Object.hasOwn(props, field) && change?.[0] === null) {
        payload.push({ field, title: props[field].title ?? field, value: payloadText(props[field], change[1], collection.schema) });
      }
    }
    return { ...e, payload };
  });
}
