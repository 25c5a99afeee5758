/**
 * The storage port's vocabulary for one record as stored and for a write of it: the record itself,
 * what the audit entry of a write adds, the node a write hangs on, the unique-key rows of a batch,
 * and why a write is refused. Types only, no adapter's: engine/ports.ts re-exports them.
 */
import type { FieldChange } from './audit.js';

/** A record as stored: the JSON document plus what the engine keeps beside it. */
export interface StoredRecord {
  id: string;
  collection: string;
  nodeId: string | null;
  path: string;
  data: Record<string, unknown>;
  state: string | null;
  workflow: string | null;
  /** The workflow's own data beside the record's (set by workflow actions). */
  workflowContext?: Record<string, unknown> | null;
  complete: boolean;
  codeVersions: Record<string, number> | null;
  version: number;
  createdAt: string;
  createdBy: string | null;
  updatedAt: string;
  updatedBy: string | null;
}

/** What the audit entry of a write says beside the record's own columns. */
export interface WriteAudit {
  action: string;
  fromState: string | null;
  diff: Record<string, FieldChange> | null;
  note: string | null;
}

/** A node the write hangs on, as it was read: the write is refused if it moved or vanished since. */
export interface NodeGuard {
  id: string;
  path: string;
}

/** A unique-key value a new record will hold. */
export interface KeyRow { collection: string; key: string; value: string; recordId: string }

/**
 * Why the database refused a record write (see migration 5's guards and unique_keys' key;
 * config_changed: the write named the config version it was made under, and another is published).
 */
export type WriteRefusal = 'stale' | 'node_changed' | 'duplicate' | 'config_changed';
