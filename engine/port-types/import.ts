/**
 * The storage port's vocabulary for bulk imports: an entry of the kept import log, and a preview
 * kept between upload and commit. Types only, no adapter's: engine/ports.ts re-exports them.
 */
import type { RowAction } from '../import/preview-rows.js';

export interface ImportLogEntry {
  id: string;
  collection: string;
  actor: string | null;
  filename: string | null;
  status: 'previewed' | 'committed' | 'failed';
  at: string;
  committedAt: string | null;
  total: number;
  counts: Record<RowAction, number>;
  message: string | null;
  hasErrorsFile: boolean;
}

/** An import preview kept for its commit: who made it, of what, and the rows it checked. */
export interface StoredPreview {
  id: string;
  owner: string;
  collection: string;
  /** Always 'open' since the commit's claim is its transaction's (take); 'committing' only in a row left by an older version. */
  state: 'open' | 'committing';
  /** When it was made (ms). */
  at: number;
}
