import type { Collection } from '../config/types.js';
import type { StoredRecord } from '../storage/records.js';

/**
 * What a workflow adds to plain record writes. The records service calls it; the workflow
 * runtime implements it. Without a workflow a record has no state.
 */
export interface Lifecycle {
  /** State and machine (id@version) a new record starts in. */
  initial(collection: Collection): { state: string; workflow: string } | null;
  /** The state a record moves to when its data is edited (e.g. back to draft), or null to keep it. */
  afterEdit(collection: Collection, before: StoredRecord): string | null;
}

export const noLifecycle: Lifecycle = {
  initial: () => null,
  afterEdit: () => null,
};
