import type { Collection } from '../config/types.js';
import type { StoredRecord, Tx } from '../ports.js';
import type { Actor } from '../auth/actor.js';

/**
 * Why a record's data changed: a person's edit, or a code replacement decided centrally (a
 * deprecated code rewritten to its one successor in bulk) — a workflow may treat the two apart.
 */
export type EditCause = 'edit' | 'recode';

/** What a workflow decides when a record's data is edited. */
export interface EditOutcome {
  state: string | null;
  context: Record<string, unknown> | null;
}

/**
 * What a workflow adds to plain record writes. The records service calls it; the workflow
 * runtime implements it. Without a workflow a record has no state.
 */
export interface Lifecycle {
  /** State and machine (id@version) a new record starts in. */
  initial(collection: Collection): { state: string; workflow: string } | null;
  /**
   * State and workflow context after the record's data was edited (e.g. back to draft), or null
   * to keep both. `cause` (default 'edit') says why the data changed.
   */
  afterEdit(collection: Collection, before: StoredRecord, actor?: Actor, cause?: EditCause): EditOutcome | null;
  /** Runs after a record was written (`before`: as it was), in the same transaction (derived data kept current). */
  afterWrite?(tx: Tx, actor: Actor, record: StoredRecord, before: StoredRecord): Promise<void>;
  /**
   * Whether afterWrite may write other records for this change: the records service then writes
   * in a transaction; otherwise an edit is its one record-write statement, atomic by itself.
   * Absent: always assumed.
   */
  touchesOthers?(record: StoredRecord, before: StoredRecord): boolean;
  /**
   * Runs after a person's record was deleted, in the same transaction, with the tree nodes on
   * which that person's account held roles: data derived from them is kept current too.
   */
  afterDelete?(tx: Tx, actor: Actor, heldNodes: string[]): Promise<void>;
}

export const noLifecycle: Lifecycle = {
  initial: () => null,
  afterEdit: () => null,
};
