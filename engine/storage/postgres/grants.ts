import type { PgQueryable } from './connection.js';
import { statement } from './statement.js';
import type { NodeGrant, SubtreeGrant } from '../../ports.js';
import { authChanged } from './auth-epoch.js';
import { regionDepth, regionOfSubtree } from './region.js';

type Account = { id: string; username: string; display_name: string };

/** Asked after every update of a record (derived fields of the nodes its person holds): a named statement (connection.ts). */
const NODES_OF_BOUND_RECORD = statement('grants_nodes_of_bound_record',
  'SELECT DISTINCT g.node_id AS node FROM grants g JOIN users u ON u.id = g.user_id WHERE u.self_record = $1');

/**
 * Grants as the grants API and the derived fields need them, on PostgreSQL: the same behaviour as
 * engine/storage/sqlite/grants.ts. `seq` stands for SQLite's rowid (the order grants were given); flags
 * are read back as 0/1, the shape the port's SubtreeGrant has.
 */
export const pgGrants = {
  /** Grants on one node, oldest first. */
  async onNode(db: PgQueryable, nodeId: string): Promise<NodeGrant[]> {
    return (await db.query<NodeGrant>(
      `SELECT u.id AS "userId", u.username AS username, u.display_name AS "displayName", g.role AS role,
              u.self_collection AS "selfCollection", u.self_record AS "selfRecord"
         FROM grants g JOIN users u ON u.id = g.user_id WHERE g.node_id = $1 ORDER BY g.seq`, [nodeId])).rows;
  },

  /**
   * Every grant on the nodes of a subtree (its node's path, through the records' path index), tree
   * order, with the node's label and the holder's account state.
   */
  async inSubtree(db: PgQueryable, path: string, upper: string, labelField: string, limit: number): Promise<SubtreeGrant[]> {
    // The subtree's nodes in their one region when it lies in one (region.ts).
    const region = regionOfSubtree(path, await regionDepth(db));
    return (await db.query<SubtreeGrant>(
      `SELECT r.id AS "nodeId", r.data -> $1 AS "nodeLabel", u.username AS username, u.display_name AS "displayName",
              g.role AS role, u.self_collection AS "selfCollection", u.self_record AS "selfRecord",
              (u.locked_at IS NOT NULL)::int AS locked, u.must_change_password::int AS "mustChangePassword"
         FROM records r JOIN grants g ON g.node_id = r.id JOIN users u ON u.id = g.user_id
        WHERE ${region === null ? '' : 'r.region = $5 AND '}r.path >= $2 AND r.path < $3 ORDER BY r.path, g.seq LIMIT $4`,
      [labelField, path, upper, limit, ...(region === null ? [] : [region])])).rows;
  },

  /** Every node on which anybody holds a grant. */
  async grantedNodes(db: PgQueryable): Promise<string[]> {
    return (await db.query<{ node: string }>('SELECT DISTINCT node_id AS node FROM grants')).rows.map((r) => r.node);
  },

  /** Nodes on which the account bound to a record holds any grant. */
  async nodesOfBoundRecord(db: PgQueryable, recordId: string): Promise<string[]> {
    const { rows } = await db.query<{ node: string }>(NODES_OF_BOUND_RECORD, [recordId]);
    return rows.map((r) => r.node);
  },

  async userByName(db: PgQueryable, username: string): Promise<Account | undefined> {
    return (await db.query<Account>('SELECT id, username, display_name FROM users WHERE username = $1', [username])).rows[0];
  },

  async userBoundTo(db: PgQueryable, recordId: string): Promise<Account | undefined> {
    return (await db.query<Account>('SELECT id, username, display_name FROM users WHERE self_record = $1', [recordId])).rows[0];
  },

  /** False when the grant was there already. */
  async add(db: PgQueryable, userId: string, role: string, nodeId: string): Promise<boolean> {
    const r = await db.query('INSERT INTO grants (user_id, role, node_id) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING', [userId, role, nodeId]);
    await authChanged(db);
    return r.rowCount === 1;
  },

  /** False when there was no such grant. */
  async remove(db: PgQueryable, userId: string, role: string, nodeId: string): Promise<boolean> {
    const r = await db.query('DELETE FROM grants WHERE user_id = $1 AND role = $2 AND node_id = $3', [userId, role, nodeId]);
    await authChanged(db);
    return r.rowCount === 1;
  },
};
