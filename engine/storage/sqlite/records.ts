import { randomBytes } from 'node:crypto';
import type { Queryable } from './sqlite.js';
import type { StoredRecord } from '../../ports.js';
import { pathUpperBound } from '../../tree-paths.js';
import { authEpoch } from '../common/auth-epoch.js';
import { RecordWriteRefused } from './record-writes.js';

interface Row {
  id: string; collection: string; node_id: string | null; path: string; data: string; state: string | null;
  workflow: string | null; workflow_context?: string | null; complete: number; code_versions: string | null; version: number;
  created_at: string; created_by: string | null; updated_at: string; updated_by: string | null; seq?: number;
}

export function fromRow(r: Row): StoredRecord {
  return {
    id: r.id, collection: r.collection, nodeId: r.node_id, path: r.path, data: JSON.parse(r.data),
    state: r.state, workflow: r.workflow, workflowContext: r.workflow_context ? JSON.parse(r.workflow_context) : null, complete: !!r.complete,
    codeVersions: r.code_versions ? JSON.parse(r.code_versions) : null, version: r.version,
    createdAt: r.created_at, createdBy: r.created_by, updatedAt: r.updated_at, updatedBy: r.updated_by,
  };
}

/** The columns a StoredRecord is read from (fromRow), with the insertion order as seq. */
export const RECORD_COLUMNS = 'rowid AS seq, id, collection, node_id, path, data, state, workflow, workflow_context, complete, code_versions, version, created_at, created_by, updated_at, updated_by';

/** Plain SQL over the records table; no permission or validation logic lives here. */
export const recordsTable = {
  async get(db: Queryable, id: string): Promise<StoredRecord | undefined> {
    const row = await db.get<Row>(`SELECT ${RECORD_COLUMNS} FROM records WHERE id = ?`, [id]);
    return row && fromRow(row);
  },

  /** The stored records of these ids (those that exist), read in chunks. */
  async getMany(db: Queryable, ids: string[]): Promise<StoredRecord[]> {
    const out: StoredRecord[] = [];
    for (let i = 0; i < ids.length; i += 500) {
      const part = ids.slice(i, i + 500);
      const rows = await db.all<Row>(`SELECT ${RECORD_COLUMNS} FROM records WHERE id IN (${part.map(() => '?').join(',')})`, part);
      out.push(...rows.map(fromRow));
    }
    return out;
  },

  async delete(db: Queryable, id: string, expectedVersion?: number): Promise<void> {
    const { changes } = await db.run('DELETE FROM records WHERE id = ? AND (? IS NULL OR version = ?)', [id, expectedVersion ?? null, expectedVersion ?? null]);
    if (!changes && expectedVersion !== undefined) throw new RecordWriteRefused('stale');
    authEpoch.bump(); // grants on a deleted node and an account's binding to it cascade
  },

  /** Moves every record under oldPrefix (any collection) to newPrefix. */
  async movePaths(db: Queryable, oldPrefix: string, newPrefix: string): Promise<void> {
    await db.run('UPDATE records SET path = ? || substr(path, ?) WHERE path >= ? AND path < ?', [
      newPrefix, oldPrefix.length + 1, oldPrefix, pathUpperBound(oldPrefix),
    ]);
    authEpoch.bump(); // grants carry their node's path
  },

  /** Whether any record of a collection exists (e.g. whether a tree has been started). */
  async anyOf(db: Queryable, collection: string): Promise<boolean> {
    return !!(await db.get('SELECT 1 FROM records WHERE collection = ? LIMIT 1', [collection]));
  },

  /** Whether the database holds no records at all (a new installation). */
  async none(db: Queryable): Promise<boolean> {
    return !(await db.get('SELECT 1 FROM records LIMIT 1'));
  },

  /**
   * Puts a record in a workflow state without a transition or an audit entry: only for demo data
   * that starts records in the middle of their workflow.
   */
  async placeInState(db: Queryable, id: string, state: string): Promise<void> {
    await db.run('UPDATE records SET state = ? WHERE id = ?', [state, id]);
  },

  /** Whether any record other than the node itself hangs inside the node's subtree. */
  async hasDescendants(db: Queryable, node: StoredRecord): Promise<boolean> {
    const row = await db.get<{ n: number }>('SELECT count(*) AS n FROM (SELECT 1 FROM records WHERE path >= ? AND path < ? AND id <> ? LIMIT 1)', [
      node.path, pathUpperBound(node.path), node.id,
    ]);
    return (row?.n ?? 0) > 0;
  },
};
