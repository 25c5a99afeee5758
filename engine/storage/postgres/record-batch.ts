import type { PgQueryable } from './connection.js';
import type { KeyRow, StoredRecord } from '../../ports.js';
import { diffFields } from '../../ports.js';
import { DomainError } from '../../errors.js';
import { regionDepth, regionOfPath } from './region.js';

/**
 * Rows per statement. Each statement takes one array per column, however many rows, so this only
 * bounds the memory of one statement's parameters.
 */
const ROWS_PER_STATEMENT = 5000;

/**
 * Rows inserted as columns: `INSERT … SELECT FROM unnest($1::text[], $2::…[], …)`, one parameter
 * per column, a statement the server plans once per shape and no per-row parameter limit.
 */
async function insertColumns(tx: PgQueryable, table: string, columns: [name: string, type: string, select?: string][], rows: unknown[][]) {
  const list = columns.map(([name]) => name).join(', ');
  const arrays = columns.map(([, type], i) => `$${i + 1}::${type}[]`).join(', ');
  const select = columns.map(([name, , expr]) => expr ?? name).join(', ');
  for (let at = 0; at < rows.length; at += ROWS_PER_STATEMENT) {
    const part = rows.slice(at, at + ROWS_PER_STATEMENT);
    await tx.query(`INSERT INTO ${table} (${list}) SELECT ${select} FROM unnest(${arrays}) AS t(${list})`,
      columns.map((_, c) => part.map((row) => row[c])));
  }
}

/**
 * Many new records of one batch, in the caller's transaction: the records, their unique keys (the
 * primary key refuses a clash, within the batch too) and one 'create' audit entry each — the same
 * rows the one-record write stores, the config version included; the counters follow by one
 * trigger run per statement. engine/storage/sqlite/record-batch.ts is the SQLite twin.
 */
export const pgRecordBatch = {
  /**
   * `validatedUnder`: the config version the records were checked under; when another is
   * published by now, nothing is written (the caller's transaction rolls back on the refusal).
   */
  async insert(tx: PgQueryable, records: StoredRecord[], keys: KeyRow[], note: string | null, validatedUnder: number | null = null): Promise<void> {
    // As record_write: the lock a publish waits on comes before the published version is read.
    await tx.query('LOCK TABLE records IN ROW EXCLUSIVE MODE');
    const configVersion = (await tx.query<{ v: number | null }>('SELECT published AS v FROM config_head WHERE id = 1')).rows[0]?.v ?? null;
    if (validatedUnder !== null && configVersion !== validatedUnder) {
      throw new DomainError('conflict', 'config_changed', '配置刚刚发布了新版本，本次导入未生效：请按新的配置重新上传预览');
    }
    if (!records.length) return;
    // As record_write: the nodes the records hang on are held FOR SHARE (in path order, the order a
    // move locks them in) until the batch commits, so a node's delete (hasDescendants) or move waits
    // for it. A node deleted or moved while the batch waited no longer has the path its records
    // were given: the batch is refused whole.
    const nodes = [...new Set(records.map((r) => r.nodeId).filter((id): id is string => id !== null))];
    if (nodes.length) {
      const { rows } = await tx.query<{ id: string; path: string }>('SELECT id, path FROM records WHERE id = ANY($1::text[]) ORDER BY path FOR SHARE', [nodes]);
      const at = new Map(rows.map((n) => [n.id, n.path]));
      const placed = (r: StoredRecord) => r.nodeId === null || [at.get(r.nodeId), `${at.get(r.nodeId)}${r.id}/`].includes(r.path);
      if (at.size < nodes.length || !records.every(placed)) {
        throw new DomainError('conflict', 'node_changed', '记录所属的节点刚被他人移动或删除，本次导入未生效：请重新上传预览');
      }
    }
    // The distribution column with every row (schema/region.ts): on Citus an INSERT is routed by it.
    const depth = await regionDepth(tx);
    await insertColumns(tx, 'records', [
      ['region', 'text'], ['id', 'text'], ['collection', 'text'], ['node_id', 'text'], ['path', 'text'], ['data', 'text', 'data::jsonb'], ['state', 'text'],
      ['workflow', 'text'], ['complete', 'boolean'], ['code_versions', 'text', 'code_versions::jsonb'], ['version', 'integer'],
      ['created_at', 'text'], ['created_by', 'text'], ['updated_at', 'text'], ['updated_by', 'text'], ['config_version', 'integer'],
    ], records.map((r) => [regionOfPath(r.path, depth), r.id, r.collection, r.nodeId, r.path, JSON.stringify(r.data), r.state, r.workflow, r.complete,
      r.codeVersions ? JSON.stringify(r.codeVersions) : null, r.version, r.createdAt, r.createdBy, r.updatedAt, r.updatedBy, configVersion]));
    if (keys.length) {
      await insertColumns(tx, 'unique_keys', [['collection', 'text'], ['key', 'text'], ['value', 'text'], ['record_id', 'text']],
        keys.map((k) => [k.collection, k.key, k.value, k.recordId]));
    }
    await insertColumns(tx, 'audit', [
      ['at', 'text'], ['actor', 'text'], ['collection', 'text'], ['record_id', 'text'], ['action', 'text'], ['from_state', 'text'],
      ['to_state', 'text'], ['diff', 'text', 'diff::jsonb'], ['note', 'text'], ['path', 'text'], ['region', 'text'],
    ], records.map((r) => [r.createdAt, r.createdBy, r.collection, r.id, 'create', null, r.state, JSON.stringify(diffFields(null, r.data)), note, r.path, regionOfPath(r.path, depth)]));
  },

  /** The first of these values of a unique key that a stored record already holds, or null. */
  async takenKeyValue(tx: PgQueryable, collection: string, key: string, values: string[]): Promise<string | null> {
    if (!values.length) return null;
    const { rows } = await tx.query<{ value: string }>(
      'SELECT value FROM unique_keys WHERE collection = $1 AND key = $2 AND value = ANY($3::text[]) LIMIT 1', [collection, key, values]);
    return rows[0]?.value ?? null;
  },
};
