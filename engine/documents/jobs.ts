import { randomBytes } from 'node:crypto';
import { HttpError, notFound } from '../http/errors.js';

/** A long-running piece of work (a batch print) whose progress a client polls. */
export interface Job {
  id: string;
  /** Only the user who started a job may see it. */
  owner: string;
  status: 'running' | 'done' | 'failed';
  done: number;
  total: number;
  /** Chinese text of the failure, when failed. */
  error?: { code: string; message: string };
  result?: { body: Buffer; contentType: string; filename: string };
  createdAt: number;
  finishedAt?: number;
}

const KEEP_MS = 30 * 60 * 1000;
const MAX_RUNNING_PER_USER = 3;
const jobs = new Map<string, Job>();

function sweep(now = Date.now()) {
  for (const [id, job] of jobs) if (job.finishedAt && now - job.finishedAt > KEEP_MS) jobs.delete(id);
}

/**
 * Starts `work` in the background and returns its job at once. The work reports progress through
 * `report(done)` and resolves to the result file; results are kept 30 minutes after finishing.
 */
export function startJob(
  owner: string, total: number,
  work: (report: (done: number) => void) => Promise<{ body: Buffer; contentType: string; filename: string }>,
): Job {
  sweep();
  const running = [...jobs.values()].filter((j) => j.owner === owner && j.status === 'running').length;
  if (running >= MAX_RUNNING_PER_USER) throw new HttpError(429, 'too_many_jobs', `您已有 ${running} 个任务正在进行，请等其完成后再试`);
  const job: Job = { id: randomBytes(12).toString('base64url'), owner, status: 'running', done: 0, total, createdAt: Date.now() };
  jobs.set(job.id, job);
  work((done) => { job.done = done; })
    .then((result) => Object.assign(job, { status: 'done', done: total, result }))
    .catch((err: unknown) => {
      const e = err instanceof HttpError ? err : new HttpError(500, 'internal', '任务失败，请稍后重试');
      if (!(err instanceof HttpError)) console.error(err);
      Object.assign(job, { status: 'failed', error: { code: e.code, message: e.message } });
    })
    .finally(() => { job.finishedAt = Date.now(); });
  return job;
}

/** The job, when it exists and belongs to `owner`; 404 otherwise. */
export function getJob(id: string, owner: string): Job {
  const job = jobs.get(id);
  if (!job || job.owner !== owner) throw notFound('任务');
  return job;
}

/** A job's public state: what GET /api/jobs/:id answers. */
export function describeJob(job: Job) {
  return {
    id: job.id, status: job.status, done: job.done, total: job.total,
    ...(job.error ? { error: job.error } : {}),
    ...(job.status === 'done' ? { result: `/api/jobs/${job.id}/result` } : {}),
  };
}
