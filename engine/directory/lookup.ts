/**
 * Looking a record up by one of its collection's lookup keys (app.json `lookup`): first among
 * stored records the actor may read, then records deleted from nodes the actor reads, then the
 * imported directory; the answer's origin says which (and which node, or who loaded it when).
 * A derive rule turns one key into another (e.g. characters 9–17 of one registration code are
 * another code), so a lookup by the longer key also finds rows known only by the shorter one.
 */
import type { Actor } from '../auth/actor.js';
import type { Collection, LookupConfig } from '../config/types.js';
import type { AppRuntime } from '../runtime/runtime.js';
import { keyName, keyValue, type Storage, type Tx } from '../ports.js';
import { domainBadRequest } from '../errors.js';
import { fieldTitle } from '../validation/field-titles.js';
import { visibleTo } from './owners.js';

/** What a lookup reads: stored records and their keys, the directory; the runtime's config and permissions. */
export interface LookupContext {
  readonly storage: Pick<Storage, 'db' | 'records' | 'uniqueKeys' | 'directory'>;
  readonly runtime: AppRuntime;
}

/** Where a lookup's answer came from, for the person to judge it by. */
export type LookupOrigin =
  | { kind: 'record'; node: string | null; nodeLabel: string | null }
  | { kind: 'detached'; node: string; nodeLabel: string | null; detachedAt: string; detachedBy: string | null }
  | { kind: 'directory'; loadedBy: string | null; loadedByName: string | null; loadedAt: string };

export interface LookupHit {
  source: 'record' | 'detached' | 'directory';
  data: Record<string, unknown>;
  origin: LookupOrigin;
  /** The stored record found (source "record"), and the node it hangs on. */
  recordId?: string;
  node?: string | null;
}

/** Trimmed and upper-cased, as identifiers are compared. */
export const normalizeKey = (v: string) => v.trim().toUpperCase();

/** Fills derived keys that are still empty. */
export function applyDerive(cfg: LookupConfig | undefined, data: Record<string, unknown>): Record<string, unknown> {
  const out = { ...data };
  for (const d of cfg?.derive ?? []) {
    const from = out[d.from];
    if (typeof from === 'string' && from.length >= d.end && (out[d.to] === undefined || out[d.to] === '')) out[d.to] = from.slice(d.start, d.end);
  }
  return out;
}

/** The key/value pairs to search for: the key itself, then the keys derived from it. */
function searchPairs(cfg: LookupConfig, key: string, value: string): [string, string][] {
  const pairs: [string, string][] = [[key, value]];
  for (const d of cfg.derive ?? []) if (d.from === key && value.length >= d.end) pairs.push([d.to, value.slice(d.start, d.end)]);
  return pairs;
}

/** Checks that the collection has a lookup by this key; answers 400 otherwise. */
export function lookupConfig(rt: AppRuntime, collection: string, key: string): LookupConfig {
  const c = rt.collection(collection);
  if (!c.lookup || !c.lookup.keys.includes(key)) throw domainBadRequest(`${c.title}不能按「${fieldTitle(c.schema, `/${key}`)}」查找`);
  return c.lookup;
}

export async function lookupRecord(ctx: LookupContext, actor: Actor, collection: string, key: string, raw: string, db: Tx = ctx.storage.db): Promise<LookupHit | null> {
  const cfg = lookupConfig(ctx.runtime, collection, key);
  const c = ctx.runtime.collection(collection);
  const pairs = searchPairs(cfg, key, normalizeKey(raw));
  for (const find of [findStored, findDetached, findInDirectory]) {
    for (const [k, v] of pairs) {
      const hit = await find(ctx, actor, c, k, v, db);
      if (hit) return { ...hit, data: applyDerive(cfg, hit.data) };
    }
  }
  return null;
}

/** A stored record already holding the key (a unique key): linking the same again would be refused. */
export interface KeyTaken {
  /** The holding record's node, when the actor may read it; otherwise the holder is not revealed. */
  node: string | null;
  nodeLabel: string | null;
  message: string;
}

/**
 * Whether a stored record anywhere already holds this value of a single-field unique key (or of a
 * key derived from it), told at lookup time instead of after the whole form was filled: naming the
 * holder's node when the actor reads the holder, else only that someone else holds it.
 */
