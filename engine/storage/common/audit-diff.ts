/**
 * How a change is recorded in the audit log, the same on every adapter: a field's [before, after],
 * a child table's changed rows. Computed by the core; stored as data by the adapters. The shapes
 * are the port's (engine/port-types/audit.ts), re-exported here for this file's importers.
 */
import type { FieldChange, RowChange, RowsDiff } from '../../ports.js';

export type { FieldChange, RowChange, RowsDiff };

const isRowList = (v: unknown): v is Record<string, unknown>[] =>
  Array.isArray(v) && v.length > 0 && v.every((r) => !!r && typeof r === 'object' && !Array.isArray(r));

const same = (a: unknown, b: unknown) => JSON.stringify(a ?? null) === JSON.stringify(b ?? null);

function cellsOf(a: Record<string, unknown> | null, b: Record<string, unknown> | null): Record<string, [unknown, unknown]> {
  const out: Record<string, [unknown, unknown]> = {};
  for (const k of new Set([...Object.keys(a ?? {}), ...Object.keys(b ?? {})])) {
    const x = a && Object.hasOwn(a, k) ? a[k] ?? null : null, y = b && Object.hasOwn(b, k) ? b[k] ?? null : null;
    if (!same(x, y)) out[k] = [x, y];
  }
  return out;
}

/** How many cells two rows hold alike (both present and equal, not empty): how likely they are one row edited. */
function alike(a: Record<string, unknown>, b: Record<string, unknown>): number {
  let n = 0;
  for (const k of Object.keys(a)) if (a[k] !== null && a[k] !== undefined && a[k] !== '' && Object.hasOwn(b, k) && same(a[k], b[k])) n++;
  return n;
}

/** The row's first cell, kept as [value, value]: what names a row that only moved. */
function nameCell(r: Record<string, unknown>): Record<string, [unknown, unknown]> {
  const k = Object.keys(r).find((c) => r[c] !== null && r[c] !== undefined && r[c] !== '');
  return k === undefined ? {} : { [k]: [r[k], r[k]] };
}

/**
 * The rows of a child table that changed between two versions. Rows kept as they were are matched
 * first (longest common subsequence, so removing row 1 does not report every later row changed).
 * Of the rest, a row found again elsewhere unchanged has moved; a row found elsewhere with cells
 * alike (the same name, another relation — moved up and edited in one save) is that row changed, with
 * its number before (`from`); then, between two kept rows, removed and added rows pair up as
 * changed rows in place; the rest are added or removed. Numbers are the table's after the change,
 * a removed row's before it. A very long table (beyond what a form allows) is compared position
 * by position.
 */
