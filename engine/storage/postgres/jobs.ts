import type { PgQueryable } from './connection.js';
import type { JobError, JobRow } from '../../ports.js';

const COLUMNS = 'id, owner, kind, status, done, total, error, result, result IS NULL AS no_result, file_type, file_name, file_size, instance, heartbeat, created_at, finished_at';

const fromRow = (r: any): JobRow => ({
  id: r.id, owner: r.owner, kind: r.kind, status: r.status, done: r.done, total: r.total,
  // jsonb arrives parsed; a stored JSON null result stays null, no result at all is undefined (as on SQLite).
  error: r.error, result: r.no_result ? undefined : r.result,
  file: r.file_type === null ? null : { contentType: r.file_type, filename: r.file_name, size: r.file_size },
  instance: r.instance, heartbeat: r.heartbeat, createdAt: r.created_at, finishedAt: r.finished_at,
});

/** The advisory-lock class of a job start: the second key is a hash of the owner and kind. */
const JOB_START_LOCK = 0x6a6f62; // 'job'

/**
 * Long jobs on PostgreSQL (engine/storage/sqlite/jobs.ts), shared by every server instance on the
 * database. On SQLite the one writer serializes two starts; here several connections write at
 * once, so `start` first takes a transaction-level advisory lock on the owner's jobs of that
 * kind: a second instance starting for the same owner waits until the first commits, and then
 * counts its job.
 */
export const pgJobStore = {
  async start(tx: PgQueryable, job: { id: string; owner: string; kind: string; total: number; instance: string; now: number },
    max: number, staleBefore: number, lost: JobError): Promise<number | null> {
    await tx.query('SELECT pg_advisory_xact_lock($1, hashtext($2))', [JOB_START_LOCK, JSON.stringify([job.owner, job.kind])]);
    await pgJobStore.failStale(tx, staleBefore, job.now, lost);
    const running = (await tx.query<{ n: number }>("SELECT count(*) AS n FROM jobs WHERE owner = $1 AND kind = $2 AND status = 'running'", [job.owner, job.kind])).rows[0].n;
    if (running >= max) return running;
    await tx.query(
      "INSERT INTO jobs (id, owner, kind, status, done, total, instance, heartbeat, created_at) VALUES ($1, $2, $3, 'running', 0, $4, $5, $6, $6)",
      [job.id, job.owner, job.kind, job.total, job.instance, job.now],
    );
    return null;
  },

  async progress(db: PgQueryable, id: string, done: number, total: number, now: number): Promise<void> {
    await db.query("UPDATE jobs SET done = $1, total = $2, heartbeat = greatest(heartbeat, $3) WHERE id = $4 AND status = 'running'", [done, total, now, id]);
  },

  async putChunk(db: PgQueryable, id: string, seq: number, chunk: Buffer): Promise<void> {
    await db.query('INSERT INTO job_files (job_id, seq, chunk) VALUES ($1, $2, $3)', [id, seq, chunk]);
  },

  async finish(db: PgQueryable, id: string, end: { status: 'done' | 'failed'; done: number; total: number; result?: unknown; error?: JobError;
    file?: { contentType: string; filename: string; size: number } }, now: number): Promise<void> {
    await db.query(
      'UPDATE jobs SET status = $1, done = $2, total = $3, result = $4, error = $5, file_type = $6, file_name = $7, file_size = $8, finished_at = $9 WHERE id = $10',
      [end.status, end.done, end.total, end.result === undefined ? null : JSON.stringify(end.result), end.error ? JSON.stringify(end.error) : null,
        end.file?.contentType ?? null, end.file?.filename ?? null, end.file?.size ?? null, now, id],
    );
  },

  async get(db: PgQueryable, id: string): Promise<JobRow | undefined> {
    const r = (await db.query(`SELECT ${COLUMNS} FROM jobs WHERE id = $1`, [id])).rows[0];
    return r && fromRow(r);
  },

  async file(db: PgQueryable, id: string): Promise<Buffer> {
    const { rows } = await db.query<{ chunk: Buffer }>('SELECT chunk FROM job_files WHERE job_id = $1 ORDER BY seq', [id]);
    return Buffer.concat(rows.map((r) => r.chunk));
  },

  async failStale(db: PgQueryable, staleBefore: number, now: number, lost: JobError): Promise<number> {
    const r = await db.query("UPDATE jobs SET status = 'failed', error = $1, finished_at = $2 WHERE status = 'running' AND heartbeat < $3", [JSON.stringify(lost), now, staleBefore]);
    return r.rowCount;
  },

  async sweep(db: PgQueryable, before: number): Promise<void> {
    await db.query('DELETE FROM jobs WHERE finished_at IS NOT NULL AND finished_at < $1', [before]);
  },
};
