/**
 * Looking a record up by one of its collection's lookup keys (app.json `lookup`): first among
 * stored records the actor may read, then in the imported directory. A derive rule turns one
 * key into another (e.g. characters 9–17 of one registration code are another code), so a
 * lookup by the longer key also finds rows known only by the shorter one.
 */
import type { Engine } from '../engine.js';
import type { Actor } from '../records/service.js';
import type { Queryable } from '../storage/sqlite.js';
import type { LookupConfig } from '../config/types.js';
import { domainBadRequest } from '../errors.js';
import { fieldTitle } from '../validation/field-titles.js';
import { directoryTable, storedRecordBy } from '../storage/directory.js';
import { recordsTable } from '../storage/records.js';
import { visibleTo } from './owners.js';

/** Where a lookup's answer came from, for the person to judge it by. */
export type LookupOrigin =
  | { kind: 'record'; node: string | null; nodeLabel: string | null }
  | { kind: 'directory'; loadedBy: string | null; loadedByName: string | null; loadedAt: string };

export interface LookupHit {
  source: 'record' | 'directory';
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
export function lookupConfig(engine: Engine, collection: string, key: string): LookupConfig {
  const c = engine.runtime.collection(collection);
  if (!c.lookup || !c.lookup.keys.includes(key)) throw domainBadRequest(`${c.title}不能按「${fieldTitle(c.schema, `/${key}`)}」查找`);
  return c.lookup;
}

export async function lookupRecord(engine: Engine, actor: Actor, collection: string, key: string, raw: string, db: Queryable = engine.db): Promise<LookupHit | null> {
  const cfg = lookupConfig(engine, collection, key);
  const c = engine.runtime.collection(collection);
  const pairs = searchPairs(cfg, key, normalizeKey(raw));
  const filter = actor.principal ? engine.runtime.permissions.readFilter(actor.principal, c.name) : { sql: '1', params: [] };
  for (const [k, v] of pairs) {
    const row = await storedRecordBy(db, c.name, k, v, filter);
    if (row) {
      const { [c.nodeField!]: _node, ...data } = JSON.parse(row.data);
      const node = row.node_id ? await recordsTable.get(db, row.node_id) : undefined;
      const nodeLabel = node?.data[engine.runtime.config.tree.labelField];
      return {
        source: 'record', data: applyDerive(cfg, data), recordId: row.id, node: row.node_id,
        origin: { kind: 'record', node: row.node_id, nodeLabel: typeof nodeLabel === 'string' ? nodeLabel : null },
      };
    }
  }
  for (const [k, v] of pairs) {
    const row = await directoryTable.find(db, c.name, k, v);
    if (row && visibleTo(engine.runtime.permissions, actor.principal, row.loader)) {
      const { loader } = row;
      return {
        source: 'directory', data: applyDerive(cfg, row.data),
        origin: { kind: 'directory', loadedBy: loader.by, loadedByName: loader.byName ?? null, loadedAt: loader.at },
      };
    }
  }
  return null;
}