export async function keyTaken(ctx: LookupContext, actor: Actor, collection: string, key: string, raw: string, db: Tx = ctx.storage.db): Promise<KeyTaken | null> {
  const { storage, runtime: rt } = ctx;
  const cfg = lookupConfig(rt, collection, key);
  const c = rt.collection(collection);
  for (const [k, v] of searchPairs(cfg, key, normalizeKey(raw))) {
    const unique = (c.uniqueKeys ?? []).find((u) => u.fields.length === 1 && u.fields[0] === k);
    const value = unique && keyValue(unique, { [k]: v });
    if (!unique || !value) continue;
    const holder = (await storage.uniqueKeys.holders(db, c.name, keyName(unique), [value])).get(value);
    const rec = holder ? await storage.records.get(db, holder) : undefined;
    if (!rec) continue;
    const what = `「${fieldTitle(c.schema, `/${k}`)}」“${v}”`;
    if (actor.principal && !rt.permissions.onRecord(actor.principal, 'read', rec)) {
      return { node: null, nodeLabel: null, message: `${what}已被其他${rt.tree.title}关联，请联系上级管理员` };
    }
    const label = await nodeLabel(ctx, db, rec.nodeId);
    return { node: rec.nodeId, nodeLabel: label, message: `${what}已关联到「${label ?? rec.nodeId}」，不能重复关联` };
  }
  return null;
}

type Finder = (ctx: LookupContext, actor: Actor, c: Collection, key: string, value: string, db: Tx) => Promise<LookupHit | null>;

/** A tree node's label, for the person to recognise it by. */
async function nodeLabel(ctx: LookupContext, db: Tx, id: string | null): Promise<string | null> {
  const node = id ? await ctx.storage.records.get(db, id) : undefined;
  const label = node?.data[ctx.runtime.config.tree.labelField];
  return typeof label === 'string' ? label : null;
}

/** A stored record the actor may read. */
const findStored: Finder = async (ctx, actor, c, key, value, db) => {
  const scope = actor.principal ? ctx.runtime.permissions.readScope(actor.principal, c.name) : undefined;
  const [row] = (await ctx.storage.records.page(db, { collection: c.name, scope, equals: { field: key, value } }, 1)).items;
  if (!row) return null;
  const { [c.nodeField!]: _node, ...data } = row.data;
  return {
    source: 'record', data, recordId: row.id, node: row.nodeId,
    origin: { kind: 'record', node: row.nodeId, nodeLabel: await nodeLabel(ctx, db, row.nodeId) },
  };
};

/**
 * A record deleted from a node the actor reads (e.g. a unit whose link was removed): not erased
 * for its subtree, so it can be found and linked again without typing it anew. Its last data is
 * in its delete entry; a record that exists again (anywhere) is not offered from there.
 */
const findDetached: Finder = async (ctx, actor, c, key, value, db) => {
  if (!c.nodeField) return null;
  const { records, directory } = ctx.storage;
  for (const d of await directory.deletedRecordsBy(db, c.name, key, value)) {
    const nodeId = d.data[c.nodeField];
    if (typeof nodeId !== 'string' || (await records.get(db, d.recordId))) continue;
    const node = await records.get(db, nodeId);
    if (!node || (actor.principal && !ctx.runtime.permissions.onPath(actor.principal, 'read', node.path))) continue;
    const { [c.nodeField]: _node, ...data } = d.data;
    return {
      source: 'detached', data,
      origin: { kind: 'detached', node: nodeId, nodeLabel: await nodeLabel(ctx, db, nodeId), detachedAt: d.at, detachedBy: d.actor },
    };
  }
  return null;
};

/** A row of the shared directory (or of the actor's subtree, for rows an older version let a subtree admin load). */
const findInDirectory: Finder = async (ctx, actor, c, key, value, db) => {
  const row = await ctx.storage.directory.find(db, c.name, key, value);
  if (!row || !visibleTo(ctx.runtime.permissions, actor.principal, row.loader)) return null;
  const { loader } = row;
  return {
    source: 'directory', data: row.data,
    origin: { kind: 'directory', loadedBy: loader.by, loadedByName: loader.byName ?? null, loadedAt: loader.at },
  };
};