export function diffRows(before: Record<string, unknown>[], after: Record<string, unknown>[]): RowChange[] {
  const a = before.map((r) => JSON.stringify(r)), b = after.map((r) => JSON.stringify(r));
  const n = a.length, m = b.length;
  const pairs: [number, number][] = [];
  if (n * m <= 250_000) {
    const L = Array.from({ length: n + 1 }, () => new Uint16Array(m + 1));
    for (let i = n - 1; i >= 0; i--) for (let j = m - 1; j >= 0; j--) L[i][j] = a[i] === b[j] ? L[i + 1][j + 1] + 1 : Math.max(L[i + 1][j], L[i][j + 1]);
    for (let i = 0, j = 0; i < n && j < m;) {
      if (a[i] === b[j]) { pairs.push([i, j]); i++; j++; } else if (L[i + 1][j] >= L[i][j + 1]) i++; else j++;
    }
  } else {
    for (let i = 0; i < Math.min(n, m); i++) if (a[i] === b[i]) pairs.push([i, i]);
  }
  // The gaps between kept rows: the rows removed and added in each.
  const gaps: Gap[] = [];
  let i = 0, j = 0;
  for (const [pi, pj] of [...pairs, [n, m] as [number, number]]) {
    gaps.push({ gone: range(i, pi), come: range(j, pj), end: pj });
    i = pi + 1; j = pj + 1;
  }
  const gone = new Set(gaps.flatMap((g) => g.gone)), come = new Set(gaps.flatMap((g) => g.come));
  const out: (RowChange & { at: number; order: number })[] = [];
  const pair = (x: number, y: number, change: 'moved' | 'changed') => {
    gone.delete(x); come.delete(y);
    const cells = change === 'moved' ? nameCell(after[y]) : cellsOf(before[x], after[y]);
    out.push({ row: y + 1, change, cells, ...(x !== y ? { from: x + 1 } : {}), at: y, order: 0 });
  };
  // Moved unchanged, then moved and edited (most cells alike first), across gaps.
  for (const y of [...come]) { const x = [...gone].find((g) => a[g] === b[y]); if (x !== undefined) pair(x, y, 'moved'); }
  const candidates = [...come].flatMap((y) => [...gone].map((x) => ({ x, y, score: alike(before[x], after[y]) })))
    .filter((c) => c.score > 0 && gapOf(gaps, c.x, 'gone') !== gapOf(gaps, c.y, 'come'))
    .sort((p, q) => q.score - p.score || Math.abs(p.x - p.y) - Math.abs(q.x - q.y));
  for (const c of candidates) if (gone.has(c.x) && come.has(c.y)) pair(c.x, c.y, 'changed');
  // In each gap, what is left pairs up in place; the rest is added or removed.
  for (const g of gaps) {
    const x = g.gone.filter((v) => gone.has(v)), y = g.come.filter((v) => come.has(v)), both = Math.min(x.length, y.length);
    for (let k = 0; k < both; k++) out.push({ row: y[k] + 1, change: 'changed', cells: cellsOf(before[x[k]], after[y[k]]), at: y[k], order: 0 });
    for (const v of y.slice(both)) out.push({ row: v + 1, change: 'added', cells: cellsOf(null, after[v]), at: v, order: 1 });
    // A removed row is told where it was: after the gap's added rows, before the next kept row.
    const at = g.end - 0.5;
    for (const v of x.slice(both)) out.push({ row: v + 1, change: 'removed', cells: cellsOf(before[v], null), at, order: 2 });
  }
  return out.sort((p, q) => p.at - q.at || p.order - q.order || p.row - q.row).map(({ at: _a, order: _o, ...r }) => r);
}

/** Between two kept rows: the rows removed (numbers before) and added (numbers after), and where the next kept row is now. */
interface Gap { gone: number[]; come: number[]; end: number }

const range = (from: number, to: number) => Array.from({ length: Math.max(0, to - from) }, (_, k) => from + k);
const gapOf = (gaps: Gap[], v: number, side: 'gone' | 'come') => gaps.findIndex((g) => g[side].includes(v));

/** Field-by-field difference of two documents: {field: [before, after]} for changed fields (whole values). */
export function diffFields(before: Record<string, unknown> | null, after: Record<string, unknown> | null): Record<string, [unknown, unknown]> {
  const out: Record<string, [unknown, unknown]> = {};
  const keys = new Set([...Object.keys(before ?? {}), ...Object.keys(after ?? {})]);
  for (const k of keys) {
    const a = before?.[k] ?? null, b = after?.[k] ?? null;
    if (!same(a, b)) out[k] = [a, b];
  }
  return out;
}

/**
 * An update's audit diff: diffFields, except that a child table (a list of row objects) is given
 * as its changed rows (RowsDiff), not the whole table twice. Creations and deletions keep whole
 * values (diffFields): a deleted record's data is read back from its last diff.
 */
export function auditDiff(before: Record<string, unknown>, after: Record<string, unknown>): Record<string, FieldChange> {
  const out: Record<string, FieldChange> = diffFields(before, after);
  for (const [k, [a, b]] of Object.entries(diffFields(before, after))) {
    if ((isRowList(a) || isRowList(b)) && (a === null || Array.isArray(a)) && (b === null || Array.isArray(b))) {
      out[k] = { rows: diffRows((a ?? []) as Record<string, unknown>[], (b ?? []) as Record<string, unknown>[]) };
    }
  }
  return out;
}
