import { PgDatabase, type PgQueryable } from './connection.js';
import { statement } from './statement.js';
import type { NodeGuard, StoredRecord, WriteAudit, WriteRefusal } from '../../ports.js';
import { RecordWriteRefused } from '../../ports.js';

/** The parameters of record_write (schema/records.ts), in order, with their types. */
const PARAMS = ['text', 'text', 'text', 'text', 'text', 'text', 'text', 'jsonb', 'text', 'text', 'jsonb', 'boolean', 'jsonb',
  'integer', 'integer', 'text', 'text', 'jsonb', 'text', 'text', 'jsonb', 'text', 'integer', 'boolean'];
/** Every save's statement: named (connection.ts), so PostgreSQL parses and plans the call once per connection. */
const CALL = statement('record_write', `SELECT record_write(${PARAMS.map((t, i) => `$${i + 1}::${t}`).join(', ')}) AS refusal`);

/** JSON for a jsonb parameter (node-postgres would turn a JS array into a PostgreSQL array). */
const json = (v: unknown) => (v === null || v === undefined ? null : JSON.stringify(v));
const ctxJson = (r: StoredRecord) => (r.workflowContext && Object.keys(r.workflowContext).length ? JSON.stringify(r.workflowContext) : null);

/** A key another write took meanwhile and has committed: the unique index is the last word, as in SQLite. */
const isKeyClash = (err: unknown) => {
  const e = err as { code?: string; table?: string; constraint?: string };
  return e?.code === '23505' && (e.table === 'unique_keys' || e.constraint === 'unique_keys_pkey');
};

async function write(db: PgQueryable, op: 'create' | 'update', r: StoredRecord, expectedVersion: number | null,
  keys: [string, string][] | null, audit: WriteAudit, guard: NodeGuard | undefined, configVersion: number | null = null): Promise<void> {
  // Only writing keys can raise (a key a concurrent transaction took and committed while this
  // one waited on it). Inside a transaction that error would abort it, and the records service
  // goes on after the refusal in the same transaction (it names the clashing key): there the
  // function fences its writes itself (p_fence, migration 4) and answers 'duplicate', one round
  // trip where a savepoint took three. On the pool the call is its own transaction: no fence.
  const fence = !!keys?.length && !(db instanceof PgDatabase);
  const params = [
    op, r.id, r.collection, r.nodeId, guard?.id ?? null, guard?.path ?? null, r.path, JSON.stringify(r.data), r.state, r.workflow, ctxJson(r),
    r.complete, json(r.codeVersions), r.version, expectedVersion, r.updatedAt, r.updatedBy, json(keys),
    audit.action, audit.fromState, json(audit.diff), audit.note, configVersion, fence,
  ];
  let refusal: WriteRefusal | null;
  try {
    refusal = (await db.query<{ refusal: WriteRefusal | null }>(CALL, params)).rows[0].refusal;
  } catch (err) {
    throw isKeyClash(err) ? new RecordWriteRefused('duplicate') : err;
  }
  if (refusal) throw new RecordWriteRefused(refusal);
}

/**
 * A record write — the record, its unique keys and its audit entry, the counters following by
 * trigger — as one call of the record_write function: one round trip, atomic by itself outside a
 * transaction. The function's guards answer with a refusal (RecordWriteRefused) and write nothing,
 * leaving a surrounding transaction usable, as a refused statement does in SQLite.
 * engine/storage/sqlite/record-writes.ts is the SQLite twin; the behaviour is the same.
 */
export const pgRecordWrites = {
  /** A new record holding `keys`, checked under config version `configVersion` (null: unchecked). */
  create(db: PgQueryable, r: StoredRecord, keys: [string, string][], audit: WriteAudit, guard?: NodeGuard, configVersion: number | null = null): Promise<void> {
    return write(db, 'create', r, null, keys, audit, guard, configVersion);
  },

  /** Version r.version over `expectedVersion`; keys null leaves the record's keys as they are. */
  update(db: PgQueryable, r: StoredRecord, expectedVersion: number, keys: [string, string][] | null, audit: WriteAudit, guard?: NodeGuard, configVersion: number | null = null): Promise<void> {
    return write(db, 'update', r, expectedVersion, keys, audit, guard, configVersion);
  },

  /** An update that must land under exactly config version `configVersion` (a publish's migration). */
  updateUnder(db: PgQueryable, configVersion: number, r: StoredRecord, expectedVersion: number, keys: [string, string][] | null, audit: WriteAudit): Promise<void> {
    return write(db, 'update', r, expectedVersion, keys, audit, undefined, configVersion);
  },
};
