import type { Queryable } from './sqlite.js';

/** What workflow guards and config checks read from stored data (engine/workflow). */
export const workflowFacts = {
  /** How many records of a collection hang on a node (for `count` guards). */
  async countOnNode(db: Queryable, collection: string, nodeId: string | null): Promise<number> {
    const row = await db.get<{ n: number }>('SELECT count(*) AS n FROM records WHERE collection = ? AND node_id = ?', [collection, nodeId]);
    return row?.n ?? 0;
  },

  /** Records of a collection per workflow state (records without a state are not counted). */
  async countByState(db: Queryable, collection: string): Promise<{ state: string; n: number }[]> {
    return db.all<{ state: string; n: number }>(
      'SELECT state, count(*) AS n FROM records WHERE collection = ? AND state IS NOT NULL GROUP BY state', [collection]);
  },

  /** Who last sent `event` to the record (the audit's actor), or null when nobody has. */
  async lastSender(db: Queryable, recordId: string, event: string): Promise<string | null | undefined> {
    const row = await db.get<{ actor: string | null }>(
      'SELECT actor FROM audit WHERE record_id = ? AND action = ? ORDER BY id DESC LIMIT 1', [recordId, event]);
    return row ? row.actor : undefined;
  },

  /** The data of the given records (tree nodes a guard looks at), by id. */
  async dataOf(db: Queryable, ids: string[]): Promise<Map<string, Record<string, unknown>>> {
    if (!ids.length) return new Map();
    const rows = await db.all<{ id: string; data: string }>(
      `SELECT id, data FROM records WHERE id IN (${ids.map(() => '?').join(',')})`, ids);
    return new Map(rows.map((r) => [r.id, JSON.parse(r.data)]));
  },
};
