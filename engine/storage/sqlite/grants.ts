import type { Queryable } from './sqlite.js';
import type { NodeGrant, SubtreeGrant } from '../../ports.js';
import { authEpoch } from '../common/auth-epoch.js';

/** Plain SQL over grants as the grants API and the derived fields need them. */
export const grantStore = {
  /** Grants on one node, oldest first. */
  onNode(db: Queryable, nodeId: string): Promise<NodeGrant[]> {
    return db.all<NodeGrant>(
      `SELECT u.id AS userId, u.username AS username, u.display_name AS displayName, g.role AS role,
              u.self_collection AS selfCollection, u.self_record AS selfRecord
         FROM grants g JOIN users u ON u.id = g.user_id WHERE g.node_id = ? ORDER BY g.rowid`, [nodeId]);
  },

  /**
   * Every grant on the nodes of a subtree (its node's path), tree order, with the node's label
   * and the holder's account state: the overview of who holds what below a node.
   */
  inSubtree(db: Queryable, path: string, upper: string, labelField: string, limit: number): Promise<SubtreeGrant[]> {
    return db.all<SubtreeGrant>(
      `SELECT r.id AS nodeId, json_extract(r.data, ?) AS nodeLabel, u.username AS username, u.display_name AS displayName,
              g.role AS role, u.self_collection AS selfCollection, u.self_record AS selfRecord, u.locked_at IS NOT NULL AS locked, u.must_change_password AS mustChangePassword
         FROM records r JOIN grants g ON g.node_id = r.id JOIN users u ON u.id = g.user_id
        WHERE r.path >= ? AND r.path < ? ORDER BY r.path, g.rowid LIMIT ?`, [`$.${labelField}`, path, upper, limit]);
  },

  /** Every node on which anybody holds a grant. */
  async grantedNodes(db: Queryable): Promise<string[]> {
    return (await db.all<{ node: string }>('SELECT DISTINCT node_id AS node FROM grants')).map((r) => r.node);
  },

  /** Nodes on which the account bound to a record holds any grant. */
  async nodesOfBoundRecord(db: Queryable, recordId: string): Promise<string[]> {
    const rows = await db.all<{ node: string }>(
      'SELECT DISTINCT g.node_id AS node FROM grants g JOIN users u ON u.id = g.user_id WHERE u.self_record = ?', [recordId]);
    return rows.map((r) => r.node);
  },

  userByName(db: Queryable, username: string) {
    return db.get<{ id: string; username: string; display_name: string }>('SELECT id, username, display_name FROM users WHERE username = ?', [username]);
  },

  userBoundTo(db: Queryable, recordId: string) {
    return db.get<{ id: string; username: string; display_name: string }>('SELECT id, username, display_name FROM users WHERE self_record = ?', [recordId]);
  },

  async add(db: Queryable, userId: string, role: string, nodeId: string): Promise<boolean> {
    const r = await db.run('INSERT OR IGNORE INTO grants (user_id, role, node_id) VALUES (?, ?, ?)', [userId, role, nodeId]);
    authEpoch.bump();
    return r.changes === 1;
  },

  async remove(db: Queryable, userId: string, role: string, nodeId: string): Promise<boolean> {
    const r = await db.run('DELETE FROM grants WHERE user_id = ? AND role = ? AND node_id = ?', [userId, role, nodeId]);
    authEpoch.bump();
    return r.changes === 1;
  },
};
