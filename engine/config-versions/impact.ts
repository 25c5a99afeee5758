/**
 * What publishing a draft would do to the records already stored: the draft's validators (after
 * its migration steps) run over every record, batch by batch, and the report counts per
 * collection and per subtree node the records that would become invalid, lose completeness,
 * hold a value of a field the draft removes, hold a code the draft removes or deprecates, or sit
 * in a workflow state the draft removes.
 *
 * Memory stays bounded whatever the number of records: one batch (and the next, being read), and
 * per category a count and at most `sampleLimit` ids (the first ones in scan order). Per node it counts
 * by the children of the scanned subtree's top (the whole tree: the children of the root), so a
 * list is opened by scanning again with that child as the subtree — its own children are then
 * counted, and its categories sample its records.
 */
import type { Storage, StoredRecord } from '../ports.js';
import type { AppRuntime } from '../runtime/runtime.js';
import type { Collection, JsonSchema } from '../config/types.js';
import type { RecordValidator } from '../validation/validator.js';
import { own } from '../own.js';
import { deprecatedCodesIn } from '../validation/deprecated-codes.js';
import { applySteps, codesOf, columnsOf, fieldLabel, labelIn, statesOf, wellFormed, type MigrationStep } from './migration-steps.js';

export type ImpactKind =
  | 'invalid' // valid under the published config, invalid under the draft (after the steps)
  | 'alreadyInvalid' // invalid under both
  | 'incomplete' // complete now (stored flag), not under the draft
  | 'migrated' // changed by the migration steps
  | 'removedField' // holds a value of a field the draft removes (and no step renames) or a step drops
  | 'removedCode' // holds a code the draft's table no longer has
  | 'deprecatedCode' // holds a code the draft deprecates (after the steps)
  | 'removedState' // sits in a workflow state the draft removes
  | 'removedCollection'; // a record of a collection the draft removes

export interface ImpactCategory {
  /** Stable key of the category, used by the nodes' counts: "invalid", "removedCode:jobPosition:011" … */
  key: string;
  kind: ImpactKind;
  /** What it means, in Chinese, naming field, code or state by title. */
  title: string;
  field?: string;
  code?: string;
  state?: string;
  count: number;
  /** The first records of the category in scan order, at most the report's sampleLimit. */
  ids: string[];
  /** The sample records' titles (the collection's titleField), by id: links name the record, not its id. */
  titles: Record<string, string>;
  /** invalid / incomplete: how many of them fail at each top-level field (at most 200 fields). */
  byField?: Record<string, number>;
}

export interface ImpactNode {
  /** A child of the scanned subtree's top (or the top itself, for records hanging on it). */
  nodeId: string;
  label: string | null;
  scanned: number;
  /** Records per category key, only categories with records here. */
  counts: Record<string, number>;
}

export interface CollectionImpact {
  collection: string;
  title: string;
  scanned: number;
  categories: ImpactCategory[];
  /** Nodes with at least one affected record, most affected first. */
  nodes: ImpactNode[];
}

export interface ImpactReport {
  scanned: number;
  /** The subtree scanned (a tree path), null for all records. */
  subtree: string | null;
  sampleLimit: number;
  collections: CollectionImpact[];
}

export interface ImpactOptions {
  /** Only the records of this subtree (a tree path such as '/<root id>/<child id>/'). */
  subtree?: string;
  /** Ids kept per category (default 200). */
  sampleLimit?: number;
  /** Records read per batch (default 1000). */
  batch?: number;
}

export const SAMPLE_LIMIT = 200;
const MAX_FIELDS = 200;

const filled = (v: unknown) => v !== undefined && v !== null && v !== '' && !(Array.isArray(v) && v.length === 0);
const held = (v: unknown, codes: Set<string>): string[] => (Array.isArray(v) ? v.map(String) : filled(v) ? [String(v)] : []).filter((x) => codes.has(x));

/** One collection's counters: the categories in the order they are reported, and the nodes. */
class Tally {
  readonly categories = new Map<string, ImpactCategory>();
  readonly nodes = new Map<string, { scanned: number; counts: Map<string, number> }>();
  scanned = 0;

