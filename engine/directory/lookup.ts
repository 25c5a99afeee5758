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
import { badRequest } from '../http/errors.js';
import { fieldTitle } from '../validation/field-titles.js';
import { directoryTable } from './table.js';

export interface LookupHit {
  source: 'record' | 'directory';
  data: Record<string, unknown>;
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
  if (!c.lookup || !c.lookup.keys.includes(key)) throw badRequest(`${c.title}不能按「${fieldTitle(c.schema, `/${key}`)}」查找`);
  return c.lookup;
}

export async function lookupRecord(engine: Engine, actor: Actor, collection: string, key: string, raw: string, db: Queryable = engine.db): Promise<LookupHit | null> {
  const cfg = lookupConfig(engine, collection, key);
  const c = engine.runtime.collection(collection);
  const pairs = searchPairs(cfg, key, normalizeKey(raw));
  const filter = actor.principal ? engine.runtime.permissions.readFilter(actor.principal, c.name) : { sql: '1', params: [] };
  for (const [k, v] of pairs) {
    const row = await db.get<{ id: string; node_id: string | null; data: string }>(
      `SELECT id, node_id, data FROM records WHERE collection = ? AND json_extract(data, ?) = ? AND ${filter.sql} ORDER BY rowid LIMIT 1`,
      [c.name, `$.${k}`, v, ...filter.params],
    );
    if (row) {
      const { [c.nodeField!]: _node, ...data } = JSON.parse(row.data);
      return { source: 'record', data: applyDerive(cfg, data), recordId: row.id, node: row.node_id };
    }
  }
  for (const [k, v] of pairs) {
    const data = await directoryTable.find(db, c.name, k, v);
    if (data) return { source: 'directory', data: applyDerive(cfg, data) };
  }
  return null;
}
