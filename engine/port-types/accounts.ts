/**
 * The storage port's vocabulary for accounts: a user's row, the grants held on a node or within a
 * subtree, and the counters of failed logins. Types only, no adapter's: engine/ports.ts
 * re-exports them.
 */

/** An account as stored, under the tables' snake_case column names (the port's Accounts says so). */
export interface UserRow {
  id: string; username: string; password_hash: string; display_name: string;
  self_collection: string | null; self_record: string | null; created_at: string;
  must_change_password: number; locked_at: string | null;
}

/** A grant on a node with the account holding it. */
export interface NodeGrant {
  userId: string;
  username: string;
  displayName: string;
  role: string;
  selfCollection: string | null;
  selfRecord: string | null;
}

/** A grant somewhere in a subtree, with its node's label and the holder's account state. */
export interface SubtreeGrant {
  nodeId: string;
  nodeLabel: string | null;
  username: string;
  displayName: string;
  role: string;
  selfCollection: string | null;
  selfRecord: string | null;
  locked: number;
  mustChangePassword: number;
}

/** A counter of failed password guesses (times in ms since the epoch). */
export interface FailureCount {
  key: string;
  failures: number;
  /** When the current count began: a window's start. */
  firstAt: number;
  /** No attempt under this key before this moment (0: none). */
  blockedUntil: number;
}
