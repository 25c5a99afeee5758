import { Database, type Queryable } from './sqlite.js';
import type { StoredRecord, WriteAudit, NodeGuard } from '../../ports.js';
import { RecordWriteRefused, type WriteRefusal } from '../common/write-refused.js';

export { RecordWriteRefused, type WriteRefusal };

const COLUMNS = ['op', 'id', 'collection', 'node_id', 'guard_node', 'guard_path', 'path', 'data', 'state', 'workflow', 'workflow_context',
  'complete', 'code_versions', 'version', 'expected_version', 'at', 'actor', 'keys', 'action', 'from_state', 'diff', 'note', 'config_version'];
const INSERT = `INSERT INTO record_writes (${COLUMNS.join(', ')}) VALUES (${COLUMNS.map(() => '?').join(', ')})`;

const json = (v: unknown) => (v === null || v === undefined ? null : JSON.stringify(v));
const ctxJson = (r: StoredRecord) => (r.workflowContext && Object.keys(r.workflowContext).length ? JSON.stringify(r.workflowContext) : null);

function refusal(err: unknown): unknown {
  const message = (err as Error)?.message ?? '';
  if (message.includes('record_write:stale')) return new RecordWriteRefused('stale');
  if (message.includes('record_write:node_changed')) return new RecordWriteRefused('node_changed');
  if (message.includes('record_write:config_changed')) return new RecordWriteRefused('config_changed');
  if (message.includes('UNIQUE constraint failed: unique_keys')) return new RecordWriteRefused('duplicate');
  return err;
}

async function write(db: Queryable, op: 'create' | 'update', r: StoredRecord, expectedVersion: number | null,
  keys: [string, string][] | null, audit: WriteAudit, guard: NodeGuard | undefined, configVersion: number | null = null): Promise<void> {
  try {
    const params = [
      op, r.id, r.collection, r.nodeId, guard?.id ?? null, guard?.path ?? null, r.path, JSON.stringify(r.data), r.state, r.workflow, ctxJson(r),
      r.complete ? 1 : 0, json(r.codeVersions), r.version, expectedVersion, r.updatedAt, r.updatedBy, json(keys),
      audit.action, audit.fromState, json(audit.diff), audit.note, configVersion,
    ];
    // Outside a transaction, concurrent writes share one statement (Database.insertGathered).
    await (db instanceof Database ? db.insertGathered(INSERT, params) : db.run(INSERT, params));
  } catch (err) {
    throw refusal(err);
  }
}

/**
 * A record write — the record, its unique keys and its audit entry — as one statement into the
 * record_writes view, whose triggers do the work (and stamp the record with the published config
 * version, migration 11). One statement is atomic by itself, so a caller
 * outside a transaction needs no BEGIN/COMMIT; inside one, it is one round trip instead of six.
 * Refusals arrive as RecordWriteRefused; the database's keys are the last word on uniqueness.
 */
export const recordWrites = {
  /**
   * Inserts a new record holding `keys` ([key name, value] pairs), validated under config version
   * `configVersion` (refused as config_changed when another is published by then; null: unchecked).
   */
  create(db: Queryable, r: StoredRecord, keys: [string, string][], audit: WriteAudit, guard?: NodeGuard, configVersion: number | null = null): Promise<void> {
    return write(db, 'create', r, null, keys, audit, guard, configVersion);
  },

  /** Writes version r.version over `expectedVersion`; keys null leaves the record's keys as they are. */
  update(db: Queryable, r: StoredRecord, expectedVersion: number, keys: [string, string][] | null, audit: WriteAudit, guard?: NodeGuard, configVersion: number | null = null): Promise<void> {
    return write(db, 'update', r, expectedVersion, keys, audit, guard, configVersion);
  },

  /**
   * An update made under config version `configVersion` (a publish's migration): refused as
   * config_changed unless that version is the published one when it lands.
   */
  updateUnder(db: Queryable, configVersion: number, r: StoredRecord, expectedVersion: number, keys: [string, string][] | null, audit: WriteAudit): Promise<void> {
    return write(db, 'update', r, expectedVersion, keys, audit, undefined, configVersion);
  },
};
