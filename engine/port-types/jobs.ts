/**
 * The storage port's vocabulary for long jobs shared by every server instance on the database: a
 * job as stored and its failure. Types only, no adapter's: engine/ports.ts re-exports them.
 */

/** The failure of a job, as the HTTP error body says it. */
export interface JobError {
  code: string;
  message: string;
  details?: unknown;
  [extra: string]: unknown;
}

/** A job as stored: what any server instance on the database answers about it (times in ms). */
export interface JobRow {
  id: string;
  owner: string;
  kind: string;
  status: 'running' | 'done' | 'failed';
  done: number;
  total: number;
  error: JobError | null;
  result: unknown;
  /** A file result: its bytes are in the job's chunks. */
  file: { contentType: string; filename: string; size: number } | null;
  instance: string;
  heartbeat: number;
  createdAt: number;
  finishedAt: number | null;
}
