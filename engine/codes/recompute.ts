import type { Database } from '../storage/sqlite.js';
import type { AppRuntime } from '../runtime/runtime.js';
import { recordsTable } from '../storage/records.js';
import { fieldsUsingTable } from './usage.js';

/**
 * After a config change, records whose completeness depends on a changed code table (they hold
 * a code deprecated in the old or the new version) get their `complete` flag recomputed, in one
 * transaction. Other records are untouched: their verdict cannot have changed.
 */
export async function recomputeAfterCodeChange(db: Database, next: AppRuntime, previous: AppRuntime): Promise<number> {
  let changed = 0;
  await db.transaction(async (tx) => {
    for (const [name, table] of next.config.codes) {
      const old = previous.config.codes.get(name);
      if (old && old.version === table.version && JSON.stringify(old.codes) === JSON.stringify(table.codes)) continue;
      const codes = [...new Set([...table.codes, ...(old?.codes ?? [])].filter((c) => c.deprecated).map((c) => c.code))];
      if (!codes.length) continue;
      for (const f of fieldsUsingTable(next, name)) {
        const rows = await tx.all<{ id: string }>(
          `SELECT id FROM records WHERE collection = ? AND json_extract(data, ?) IN (${codes.map(() => '?').join(',')})`,
          [f.collection, `$.${f.field}`, ...codes],
        );
        for (const { id } of rows) {
          const r = (await recordsTable.get(tx, id))!;
          const complete = next.validator(r.collection).completenessErrors(r.data).length === 0;
          if (complete !== r.complete) {
            await tx.run('UPDATE records SET complete = ? WHERE id = ?', [complete ? 1 : 0, id]);
            changed++;
          }
        }
      }
    }
  });
  return changed;
}
