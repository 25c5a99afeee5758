/**
 * The storage port's vocabulary for recomputing the stored completeness flags after a config
 * change: which records a scan is restricted to, and a record's flag as read. Types only, no
 * adapter's: engine/ports.ts re-exports them.
 */

/** Restricts a scan to records holding one of `codes` in `field` (with `table`: in column `field` of any row of that child table). */
export interface CodeMatch { field: string; codes: string[]; table?: string }

/** A record's data and flag as read for the recomputation, with the version they were read at. */
export interface FlagRow { seq: number; id: string; data: Record<string, unknown>; complete: boolean; version: number }
