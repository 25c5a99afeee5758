/**
 * The storage port's vocabulary for the audit log: an entry, how a change is recorded in it (the
 * same on every adapter: computed by the core, stored as data), and which entries a subtree's
 * page or export reads. Types only, no adapter's: engine/ports.ts re-exports them.
 */

/**
 * One row of a child table that changed: its number (from 1; a removed row's number before), its
 * number before when it moved (`from`), and its cells [before, after] — a row that only moved keeps
 * the cell it is named by, alike on both sides.
 */
export interface RowChange { row: number; change: 'added' | 'removed' | 'changed' | 'moved'; cells: Record<string, [unknown, unknown]>; from?: number }

/** A child table's change in an update's diff: the rows that changed, not the whole table twice. */
export interface RowsDiff { rows: RowChange[] }

/** A field's change: [before, after], or a child table's changed rows. */
export type FieldChange = [unknown, unknown] | RowsDiff;

export interface AuditEntry {
  id: number;
  at: string;
  actor: string | null;
  collection: string;
  recordId: string;
  action: string;
  fromState: string | null;
  toState: string | null;
  diff: Record<string, FieldChange> | null;
  note: string | null;
  /** Who the actor is to people (their account's display name), when the actor is an account. */
  actorName?: string | null;
}

/** Which actions an entry may have: any of `in`, or any action but those of `notIn`. */
export type ActionSet = { in: string[] } | { notIn: string[] };

/** The audit entries of a subtree that a page or an export reads (checked by engine/audit first). */
export interface AuditFilter {
  /** The subtree: entries placed at this path or below it. */
  path: string;
  /** Entries without a place too (records deleted before places were kept): asked at the tree's root only. */
  unplaced: boolean;
  /** Collections whose entries count (the config's own; never a code table's entries). */
  collections: string[];
  /** Entries by this person: the actor's username, or part of their account's display name. */
  person?: string;
  /** ISO instants: at or after `from`, before `to`. */
  from?: string;
  to?: string;
  /** Entries whose action is in any of these sets (none given: every action). */
  actions?: ActionSet[];
  /** Entries older than this one (the cursor), newest first. */
  before?: number;
  limit: number;
}
