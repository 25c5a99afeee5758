import { PgDatabase, type PgQueryable } from './connection.js';
import { statement } from './statement.js';
import { RecordWriteRefused, type StoredRecord } from '../../ports.js';
import { authChanged } from './auth-epoch.js';
import { pathUpperBound } from '../../tree-paths.js';
import { regionDepth, regionOfSubtree } from './region.js';

/** A records row as PostgreSQL returns it: jsonb parsed, booleans as booleans, seq a number. */
export interface RecordRow {
  seq?: number; id: string; collection: string; node_id: string | null; path: string; data: Record<string, unknown>;
  state: string | null; workflow: string | null; workflow_context: Record<string, unknown> | null; complete: boolean;
  code_versions: Record<string, number> | null; version: number;
  created_at: string; created_by: string | null; updated_at: string; updated_by: string | null;
}

/** The columns a StoredRecord is read from (fromRow), with the insertion order as seq. */
export const RECORD_COLUMNS = 'seq, id, collection, node_id, path, data, state, workflow, workflow_context, complete, code_versions, version, created_at, created_by, updated_at, updated_by';

/** A stored record from its row; an empty workflow context reads as none, as in SQLite (it is never stored empty). */
export function fromRow(r: RecordRow): StoredRecord {
  return {
    id: r.id, collection: r.collection, nodeId: r.node_id, path: r.path, data: r.data,
    state: r.state, workflow: r.workflow, workflowContext: r.workflow_context ?? null, complete: !!r.complete,
    codeVersions: r.code_versions ?? null, version: r.version,
    createdAt: r.created_at, createdBy: r.created_by, updatedAt: r.updated_at, updatedBy: r.updated_by,
  };
}

/** A record by id: read before every update and by most requests, so a named statement (connection.ts). */
const GET = statement('record_get', `SELECT ${RECORD_COLUMNS} FROM records WHERE id = $1`);

/**
 * Plain SQL over the records table on PostgreSQL: engine/storage/sqlite/records.ts statement for
 * statement. The subtree counters follow every change here by the table's triggers.
 */
export const pgRecordsTable = {
  async get(db: PgQueryable, id: string): Promise<StoredRecord | undefined> {
    const row = (await db.query<RecordRow>(GET, [id])).rows[0];
    return row && fromRow(row);
  },

  /** The stored records of these ids (those that exist): one array parameter, however many. */
  async getMany(db: PgQueryable, ids: string[]): Promise<StoredRecord[]> {
    if (!ids.length) return [];
    return (await db.query<RecordRow>(`SELECT ${RECORD_COLUMNS} FROM records WHERE id = ANY($1::text[])`, [ids])).rows.map(fromRow);
  },

  async delete(db: PgQueryable, id: string, expectedVersion?: number): Promise<void> {
    // A concurrent update holding the row makes the DELETE wait, then re-check the version it committed.
    const { rowCount } = await db.query('DELETE FROM records WHERE id = $1 AND ($2::integer IS NULL OR version = $2)', [id, expectedVersion ?? null]);
    if (!rowCount && expectedVersion !== undefined) throw new RecordWriteRefused('stale');
    await authChanged(db); // grants on a deleted node and an account's binding to it cascade
  },

  /**
   * Moves every record under oldPrefix (any collection) to newPrefix: one statement over the
   * records_path range. The rows are locked in path order, a node before the records hanging on it
   * (which share its path) — the order a record write locks them in (record_write) — so a move and a
   * write inside the branch wait for each other instead of deadlocking.
   */
  async movePaths(db: PgQueryable, oldPrefix: string, newPrefix: string): Promise<void> {
    // The rows' region follows their new path (a branch moved into another region changes it); a
    // branch at or below the region depth is read in its one region (region.ts).
    const region = regionOfSubtree(oldPrefix, await regionDepth(db));
    await db.query(`UPDATE records r SET path = $1 || substr(r.path, $2), region = path_region($1 || substr(r.path, $2))
      FROM (SELECT id, region FROM records WHERE ${region === null ? '' : 'region = $5 AND '}path >= $3 AND path < $4
            ORDER BY path, right(path, length(id) + 2) <> '/' || id || '/' FOR UPDATE) moved
      WHERE r.region = moved.region AND r.id = moved.id`, [
      newPrefix, oldPrefix.length + 1, oldPrefix, pathUpperBound(oldPrefix), ...(region === null ? [] : [region]),
    ]);
    await authChanged(db); // grants carry their node's path
  },

  /** Whether any record of a collection exists (e.g. whether a tree has been started). */
  async anyOf(db: PgQueryable, collection: string): Promise<boolean> {
    return (await db.query('SELECT 1 FROM records WHERE collection = $1 LIMIT 1', [collection])).rows.length > 0;
  },

  /** Whether the database holds no records at all (a new installation). */
  async none(db: PgQueryable): Promise<boolean> {
    return (await db.query('SELECT 1 FROM records LIMIT 1')).rows.length === 0;
  },

  /** Demo data only: a workflow state without a transition or an audit entry. */
  async placeInState(db: PgQueryable, id: string, state: string): Promise<void> {
    await db.query('UPDATE records SET state = $1 WHERE id = $2', [state, id]);
  },

  /**
   * Whether any record other than the node itself hangs inside the node's subtree. Inside a
   * transaction (a delete of the node follows) the node is locked first: a write hanging a record
   * on it holds it FOR SHARE until it commits (record_write, recordBatch.insert), so the check waits
   * for writes in flight and then sees them, and writes that come later wait for the delete and
   * find the node gone — an empty node is never deleted under a record being written (SQLite's one
   * writer never lets the check and the write interleave).
   */
  async hasDescendants(db: PgQueryable, node: StoredRecord): Promise<boolean> {
    // Locked by id alone: a move committed since the caller read the node changed its region too.
    if (!(db instanceof PgDatabase)) await db.query('SELECT 1 FROM records WHERE id = $1 FOR UPDATE', [node.id]);
    const region = regionOfSubtree(node.path, await regionDepth(db));
    const { rows } = await db.query<{ found: boolean }>(
      `SELECT EXISTS (SELECT 1 FROM records WHERE ${region === null ? '' : 'region = $4 AND '}path >= $1 AND path < $2 AND id <> $3) AS found`,
      [node.path, pathUpperBound(node.path), node.id, ...(region === null ? [] : [region])]);
    return rows[0].found;
  },
};
