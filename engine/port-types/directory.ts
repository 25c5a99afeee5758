/**
 * The storage port's vocabulary for the imported lookup directory: a stored row, who loaded it,
 * and a row an upload was not allowed to replace. Types only, no adapter's: engine/ports.ts
 * re-exports them.
 */

/** Who loaded a directory row, when, and on the authority of which grant (its node's path). */
export interface DirectoryLoader {
  /** Username of the uploader; null for the operator's command line. */
  by: string | null;
  /** The uploader's display name (joined from the account; null when it is gone or unknown). */
  byName?: string | null;
  at: string;
  /** Path of the granted node that authorised the load; null for rows of databases older than this column. */
  path: string | null;
}

export interface DirectoryRow {
  data: Record<string, unknown>;
  loader: DirectoryLoader;
}

/** A stored row that an upload was not allowed to replace. */
export interface ForeignRow {
  key: string;
  value: string;
  loader: DirectoryLoader;
}
