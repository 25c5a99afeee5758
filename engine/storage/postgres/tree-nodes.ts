import type { PgQueryable } from './connection.js';
import { pgRecordQuery } from './record-query.js';

/**
 * Reads of the tree's shape for the tree routes on PostgreSQL (engine/storage/sqlite/tree-nodes.ts): a
 * node's children, which of some nodes have children, the labels of nodes. Each is one query on
 * the (collection, node_id) index or on primary keys.
 */
export const pgTreeNodes = {
  /** The ids of a node's child nodes, in the order they were made. */
  async childIds(db: PgQueryable, tree: string, nodeId: string): Promise<string[]> {
    const { rows } = await db.query<{ id: string }>('SELECT id FROM records WHERE collection = $1 AND node_id = $2 ORDER BY seq', [tree, nodeId]);
    return rows.map((r) => r.id);
  },

  /** Which of the given nodes have at least one child node: one look-up per node in the index. */
  async withChildren(db: PgQueryable, tree: string, nodeIds: string[]): Promise<Set<string>> {
    if (!nodeIds.length) return new Set();
    const { rows } = await db.query<{ id: string }>(
      `SELECT n.id FROM unnest($1::text[]) AS n(id)
       WHERE EXISTS (SELECT 1 FROM records r WHERE r.collection = $2 AND r.node_id = n.id)`,
      [nodeIds, tree]);
    return new Set(rows.map((r) => r.id));
  },

  /** Each node's label (the value of the tree's label field), by id. */
  labels(db: PgQueryable, labelField: string, ids: string[]): Promise<Map<string, string | null>> {
    return pgRecordQuery.fieldOf(db, ids, labelField) as Promise<Map<string, string | null>>;
  },
};
