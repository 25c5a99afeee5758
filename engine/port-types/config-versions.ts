/**
 * The storage port's vocabulary for the application config as data (migration 11): immutable
 * numbered versions, the head row naming the published one, the one draft, and the append-only
 * config history. Types only, no adapter's: engine/ports.ts re-exports them.
 */

/**
 * The files of a version or draft as one JSON document: path → text, or {base64} for bytes
 * (fonts, pictures).
 */
export type StoredFiles = Record<string, string | { base64: string }>;

export interface ConfigVersionRow {
  number: number;
  hash: string;
  author: string | null;
  at: string;
  note: string | null;
  origin: string;
  basedOn: number | null;
}

export interface ConfigHead {
  published: number;
  filesVersion: number | null;
  filesHash: string | null;
}

export interface DraftRow {
  base: number;
  files: StoredFiles;
  version: number;
  origin: string;
  createdBy: string | null;
  createdAt: string;
  updatedBy: string | null;
  updatedAt: string;
  proposedBy: string | null;
  proposedAt: string | null;
  proposedNote: string | null;
  /** The draft version that was proposed: a save after the proposal withdraws it. */
  proposedVersion: number | null;
}

export interface HistoryEntry {
  id: number;
  at: string;
  actor: string | null;
  action: string;
  version: number | null;
  draft: number | null;
  note: string | null;
  detail: unknown;
}
