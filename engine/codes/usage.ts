import type { Storage, ValuePlace } from '../ports.js';
import type { AppRuntime } from '../runtime/runtime.js';

export interface CodeField {
  collection: string;
  field: string;
  title: string;
}

/** A place holding codes of a table: a top-level field, or (with `table`) a column of a child table's rows. */
export interface CodePlace extends CodeField {
  table?: string;
  tableTitle?: string;
}

/** Every top-level property of every collection that takes its values from a code table. */
export function fieldsUsingTable(rt: AppRuntime, table: string): CodeField[] {
  const out: CodeField[] = [];
  for (const c of rt.config.collections.values()) {
    for (const [field, p] of Object.entries<any>(c.schema.properties ?? {})) {
      if (p['x-codeTable'] === table) out.push({ collection: c.name, field, title: p.title ?? field });
    }
  }
  return out;
}

/** Every column of a child table of every collection that takes its values from a code table. */
export function columnsUsingTable(rt: AppRuntime, table: string): (CodeField & { table: string; tableTitle: string })[] {
  const out: (CodeField & { table: string; tableTitle: string })[] = [];
  for (const c of rt.config.collections.values()) {
    for (const [name, p] of Object.entries<any>(c.schema.properties ?? {})) {
      if (p?.type !== 'array' || p.items?.type !== 'object') continue;
      for (const [column, q] of Object.entries<any>(p.items.properties ?? {})) {
        if (q?.['x-codeTable'] === table) out.push({ collection: c.name, table: name, tableTitle: p.title ?? name, field: column, title: q.title ?? column });
      }
    }
  }
  return out;
}

/** Every place a code table's codes can be held in: the fields using it, then the child-table columns. */
export const placesUsingTable = (rt: AppRuntime, table: string): CodePlace[] => [...fieldsUsingTable(rt, table), ...columnsUsingTable(rt, table)];

/** A place in words: 「<field title>」, or 「<table title>」「<column title>」 for a column. */
export const placeTitle = (p: CodePlace) => (p.table === undefined ? `「${p.title}」` : `「${p.tableTitle}」「${p.title}」`);

/** The rows (from 1) of a record's child table holding `code` in the place's column; [] for a top-level field. */
export function rowsHolding(p: CodePlace, data: Record<string, unknown>, code: string): number[] {
  if (p.table === undefined) return [];
  const rows = data[p.table];
  if (!Array.isArray(rows)) return [];
  return rows.flatMap((r, i) => (r && typeof r === 'object' && (r as Record<string, unknown>)[p.field] === code ? [i + 1] : []));
}

/** Where a record holds a code, in words: 「<field title>」, or 「<table title>」第1、3行「<column title>」. */
export function whereHeld(p: CodePlace, data: Record<string, unknown>, code: string): string {
  if (p.table === undefined) return placeTitle(p);
  return `「${p.tableTitle}」第${rowsHolding(p, data, code).join('、')}行「${p.title}」`;
}

const valuePlace = (p: CodePlace): ValuePlace => (p.table === undefined ? { field: p.field } : { table: p.table, field: p.field });

export interface CodeUse extends CodePlace {
  /** The place in words (placeTitle). */
  place: string;
  code: string;
  count: number;
}

/** Per place, and with `withTotals` per code over all places (codeUsage). */
async function usage(storage: Pick<Storage, 'db' | 'records'>, rt: AppRuntime, table: string, codes: string[], path: string | undefined, withTotals: boolean) {
  const items: CodeUse[] = [];
  const totals = new Map<string, number>();
  if (!codes.length) return { items, totals };
  const byCollection = new Map<string, CodePlace[]>();
  for (const p of placesUsingTable(rt, table)) byCollection.set(p.collection, [...(byCollection.get(p.collection) ?? []), p]);
  const add = (counts: Map<string, number>) => { for (const [code, count] of counts) totals.set(code, (totals.get(code) ?? 0) + count); };
  for (const [collection, places] of byCollection) {
    for (const p of places) {
      const counts = await storage.records.countByValue(storage.db, collection, [valuePlace(p)], codes, path);
      for (const [code, count] of counts) items.push({ ...p, place: placeTitle(p), code, count });
      if (places.length === 1) add(counts);
    }
    if (withTotals && places.length > 1) add(await storage.records.countByValue(storage.db, collection, places.map(valuePlace), codes, path));
  }
  return { items, totals };
}

/**
 * How many stored records hold each of `codes`, optionally only within a subtree path: `items` per
 * place (a field, or a child table's column: a record counted once however many of its rows hold
 * the code), `totals` per code over every place of every collection — a record counted once per
 * code it holds anywhere (one more statement for a collection with several places; one with a
 * single place gives its place's count).
 */
export const codeUsage = (storage: Pick<Storage, 'db' | 'records'>, rt: AppRuntime, table: string, codes: string[], path?: string) =>
  usage(storage, rt, table, codes, path, true);

/** How many stored records hold each of `codes` in each place using the table (codeUsage's items alone). */
export async function countCodeUse(storage: Pick<Storage, 'db' | 'records'>, rt: AppRuntime, table: string, codes: string[], path?: string): Promise<CodeUse[]> {
  return (await usage(storage, rt, table, codes, path, false)).items;
}
