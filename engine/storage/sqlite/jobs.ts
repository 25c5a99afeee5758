import type { Queryable } from './sqlite.js';
import type { JobError, JobRow } from '../../ports.js';

const COLUMNS = 'id, owner, kind, status, done, total, error, result, file_type, file_name, file_size, instance, heartbeat, created_at, finished_at';

const fromRow = (r: any): JobRow => ({
  id: r.id, owner: r.owner, kind: r.kind, status: r.status, done: r.done, total: r.total,
  error: r.error === null ? null : JSON.parse(r.error), result: r.result === null ? undefined : JSON.parse(r.result),
  file: r.file_type === null ? null : { contentType: r.file_type, filename: r.file_name, size: r.file_size },
  instance: r.instance, heartbeat: r.heartbeat, createdAt: r.created_at, finishedAt: r.finished_at,
});

/**
 * Long jobs (batch prints, large imports, config impact) shared by every server instance on the
 * database. A running job's heartbeat is refreshed by its instance; a running job whose heartbeat
 * is older than `staleBefore` belongs to an instance that died.
 */
export const jobStore = {
  /**
   * Fails the dead jobs (`lost`: their error), then starts `job` unless its owner already runs
   * `max` live jobs of its kind: returns how many they run when refused, null when started. Run
   * inside a transaction, so two instances starting at once count each other.
   */
  async start(tx: Queryable, job: { id: string; owner: string; kind: string; total: number; instance: string; now: number },
    max: number, staleBefore: number, lost: JobError): Promise<number | null> {
    await jobStore.failStale(tx, staleBefore, job.now, lost);
    const running = (await tx.get<{ n: number }>("SELECT count(*) AS n FROM jobs WHERE owner = ? AND kind = ? AND status = 'running'", [job.owner, job.kind]))!.n;
    if (running >= max) return running;
    await tx.run(
      "INSERT INTO jobs (id, owner, kind, status, done, total, instance, heartbeat, created_at) VALUES (?, ?, ?, 'running', 0, ?, ?, ?, ?)",
      [job.id, job.owner, job.kind, job.total, job.instance, job.now, job.now],
    );
    return null;
  },

  /** Progress of a running job, which also tells it is alive. */
  async progress(db: Queryable, id: string, done: number, total: number, now: number): Promise<void> {
    await db.run("UPDATE jobs SET done = ?, total = ?, heartbeat = max(heartbeat, ?) WHERE id = ? AND status = 'running'", [done, total, now, id]);
  },

  /** One piece of a file result (seq from 0), written before the job is finished. */
  async putChunk(db: Queryable, id: string, seq: number, chunk: Buffer): Promise<void> {
    await db.run('INSERT INTO job_files (job_id, seq, chunk) VALUES (?, ?, ?)', [id, seq, chunk]);
  },

  /** The outcome: done with a small result or a file (its chunks written), or failed. */
  async finish(db: Queryable, id: string, end: { status: 'done' | 'failed'; done: number; total: number; result?: unknown; error?: JobError;
    file?: { contentType: string; filename: string; size: number } }, now: number): Promise<void> {
    await db.run(
      'UPDATE jobs SET status = ?, done = ?, total = ?, result = ?, error = ?, file_type = ?, file_name = ?, file_size = ?, finished_at = ? WHERE id = ?',
      [end.status, end.done, end.total, end.result === undefined ? null : JSON.stringify(end.result), end.error ? JSON.stringify(end.error) : null,
        end.file?.contentType ?? null, end.file?.filename ?? null, end.file?.size ?? null, now, id],
    );
  },

  async get(db: Queryable, id: string): Promise<JobRow | undefined> {
    const r = await db.get(`SELECT ${COLUMNS} FROM jobs WHERE id = ?`, [id]);
    return r && fromRow(r);
  },

  /** A file result's bytes, its chunks in order. */
  async file(db: Queryable, id: string): Promise<Buffer> {
    const rows = await db.all<{ chunk: Buffer }>('SELECT chunk FROM job_files WHERE job_id = ? ORDER BY seq', [id]);
    return Buffer.concat(rows.map((r) => r.chunk));
  },

  /** Fails every running job whose heartbeat is older than `staleBefore` (their instance died); how many. */
  async failStale(db: Queryable, staleBefore: number, now: number, lost: JobError): Promise<number> {
    const r = await db.run("UPDATE jobs SET status = 'failed', error = ?, finished_at = ? WHERE status = 'running' AND heartbeat < ?", [JSON.stringify(lost), now, staleBefore]);
    return r.changes;
  },

  /** Deletes the jobs finished before `before`, with their files. */
  async sweep(db: Queryable, before: number): Promise<void> {
    await db.run('DELETE FROM jobs WHERE finished_at IS NOT NULL AND finished_at < ?', [before]);
  },
};