  /** `titleField`: the collection's, read from each sampled record as it is scanned (no second read). */
  constructor(private readonly limit: number, private readonly titleField?: string) {}

  category(key: string, kind: ImpactKind, title: string, extra: Partial<ImpactCategory> = {}) {
    this.categories.set(key, { key, kind, title, ...extra, count: 0, ids: [], titles: {} });
  }

  node(id: string) {
    let n = this.nodes.get(id);
    if (!n) this.nodes.set(id, (n = { scanned: 0, counts: new Map() }));
    return n;
  }

  hit(key: string, record: StoredRecord, node: { counts: Map<string, number> }, fields?: string[]) {
    const c = this.categories.get(key)!;
    c.count++;
    if (c.ids.length < this.limit) {
      c.ids.push(record.id);
      const title = this.titleField ? record.data[this.titleField] : undefined;
      if (filled(title) && typeof title !== 'object') c.titles[record.id] = String(title);
    }
    node.counts.set(key, (node.counts.get(key) ?? 0) + 1);
    if (fields) {
      c.byField ??= {};
      for (const f of new Set(fields)) if (Object.hasOwn(c.byField, f) || Object.keys(c.byField).length < MAX_FIELDS) c.byField[f] = (c.byField[f] ?? 0) + 1;
    }
  }
}

/** What to look for in one collection's records, worked out once from the two configs. */
interface Plan {
  now: Collection;
  next: Collection | undefined;
  steps: MigrationStep[];
  validator?: RecordValidator;
  previous?: RecordValidator;
  /** Current field names whose values the draft loses. */
  lostFields: string[];
  /** Columns of kept child tables (by their current names) whose values the draft loses. */
  lostColumns: { table: string; column: string }[];
  /** Current field → codes the draft's table for it lacks. */
  removedCodes: { field: string; codes: Set<string> }[];
  /** Draft field → codes the draft deprecates that were not deprecated. */
  deprecatedCodes: { field: string; codes: Set<string> }[];
  removedStates: Set<string>;
}

const topField = (path: string) => path.split('/')[1] ?? '';

function plan(current: AppRuntime, draft: AppRuntime, now: Collection, steps: MigrationStep[], tally: Tally): Plan {
  const next = draft.config.collections.get(now.name);
  const mine = wellFormed(steps).filter((s) => s.collection === now.name);
  const p: Plan = { now, next, steps: mine, lostFields: [], lostColumns: [], removedCodes: [], deprecatedCodes: [], removedStates: new Set() };
  if (!next) {
    tally.category('removedCollection', 'removedCollection', `「${now.title}」在草稿中被删除`);
    return p;
  }
  p.validator = draft.validator(next.name);
  p.previous = current.validator(now.name);
  tally.category('invalid', 'invalid', '将不能通过草稿的校验');
  tally.category('alreadyInvalid', 'alreadyInvalid', '现在和草稿下都不能通过校验');
  tally.category('incomplete', 'incomplete', '将不再完整');
  tally.category('migrated', 'migrated', '将被迁移步骤修改');
  const nowProps: Record<string, JsonSchema> = now.schema.properties ?? {};
  const nextProps: Record<string, JsonSchema> = next.schema.properties ?? {};
  const renamed = new Map(mine.flatMap((s) => (s.op === 'renameField' && s.table === undefined ? [[s.from, s.to] as const] : [])));
  const dropped = new Set(mine.flatMap((s) => (s.op === 'dropField' && s.table === undefined ? [s.field] : [])));
  for (const [field, prop] of Object.entries(nowProps)) {
    const target = renamed.get(field) ?? field;
    const after = own(nextProps, target);
    if (!after || dropped.has(field)) {
      p.lostFields.push(field);
      tally.category(`removedField:${field}`, 'removedField', `存有${fieldLabel(now, field)}的值，草稿${dropped.has(field) ? '的迁移步骤删除该字段' : '删除了该字段'}`, { field });
      continue;
    }
    planColumns(p, tally, field, prop, after, target);
    const before = codesOf(prop);
    const kept = codesOf(after);
    if (!before || !kept) continue;
    const removed = [...before.values()].filter((e) => !kept.has(e.code));
    if (removed.length) p.removedCodes.push({ field, codes: new Set(removed.map((e) => e.code)) });
    for (const e of removed) {
      tally.category(`removedCode:${field}:${e.code}`, 'removedCode', `${fieldLabel(now, field)}的代码“${e.label}（${e.code}）”在草稿中被删除`, { field, code: e.code });
    }
  }
  const origin = new Map([...renamed].map(([from, to]) => [to, from]));
  for (const [field, prop] of Object.entries(nextProps)) {
    const codes = codesOf(prop);
    if (!codes) continue;
    const was = codesOf(own(nowProps, origin.get(field) ?? field));
    const fresh = [...codes.values()].filter((e) => e.deprecated && !was?.get(e.code)?.deprecated);
    if (fresh.length) p.deprecatedCodes.push({ field, codes: new Set(fresh.map((e) => e.code)) });
    for (const e of fresh) {
      tally.category(`deprecatedCode:${field}:${e.code}`, 'deprecatedCode', `${fieldLabel(next, field)}的代码“${e.label}（${e.code}）”在草稿中停用`, { field, code: e.code });
    }
  }
  const statesNow = statesOf(current, now);
  const statesNext = statesOf(draft, next);
  for (const [state, title] of statesNow ?? []) {
    if (statesNext?.has(state)) continue;
    p.removedStates.add(state);
    tally.category(`removedState:${state}`, 'removedState', `处于草稿删除的流程状态「${title}」（${state}）`, { state });
  }
  return p;
}

