/**
 * The storage port's vocabulary for asking which records: a read scope, a filter, a scan's
 * position, and the validated condition trees, groupings and sorts of queries and statistics.
 * Types only, no adapter's: engine/ports.ts re-exports them.
 */

/**
 * What a user may read of a collection, as data the core hands to storage: the subtree paths
 * their grants cover, and the one record bound to them (a self role). Storage turns it into a
 * range scan per path.
 */
export interface ReadScope {
  paths: string[];
  selfRecord?: string;
}

/** Which records of one collection a query means; every part narrows it. */
export interface RecordFilter {
  collection: string;
  /** Only what this scope reads; absent: no restriction (the caller has checked otherwise). */
  scope?: ReadScope;
  /** Only the subtree of this path. */
  subtree?: string;
  /** Only the records hanging directly on this node. */
  node?: string;
  state?: string;
  /** Only records whose top-level field holds this value (with `table`: column `field` of any row of that child table). */
  equals?: { field: string; value: string; table?: string };
  /** Text any of these fields contains. */
  search?: { fields: string[]; text: string };
}

/** Where a record holds a value: a top-level field, or with `table` a column of that child table's rows. */
export interface ValuePlace { field: string; table?: string }

/** Where a scan stands: after this record (keyset position), opaque to callers. */
export interface ScanCursor { seq: number; path: string }

/**
 * A validated condition tree over a record's top-level fields, as the core hands it to storage
 * (engine/query/conditions.ts builds it from the person's input and the schema; nothing in
 * storage checks a field name or a value's type again). Values compare as the JSON holds them:
 * dates are ISO text, so a range of dates (and of birth dates, for an age) is a range of text.
 */
export type Condition =
  | { op: 'and' | 'or'; items: Condition[] }
  | { op: 'in'; field: string; values: string[] }
  | { op: 'range'; field: string; from?: string; to?: string; above?: string }
  | { op: 'numRange'; field: string; min?: number; max?: number }
  | { op: 'contains'; field: string; text: string }
  | { op: 'equals'; field: string; value: string | number | boolean }
  | { op: 'empty' | 'notEmpty'; field: string }
  /** A child table with at least one row matching `where` (over the row's columns). */
  | { op: 'anyRow'; field: string; where: Condition }
  /** A child table with no rows / with rows. */
  | { op: 'noRows' | 'hasRows'; field: string };

/** What a statistic groups by, as SQL can compute it from a row. */
export type GroupKey =
  | { by: 'value'; field: string }
  /** The child of `path` whose subtree holds the record ('' for records on the node itself). */
  | { by: 'child'; path: string }
  | { by: 'year'; field: string }
  /** The index of the first band whose `above` the value exceeds (ISO text), bands.length when none; '' when empty. */
  | { by: 'bands'; field: string; above: string[] };

export interface ConditionQuery {
  collection: string;
  scope: ReadScope;
  where?: Condition;
}

export interface SortBy { field: string; desc?: boolean }
