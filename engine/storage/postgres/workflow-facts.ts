import type { PgQueryable } from './connection.js';

/** What workflow guards and config checks read from stored data (engine/storage/sqlite/workflow-facts.ts's twin). */
export const pgWorkflowFacts = {
  /** How many records of a collection hang on a node (for `count` guards); a null node matches none, as SQL's = does. */
  async countOnNode(db: PgQueryable, collection: string, nodeId: string | null): Promise<number> {
    return (await db.query<{ n: number }>('SELECT count(*) AS n FROM records WHERE collection = $1 AND node_id = $2', [collection, nodeId])).rows[0].n;
  },

  /** Records of a collection per workflow state (records without a state are not counted), in state order. */
  async countByState(db: PgQueryable, collection: string): Promise<{ state: string; n: number }[]> {
    return (await db.query<{ state: string; n: number }>(
      'SELECT state, count(*) AS n FROM records WHERE collection = $1 AND state IS NOT NULL GROUP BY state ORDER BY state', [collection])).rows;
  },

  /** Who last sent `event` to the record (the audit's actor), null when that entry has none, undefined when nobody has. */
  async lastSender(db: PgQueryable, recordId: string, event: string): Promise<string | null | undefined> {
    const row = (await db.query<{ actor: string | null }>(
      'SELECT actor FROM audit WHERE record_id = $1 AND action = $2 ORDER BY id DESC LIMIT 1', [recordId, event])).rows[0];
    return row ? row.actor : undefined;
  },

  /** The data of the given records (tree nodes a guard looks at), by id. */
  async dataOf(db: PgQueryable, ids: string[]): Promise<Map<string, Record<string, unknown>>> {
    if (!ids.length) return new Map();
    const { rows } = await db.query<{ id: string; data: Record<string, unknown> }>('SELECT id, data FROM records WHERE id = ANY($1::text[])', [ids]);
    return new Map(rows.map((r) => [r.id, r.data]));
  },
};