/** A kept child table's columns whose values the draft loses (removed with no rename, or dropped by a step naming the table). */
function planColumns(p: Plan, tally: Tally, table: string, prop: JsonSchema, after: JsonSchema, target: string) {
  const now = columnsOf(prop);
  const next = columnsOf(after);
  if (!now || !next) return;
  const mine = p.steps.filter((s) => s.op !== 'moveState' && s.table === target);
  const renamed = new Map(mine.flatMap((s) => (s.op === 'renameField' ? [[s.from, s.to] as const] : [])));
  const dropped = new Set(mine.flatMap((s) => (s.op === 'dropField' ? [s.field] : [])));
  for (const column of Object.keys(now)) {
    if (own(next, renamed.get(column) ?? column) && !dropped.has(column)) continue;
    p.lostColumns.push({ table, column });
    tally.category(`removedField:${table}/${column}`, 'removedField',
      `有行存有${fieldLabel(p.now, table)}的列${labelIn(now, column)}的值，草稿${dropped.has(column) ? '的迁移步骤删除该列' : '删除了该列'}`, { field: table });
  }
}

/** Counts one record into the tally. */
function assess(p: Plan, tally: Tally, record: StoredRecord, node: ReturnType<Tally['node']>) {
  if (!p.next) return tally.hit('removedCollection', record, node);
  const migrated = applySteps(record, p.steps);
  if (migrated) tally.hit('migrated', record, node);
  // The draft's validators may normalise values in place (x-transform): never the stored object.
  const data = migrated ? migrated.data : { ...record.data };
  // previous = data: a deprecated code kept on a stored record is not new input, as on a save.
  const errors = p.validator!.validate(data, data);
  if (errors.length) {
    const before = { ...record.data };
    tally.hit(p.previous!.validate(before, before).length ? 'alreadyInvalid' : 'invalid', record, node, errors.map((e) => topField(e.path)));
  }
  if (record.complete && (errors.length || !p.validator!.completeOnceValid(data))) {
    // Why, by field, without validating again: the errors, the empty essentials, the stale codes.
    const why = errors.length ? errors.map((e) => topField(e.path))
      : [...p.validator!.missingEssentials(data).map((e) => topField(e.path)), ...deprecatedCodesIn(p.next.schema, data).map((d) => d.field)];
    tally.hit('incomplete', record, node, why);
  }
  for (const f of p.lostFields) if (filled(record.data[f])) tally.hit(`removedField:${f}`, record, node);
  for (const { table, column } of p.lostColumns) {
    const rows = record.data[table];
    if (Array.isArray(rows) && rows.some((r) => r && typeof r === 'object' && filled((r as Record<string, unknown>)[column]))) tally.hit(`removedField:${table}/${column}`, record, node);
  }
  for (const { field, codes } of p.removedCodes) {
    for (const code of held(record.data[field], codes)) tally.hit(`removedCode:${field}:${code}`, record, node);
  }
  for (const { field, codes } of p.deprecatedCodes) {
    for (const code of held(data[field], codes)) tally.hit(`deprecatedCode:${field}:${code}`, record, node);
  }
  if (record.state !== null && p.removedStates.has(record.state)) tally.hit(`removedState:${record.state}`, record, node);
}

