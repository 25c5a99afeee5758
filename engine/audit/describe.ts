import type { AuditEntry } from '../ports.js';
import type { AuditContext } from './filters.js';
import type { Collection, JsonSchema } from '../config/types.js';
import { codeLabel, inSchemaOrder, describeHistory, isRowsDiff, payloadRecords, readableTitles, rowChangeLines, titleFieldOf, type PayloadLine } from '../workflow/history.js';
import type { Principal } from '../auth/principal.js';
import { CONFIG_AUDIT_COLLECTION, kindOf, plainActionTitle, type AuditKind } from './kinds.js';

/** One field a change touched, by its title, with the values before and after in words ('' when empty). */
export interface ChangeLine { field: string; title: string; from: string; to: string }

/** An audit entry as the audit view and its workbook show it: every name and value in words. */
export interface AuditItem {
  id: number;
  at: string;
  actor: string | null;
  actorName: string | null;
  kind: AuditKind;
  action: string;
  actionTitle: string;
  collection: string;
  collectionTitle: string;
  recordId: string;
  /** The record's title (its title field; a deleted record's as its delete entry held it), or null. */
  recordTitle: string | null;
  /** Whether the record is still stored (a link to it leads somewhere). */
  recordLive: boolean;
  fromState: string | null;
  toState: string | null;
  fromStateTitle: string | null;
  toStateTitle: string | null;
  note: string | null;
  /** An event's payload, titled by the event's payload schema (as the history panel shows it). */
  payload: PayloadLine[];
  /** The record's own fields an update or event changed. */
  changes: ChangeLine[];
}

const isNodeField = (c: Collection, name: string, prop: JsonSchema) => prop['x-widget'] === 'node' || name === c.nodeField;

/** A stored value in words: code labels (已停用 marked), 是/否, lists joined, a node by its label. */
export function valueText(prop: JsonSchema | undefined, v: unknown, nodeLabel: (id: string) => string): string {
  if (v === undefined || v === null || v === '') return '';
  const label = codeLabel(prop, v);
  if (label !== undefined) return label;
  if (typeof v === 'boolean') return v ? '是' : '否';
  if (Array.isArray(v)) return v.map((x) => valueText(prop?.items, x, nodeLabel)).join('、');
  if (typeof v === 'string' && v.startsWith('data:')) return '（附件）';
  if (typeof v === 'object') return JSON.stringify(v);
  return String(v);
}

/**
 * Entries in words: the record named by its title (deleted ones too), the action by its title
 * (a workflow event by its workflow's), states by their titles, the payload as the history panel
 * shows it (a record it names by title only if `viewer` may read that record), and the fields
 * changed (the payload's excluded) by title with their values in words.
 */
export async function describeEntries(engine: AuditContext, entries: AuditEntry[], viewer: Principal): Promise<AuditItem[]> {
  const rt = engine.runtime;
  const collectionOf = (name: string) => rt.config.collections.get(name);
  // Each entry's record and the records its payload names (an x-recordOf field's record), read at once.
  const wanted = entries.flatMap((e) => {
    const c = collectionOf(e.collection);
    const field = c && titleFieldOf(rt, c);
    return c ? [...(field ? [{ id: e.recordId, field }] : []), ...payloadRecords(rt, c, [e])] : [];
  });
  const found = await engine.storage.audit.recordTitles(engine.storage.db, wanted);
  const { titles, live } = found;
  // The entries are in the viewer's audit scope, the records their payloads name need not be.
  const payloadTitles = readableTitles(rt, viewer, found);

  // Node fields changed name a node: its label, read once for the page.
  const nodeIds = new Set<string>();
  for (const e of entries) {
    const c = collectionOf(e.collection);
    if (!c || !e.diff || kindOf(e.action) === 'create' || kindOf(e.action) === 'delete') continue;
    for (const [name, change] of Object.entries(e.diff)) {
      const prop = c.schema.properties?.[name];
      if (prop && isNodeField(c, name, prop) && Array.isArray(change)) for (const v of change) if (typeof v === 'string') nodeIds.add(v);
    }
  }
  const labels = await engine.storage.treeNodes.labels(engine.storage.db, rt.config.tree.labelField, [...nodeIds]);
  const nodeLabel = (id: string) => labels.get(id) ?? id;

  return entries.map((e): AuditItem => {
    if (e.collection === CONFIG_AUDIT_COLLECTION) return configItem(e);
    const c = collectionOf(e.collection)!;
    const [described] = describeHistory(rt, c, [e], payloadTitles);
    const payload = (described as { payload?: PayloadLine[] }).payload ?? [];
    const kind = kindOf(e.action);
    const wf = rt.workflowOf(c);
    const props = c.schema.properties ?? {};
    const inPayload = new Set(payload.map((l) => l.field));
    const changes: ChangeLine[] = kind === 'update' || kind === 'event'
      ? inSchemaOrder(e.diff ?? {}, props).filter(([name]) => Object.hasOwn(props, name) && !inPayload.has(name)).map(([name, change]) => {
        const prop = props[name] as JsonSchema;
        const text = (v: unknown) => (isNodeField(c, name, prop) && typeof v === 'string' ? nodeLabel(v) : valueText(prop, v, nodeLabel));
        // A child table's changed rows (an update's audit diff): one sentence per row.
        if (isRowsDiff(change)) return { field: name, title: String(prop.title ?? name), from: '', to: rowChangeLines(prop, change, (p, v) => valueText(p, v, nodeLabel)).join('；') };
        return { field: name, title: String(prop.title ?? name), from: text(change?.[0]), to: text(change?.[1]) };
      })
      : [];
    const stateTitle = (s: string | null) => (s === null ? null : wf?.stateTitles.get(s) ?? s);
    return {
      id: e.id, at: e.at, actor: e.actor, actorName: e.actorName ?? null, kind, action: e.action,
      actionTitle: plainActionTitle(e.action) || wf?.events.get(e.action)?.title || e.action,
      collection: c.name, collectionTitle: c.title, recordId: e.recordId,
      recordTitle: titles.get(e.recordId) ?? null, recordLive: live.has(e.recordId),
      fromState: e.fromState, toState: e.toState, fromStateTitle: stateTitle(e.fromState), toStateTitle: stateTitle(e.toState),
      note: e.note, payload, changes,
    };
  });
}

/** A config change: the version it published, its note and the documents it changed (the diff's `files`: [null, list]). */
function configItem(e: AuditEntry): AuditItem {
  const files = (e.diff?.files as [unknown, unknown] | undefined)?.[1];
  const changed = typeof files === 'string' && files ? [files] : [];
  return {
    id: e.id, at: e.at, actor: e.actor, actorName: e.actorName ?? null, kind: 'config', action: e.action,
    actionTitle: plainActionTitle(e.action) || e.action, collection: e.collection, collectionTitle: '配置',
    recordId: e.recordId, recordTitle: `第 ${e.recordId.replace(/^config:/, '')} 版`, recordLive: false,
    fromState: null, toState: null, fromStateTitle: null, toStateTitle: null, note: e.note, payload: [],
    changes: changed.length ? [{ field: 'documents', title: '改动的文件', from: '', to: changed.join('、') }] : [],
  };
}
