import type { CodeEntry } from '../api/types.js';

/** A code that records hold and that a save changes: deprecated now, or renamed. */
export interface UsedCodeChange {
  code: string;
  label: string;
  /** Records holding the code (each once). */
  count: number;
  /** Set when this save deprecates the code: its date and replacement codes with their labels. */
  deprecated?: { date: string; replacedBy: string[] };
  /** Set when this save renames the code. */
  newLabel?: string;
}

/**
 * The codes records use that a save would deprecate or rename, comparing the table as published
 * with the codes about to be saved — what a person must confirm before the change goes live.
 * A code removed is not listed: the server refuses removing a code records hold.
 */
export function usedCodeChanges(before: CodeEntry[], after: CodeEntry[], usage: Map<string, number>): UsedCodeChange[] {
  const labelOf = (code: string) => after.find((c) => c.code === code)?.label ?? code;
  const out: UsedCodeChange[] = [];
  for (const old of before) {
    const count = usage.get(old.code) ?? 0;
    const now = after.find((c) => c.code === old.code);
    if (!count || !now) continue;
    const change: UsedCodeChange = { code: old.code, label: old.label, count };
    if (now.deprecated && !old.deprecated) change.deprecated = { date: now.deprecated, replacedBy: (now.replacedBy ?? []).map((r) => `${labelOf(r)}（${r}）`) };
    if (now.label !== old.label) change.newLabel = now.label;
    if (change.deprecated || change.newLabel !== undefined) out.push(change);
  }
  return out;
}
