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

/**
 * The rows of a child table that changed between two versions. Rows kept as they were are matched
 * first (longest common subsequence, so removing row 1 does not report every later row changed);
 * between two kept rows, removed and added rows pair up as changed rows, the rest are added or
 * removed. A very long table (beyond what a form allows) is compared position by position.
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
  const out: RowChange[] = [];
  let i = 0, j = 0;
  for (const [pi, pj] of [...pairs, [n, m] as [number, number]]) {
    const gone = pi - i, come = pj - j, both = Math.min(gone, come);
    for (let k = 0; k < both; k++) out.push({ row: j + k + 1, change: 'changed', cells: cellsOf(before[i + k], after[j + k]) });
    for (let k = both; k < come; k++) out.push({ row: j + k + 1, change: 'added', cells: cellsOf(null, after[j + k]) });
    for (let k = both; k < gone; k++) out.push({ row: i + k + 1, change: 'removed', cells: cellsOf(before[i + k], null) });
    i = pi + 1; j = pj + 1;
  }
  return out;
}

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
