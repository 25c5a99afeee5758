/**
 * Stored completeness flags follow the config: after a change that can alter a collection's
 * validity or completeness, its records' `complete` flags (and through the counter triggers the
 * subtree figures, 完整度) are recomputed under the new config.
 */
import type { CodeMatch, Storage } from '../ports.js';
import type { AppRuntime } from '../runtime/runtime.js';
import type { Collection } from '../config/types.js';
import { columnsUsingTable, fieldsUsingTable } from '../codes/usage.js';

export interface RecomputeOptions {
  /** Records per batch: each batch is its own short transaction, so writers wait at most one batch. */
  batch?: number;
  /** Where progress goes (the server's log). */
  log?: (line: string) => void;
}

const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

/**
 * Which records of a collection may have a new verdict: all of them when its schema as written
 * (types, formats, x-essential, x-rules …) or its manifest entry changed; else those holding a code
 * (in a field, or in a child table's column in any row) that is deprecated in the old or the new
 * version of a changed code table (adding or relabelling
 * codes cannot change a verdict); none when nothing it depends on changed.
 */
export function affected(c: Collection, next: AppRuntime, previous: AppRuntime): CodeMatch[] | null | 'none' {
  const old = previous.config.collections.get(c.name);
  if (!old || !same(old.rawSchema, c.rawSchema) || old.completeness !== c.completeness) return null;
  const matches: CodeMatch[] = [];
  for (const [name, table] of next.config.codes) {
    const before = previous.config.codes.get(name);
    if (before && before.version === table.version && same(before.codes, table.codes)) continue;
    const codes = [...new Set([...table.codes, ...(before?.codes ?? [])].filter((e) => e.deprecated).map((e) => e.code))];
    if (!codes.length) continue;
    for (const f of fieldsUsingTable(next, name)) if (f.collection === c.name) matches.push({ field: f.field, codes });
    // A child table's code column: the records holding the code in any row.
    for (const f of columnsUsingTable(next, name)) if (f.collection === c.name) matches.push({ table: f.table, field: f.field, codes });
  }
  return matches.length ? matches : 'none';
}

/**
 * Recomputes the flags a config change can have altered, batch by batch (each batch reads and
 * writes in one transaction, and a flag is written only over the version it was read at, so a
 * concurrent save is never overwritten with a stale verdict — on PostgreSQL too, where the save can
 * commit between the batch's read and its write).
 * Logs progress; returns how many flags changed. Only the stored flag is rewritten (no edit, no
 * audit entry, no new version): the record's data is unchanged, only the rules judging it moved.
 */
export async function recomputeCompleteness(
  { db, unitOfWork, completeness: flags }: Pick<Storage, 'db' | 'unitOfWork' | 'completeness'>, next: AppRuntime, previous: AppRuntime, { batch = 500, log = console.log }: RecomputeOptions = {},
): Promise<number> {
  if (next === previous) return 0;
  let changed = 0;
  for (const c of next.config.collections.values()) {
    const matches = affected(c, next, previous);
    if (matches === 'none') continue;
    const validator = next.validator(c.name);
    const total = await flags.count(db, c.name, matches);
    if (!total) continue;
    log(`重新计算完整度：${c.title} 共 ${total} 条`);
    let after = 0;
    let done = 0;
    const before = changed;
    for (;;) {
      const n = await unitOfWork.transaction(db, async (tx) => {
        const rows = await flags.batch(tx, c.name, matches, after, batch);
        for (const r of rows) {
          const complete = validator.completenessErrors(r.data).length === 0;
          if (complete !== r.complete && (await flags.set(tx, r.id, complete, r.version))) changed++;
        }
        if (rows.length) after = rows.at(-1)!.seq;
        return rows.length;
      });
      done += n;
      if (n < batch) break;
      log(`重新计算完整度：${c.title} ${done}/${total}`);
    }
    log(`重新计算完整度：${c.title} ${done} 条完成，${changed - before} 条的完整状态改变`);
  }
  return changed;
}
