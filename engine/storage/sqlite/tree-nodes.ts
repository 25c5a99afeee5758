import type { Queryable } from './sqlite.js';

/**
 * Reads of the tree's shape for the tree routes: a node's children, which of some nodes have
 * children at all, and the labels of a path's nodes. Each is one query on the (collection, node_id)
 * index or on primary keys, whatever the size of the subtrees.
 */
export const treeNodes = {
  /** The ids of a node's child nodes, in the order they were made. */
  async childIds(db: Queryable, tree: string, nodeId: string): Promise<string[]> {
    const rows = await db.all<{ id: string }>('SELECT id FROM records WHERE collection = ? AND node_id = ? ORDER BY rowid', [tree, nodeId]);
    return rows.map((r) => r.id);
  },

  /** Which of the given nodes have at least one child node: one look-up per node in the index. */
  async withChildren(db: Queryable, tree: string, nodeIds: string[]): Promise<Set<string>> {
    if (!nodeIds.length) return new Set();
    const rows = await db.all<{ id: string }>(
      `SELECT n.value AS id FROM json_each(?) n
       WHERE EXISTS (SELECT 1 FROM records r WHERE r.collection = ? AND r.node_id = n.value)`,
      [JSON.stringify(nodeIds), tree]);
    return new Set(rows.map((r) => r.id));
  },

  /** Each node's label (the value of the tree's label field), by id. */
  async labels(db: Queryable, labelField: string, ids: string[]): Promise<Map<string, string | null>> {
    if (!ids.length) return new Map();
    const rows = await db.all<{ id: string; label: string | null }>(
      `SELECT id, json_extract(data, ?) AS label FROM records WHERE id IN (${ids.map(() => '?').join(',')})`, [`$.${labelField}`, ...ids]);
    return new Map(rows.map((r) => [r.id, r.label]));
  },
};
