import type { Param, Queryable } from './sqlite.js';
import type { StoredRecord, KeyRow } from '../../ports.js';
import { diffFields } from '../common/audit-diff.js';
import { DomainError } from '../../errors.js';

const ROWS_PER_STATEMENT = 200;

/** One INSERT … VALUES (…), (…) per chunk of rows: the statement is prepared once per chunk. */
async function insertRows(tx: Queryable, table: string, columns: string[], rows: Param[][]) {
  const one = `(${columns.map(() => '?').join(',')})`;
  for (let i = 0; i < rows.length; i += ROWS_PER_STATEMENT) {
    const part = rows.slice(i, i + ROWS_PER_STATEMENT);
    await tx.run(`INSERT INTO ${table} (${columns.join(',')}) VALUES ${part.map(() => one).join(',')}`, part.flat());
  }
}

/**
 * Many new records of one batch written with a few multi-row statements: the records, their
 * unique keys (the table's primary key refuses a clash inside the same statement) and one
 * 'create' audit entry each — the same rows the one-record write stores, the config version included.
 */
export const recordBatch = {
  /**
   * `validatedUnder`: the config version the records were checked under; when another is
   * published by now, nothing is written (the caller's transaction rolls back on the refusal).
   */
  async insert(tx: Queryable, records: StoredRecord[], keys: KeyRow[], note: string | null, validatedUnder: number | null = null): Promise<void> {
    // The config version in force, as the one-record write stamps it (migration 11).
    const configVersion = (await tx.get<{ v: number | null }>('SELECT published AS v FROM config_head WHERE id = 1'))?.v ?? null;
    if (validatedUnder !== null && configVersion !== validatedUnder) {
      throw new DomainError('conflict', 'config_changed', '配置刚刚发布了新版本，本次导入未生效：请按新的配置重新上传预览');
    }
    await insertRows(tx, 'records',
      ['id', 'collection', 'node_id', 'path', 'data', 'state', 'workflow', 'workflow_context', 'complete', 'code_versions', 'version', 'created_at', 'created_by', 'updated_at', 'updated_by', 'config_version'],
      records.map((r) => [r.id, r.collection, r.nodeId, r.path, JSON.stringify(r.data), r.state, r.workflow, null, r.complete ? 1 : 0,
        JSON.stringify(r.codeVersions), r.version, r.createdAt, r.createdBy, r.updatedAt, r.updatedBy, configVersion]));
    await insertRows(tx, 'unique_keys', ['collection', 'key', 'value', 'record_id'], keys.map((k) => [k.collection, k.key, k.value, k.recordId]));
    await insertRows(tx, 'audit', ['at', 'actor', 'collection', 'record_id', 'action', 'from_state', 'to_state', 'diff', 'note', 'path'],
      records.map((r) => [r.createdAt, r.createdBy, r.collection, r.id, 'create', null, r.state, JSON.stringify(diffFields(null, r.data)), note, r.path]));
  },

  /** The first of these values of a unique key that a stored record already holds, or null. */
  async takenKeyValue(tx: Queryable, collection: string, key: string, values: string[]): Promise<string | null> {
    for (let j = 0; j < values.length; j += 500) {
      const part = values.slice(j, j + 500);
      const hit = await tx.get<{ value: string }>(
        `SELECT value FROM unique_keys WHERE collection = ? AND key = ? AND value IN (${part.map(() => '?').join(',')}) LIMIT 1`, [collection, key, ...part]);
      if (hit) return hit.value;
    }
    return null;
  },
};
