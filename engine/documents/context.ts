import { shanghaiDate } from '../validation/formats/date.js';
import type { Principal } from '../auth/principal.js';
import type { Collection } from '../config/types.js';
import type { AppRuntime } from '../runtime/runtime.js';
import type { Storage, StoredRecord } from '../ports.js';
import type { DocumentConfig } from './config.js';
import { printMode } from './config.js';

/** A date split for printing: numbers without leading zeros, as on paper forms. */
export interface DateParts { y: number; m: number; d: number; iso: string }

/** One record as templates see it. */
export interface RecordView {
  id: string;
  collection: string;
  /** The stored document, unchanged. */
  data: Record<string, unknown>;
  /** Each code-table field: its code and label (from the expanded schema's x-codes). */
  code: Record<string, { code: string; label: string; deprecated: boolean }>;
  /** Each date field split into year, month and day. */
  date: Record<string, DateParts>;
  /** Each field's title from the schema. */
  title: Record<string, string>;
  /** Each child table (an array of row objects): its rows with their codes and dates resolved. */
  rows: Record<string, RowView[]>;
  /** Each child table's column titles, by column. */
  columns: Record<string, Record<string, string>>;
  state: string | null;
  stateTitle: string | null;
  version: number;
}

/** One row of a child table as templates see it: like a record, its cells by column. */
export interface RowView {
  /** The row's number, from 1. */
  n: number;
  data: Record<string, unknown>;
  code: Record<string, { code: string; label: string; deprecated: boolean }>;
  date: Record<string, DateParts>;
}

/** A tree node as templates see it. */
export interface NodeView { id: string; label: string | null; fullName: string | null; data: Record<string, unknown> }

/** Everything one sheet of a document is rendered from. */
export interface SheetContext extends RecordView {
  /** The tree node the record hangs on (for a record of the tree collection: the record itself). */
  node: NodeView | null;
  /** Root-to-node path of the tree. */
  path: NodeView[];
  /** Records of other collections the document config asks for, by name. */
  related: Record<string, RecordView[]>;
  /** Printed before the state that makes it final (e.g. for offline confirmation). */
  draft: boolean;
  watermark: string | null;
  today: DateParts;
  document: { name: string; title: string };
  app: { name: string; title: string };
}

/** Splits YYYY-MM-DD (or an ISO timestamp) into numbers; undefined for anything else. */
export function dateParts(value: unknown): DateParts | undefined {
  const m = typeof value === 'string' ? /^(\d{4})-(\d{2})-(\d{2})/.exec(value) : null;
  return m ? { y: Number(m[1]), m: Number(m[2]), d: Number(m[3]), iso: m[0] } : undefined;
}

/** Today as the users see it (UTC+8), whatever zone the server runs in. */
const localToday = (): DateParts => dateParts(shanghaiDate())!;

/** Codes and dates of one object's fields (a record's, or a row's), resolved by its schema. */
function resolveFields(schema: any, data: Record<string, unknown>, view: Pick<RecordView, 'code' | 'date'>) {
  for (const [field, prop] of Object.entries<any>(schema?.properties ?? {})) {
    const value = data[field];
    if (Array.isArray(prop['x-codes']) && typeof value === 'string') {
      const hit = prop['x-codes'].find((x: any) => x.code === value);
      view.code[field] = { code: value, label: hit?.label ?? '', deprecated: !!hit?.deprecated };
    }
    if (prop.format === 'date' && dateParts(value)) view.date[field] = dateParts(value)!;
  }
}

const isChildTable = (prop: any) => prop?.type === 'array' && prop.items?.type === 'object';

/**
 * The view of one record: data, resolved codes, split dates, field titles and state title; each
 * child table's rows resolved the same way (`rows.<table>`: `{n, data, code, date}`).
 */
export function recordView(rt: AppRuntime, c: Collection, r: StoredRecord): RecordView {
  const view: RecordView = {
    id: r.id, collection: c.name, data: r.data, code: {}, date: {}, title: {}, rows: {}, columns: {}, state: r.state,
    stateTitle: r.state === null ? null : rt.workflowOf(c)?.stateTitles.get(r.state) ?? r.state, version: r.version,
  };
  resolveFields(c.schema, r.data, view);
  for (const [field, prop] of Object.entries<any>(c.schema.properties ?? {})) {
    view.title[field] = prop.title ?? field;
    if (!isChildTable(prop)) continue;
    view.columns[field] = Object.fromEntries(Object.entries<any>(prop.items.properties ?? {}).map(([k, p]) => [k, p.title ?? k]));
    const list = Array.isArray(r.data[field]) ? (r.data[field] as unknown[]) : [];
    view.rows[field] = list.map((row, i) => {
      const data = row && typeof row === 'object' ? (row as Record<string, unknown>) : {};
      const out: RowView = { n: i + 1, data, code: {}, date: {} };
      resolveFields(prop.items, data, out);
      return out;
    });
  }
  return view;
}

/** What sheet contexts are built from: the stored nodes and related records, the runtime they are read under. */
export interface SheetSource {
  readonly storage: Pick<Storage, 'db' | 'records'>;
  readonly runtime: AppRuntime;
}

/** Builds sheet contexts for many records, fetching each tree node and related list once. */
export class ContextBuilder {
  private nodes = new Map<string, NodeView | null>();

  constructor(private readonly source: SheetSource, private readonly user: Principal | undefined, private readonly doc: DocumentConfig) {}

  private get rt(): AppRuntime {
    return this.source.runtime;
  }

  private async node(id: string): Promise<NodeView | null> {
    if (this.nodes.has(id)) return this.nodes.get(id)!;
    const tree = this.rt.config.tree;
    const r = await this.source.storage.records.get(this.source.storage.db, id);
    const view = r ? {
      id: r.id, data: r.data, label: (r.data[tree.labelField] as string) ?? null,
      fullName: (r.data[tree.fullNameField ?? tree.labelField] as string) ?? null,
    } : null;
    this.nodes.set(id, view);
    return view;
  }

  private async related(nodeId: string): Promise<Record<string, RecordView[]>> {
    const out: Record<string, RecordView[]> = {};
    const rt = this.rt;
    for (const [name, rel] of Object.entries(this.doc.related ?? {})) {
      const c = rt.collection(rel.collection);
      const scope = this.user ? rt.permissions.readScope(this.user, c.name) : undefined;
      const page = await this.source.storage.records.page(this.source.storage.db, { collection: c.name, node: nodeId, scope }, 10_000);
      out[name] = page.items.map((r) => recordView(rt, c, r));
    }
    return out;
  }

  /** The context of one record; throws 409 when its state allows no print. */
  async build(c: Collection, r: StoredRecord): Promise<SheetContext> {
    const rt = this.rt;
    const view = recordView(rt, c, r);
    const mode = printMode(this.doc, r.state, view.stateTitle);
    const nodeId = c.isTree ? r.id : r.nodeId;
    const path: NodeView[] = [];
    for (const id of r.path.split('/').filter(Boolean)) {
      const n = await this.node(id);
      if (n) path.push(n);
    }
    if (!c.isTree && nodeId && !path.some((n) => n.id === nodeId)) path.push((await this.node(nodeId))!);
    const m = rt.config.manifest;
    return {
      ...view,
      node: nodeId ? await this.node(nodeId) : null,
      path,
      related: nodeId ? await this.related(nodeId) : {},
      draft: mode === 'draft',
      watermark: mode === 'draft' ? this.doc.draftWatermark ?? null : null,
      today: localToday(),
      document: { name: this.doc.name, title: this.doc.title },
      app: { name: m.name, title: m.title },
    };
  }
}
