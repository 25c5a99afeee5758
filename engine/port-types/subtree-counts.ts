/**
 * The storage port's vocabulary for the per-node counters kept in every writing transaction.
 * Types only, no adapter's: engine/ports.ts re-exports them.
 */

/** One node's counter row: records of a collection in a state within its subtree, and how many are complete. */
export interface CounterRow {
  collection: string;
  /** '' for records without a workflow state. */
  state: string;
  total: number;
  complete: number;
}