/** The node a record is counted on: the child of the scope's top its path runs through. */
function nodeOf(path: string, depth: number): string {
  const parts = path.split('/');
  return parts[depth + 1] || parts[depth] || '';
}

/** What the scan reads: counts, the records batch by batch, the nodes' labels. */
export type ImpactStorage = Pick<Storage, 'db' | 'records' | 'recordScan'>;

/**
 * Runs the draft (after `steps`) over every stored record of the current config's collections
 * (or of one subtree), `batch` records at a time, reporting progress after each batch.
 */
export async function computeImpact(
  storage: ImpactStorage, current: AppRuntime, draft: AppRuntime, steps: MigrationStep[],
  progress?: (done: number, total: number) => void, options: ImpactOptions = {},
): Promise<ImpactReport> {
  const limit = options.sampleLimit ?? SAMPLE_LIMIT;
  const size = options.batch ?? 1000;
  const subtree = options.subtree;
  const depth = subtree ? subtree.split('/').length - 2 : 1;
  const collections = [...current.config.collections.values()];
  const { db } = storage;
  const totals = await Promise.all(collections.map((c) => storage.records.count(db, { collection: c.name, subtree })));
  const total = totals.reduce((a, b) => a + b, 0);
  let done = 0;
  progress?.(0, total);
  const out: CollectionImpact[] = [];
  for (const [i, c] of collections.entries()) {
    const tally = new Tally(limit, c.titleField);
    const p = plan(current, draft, c, steps, tally);
    // The next batch is read (on the driver's thread) while this one is validated.
    let reading = totals[i] ? storage.recordScan.batch(db, c.name, size, undefined, subtree) : null;
    while (reading) {
      const { records, next } = await reading;
      reading = next ? storage.recordScan.batch(db, c.name, size, next, subtree) : null;
      for (const r of records) {
        const node = tally.node(nodeOf(r.path, depth));
        node.scanned++;
        assess(p, tally, r, node);
      }
      tally.scanned += records.length;
      done += records.length;
      progress?.(done, total);
    }
    out.push({ collection: c.name, title: c.title, scanned: tally.scanned, categories: [...tally.categories.values()], nodes: await nodesOf(storage, current, tally) });
  }
  return { scanned: done, subtree: subtree ?? null, sampleLimit: limit, collections: out };
}

/** The nodes with affected records, labelled from the tree, most affected first. */
async function nodesOf(storage: ImpactStorage, rt: AppRuntime, tally: Tally): Promise<ImpactNode[]> {
  const affected = [...tally.nodes].filter(([, n]) => [...n.counts.values()].some((x) => x > 0));
  const labels = new Map((await storage.records.getMany(storage.db, affected.map(([id]) => id))).map((r) => [r.id, r.data[rt.config.tree.labelField]]));
  const sum = (n: { counts: Map<string, number> }) => [...n.counts].filter(([k]) => k !== 'migrated').reduce((a, [, x]) => a + x, 0);
  return affected
    .sort(([, a], [, b]) => sum(b) - sum(a))
    .map(([nodeId, n]) => ({ nodeId, label: typeof labels.get(nodeId) === 'string' ? (labels.get(nodeId) as string) : null, scanned: n.scanned, counts: Object.fromEntries(n.counts) }));
}
