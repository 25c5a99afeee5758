import type { StoredFiles } from '../ports.js';
import { changedPaths, MIGRATIONS_FILE } from './snapshot.js';

/**
 * The structured difference of two config versions, per document: a schema per field and the
 * field's changed properties, a code table per code, a workflow per state and per event (the
 * transitions out of each state), any other JSON document per top-level key, a template as
 * changed text.
 */
export interface Change { key: string; change: 'added' | 'removed' | 'changed'; before?: unknown; after?: unknown; properties?: string[] }
export interface DocumentDiff {
  path: string;
  change: 'added' | 'removed' | 'changed';
  kind: 'schema' | 'codes' | 'workflow' | 'json' | 'text' | 'binary';
  /** schema: fields; codes: codes; workflow: states; json: top-level keys. */
  items?: Change[];
  /** workflow: events as "state.EVENT". */
  events?: Change[];
}

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => !!v && typeof v === 'object' && !Array.isArray(v);
const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

function kindOf(path: string): DocumentDiff['kind'] {
  if (/^forms\/codes\/[^/]+\.json$/.test(path)) return 'codes';
  if (path.startsWith('forms/') && path.endsWith('.schema.json')) return 'schema';
  if (/^workflows\/[^/]+\.json$/.test(path)) return 'workflow';
  if (path.endsWith('.json')) return 'json';
  return 'text';
}

/** Entries of two keyed maps compared: added, removed, changed (with the keys of an object that changed). */
function compareMaps(a: Obj, b: Obj): Change[] {
  const out: Change[] = [];
  for (const key of new Set([...Object.keys(a), ...Object.keys(b)])) {
    const before = a[key], after = b[key];
    if (before === undefined) out.push({ key, change: 'added', after });
    else if (after === undefined) out.push({ key, change: 'removed', before });
    else if (!same(before, after)) {
      const properties = isObj(before) && isObj(after)
        ? [...new Set([...Object.keys(before), ...Object.keys(after)])].filter((k) => !same(before[k], after[k])) : undefined;
      out.push({ key, change: 'changed', before, after, ...(properties ? { properties } : {}) });
    }
  }
  return out;
}

const parse = (text: StoredFiles[string] | undefined): unknown => {
  if (typeof text !== 'string') return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
};

const codesOf = (doc: unknown): Obj =>
  Object.fromEntries((isObj(doc) && Array.isArray(doc.codes) ? doc.codes : []).filter(isObj).map((c) => [String(c.code), c]));
const statesOf = (doc: unknown): Obj => (isObj(doc) && isObj(doc.states) ? doc.states : {});
const eventsOf = (doc: unknown): Obj => {
  const out: Obj = {};
  if (isObj(doc) && isObj(doc.on)) for (const [e, t] of Object.entries(doc.on)) out[`*.${e}`] = t;
  for (const [s, state] of Object.entries(statesOf(doc))) if (isObj(state) && isObj(state.on)) for (const [e, t] of Object.entries(state.on)) out[`${s}.${e}`] = t;
  return out;
};

function documentDiff(path: string, a: StoredFiles[string] | undefined, b: StoredFiles[string] | undefined): DocumentDiff {
  const change = a === undefined ? 'added' : b === undefined ? 'removed' : 'changed';
  if (typeof (a ?? b) !== 'string') return { path, change, kind: 'binary' };
  const kind = kindOf(path);
  const before = parse(a), after = parse(b);
  if (kind === 'text' || (a !== undefined && before === undefined) || (b !== undefined && after === undefined)) return { path, change, kind: kind === 'text' ? 'text' : kind };
  switch (kind) {
    case 'schema': {
      const props = (d: unknown) => (isObj(d) && isObj(d.properties) ? d.properties : {});
      const rest = (d: unknown) => (isObj(d) ? Object.fromEntries(Object.entries(d).filter(([k]) => k !== 'properties')) : {});
      return { path, change, kind, items: [...compareMaps(props(before), props(after)), ...compareMaps(rest(before), rest(after)).map((c) => ({ ...c, key: `$${c.key}` }))] };
    }
    case 'codes':
      return { path, change, kind, items: compareMaps(codesOf(before), codesOf(after)) };
    case 'workflow':
      return { path, change, kind, items: compareMaps(statesOf(before), statesOf(after)), events: compareMaps(eventsOf(before), eventsOf(after)) };
    default:
      return { path, change, kind, items: compareMaps(isObj(before) ? before : {}, isObj(after) ? after : {}) };
  }
}

const isEmptyList = (v: unknown) => Array.isArray(v) && v.length === 0;

/**
 * The files without a migrations.json that holds no step: every draft is opened with an empty one
 * (its steps belong to one version only), so an empty steps document is no document — not 新增 in
 * every diff after the first publish, not a change of every draft.
 */
export function withoutEmptySteps(files: StoredFiles): StoredFiles {
  const steps = files[MIGRATIONS_FILE];
  if (steps === undefined || !isEmptyList(parse(steps))) return files;
  const { [MIGRATIONS_FILE]: _empty, ...rest } = files;
  return rest;
}
export function diffVersions(a: StoredFiles, b: StoredFiles): DocumentDiff[] {
  const [x, y] = [withoutEmptySteps(a), withoutEmptySteps(b)];
  return changedPaths(x, y).map((path) => documentDiff(path, x[path], y[path]));
}
