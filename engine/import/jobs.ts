import { randomBytes } from 'node:crypto';
import { HttpError, notFound } from '../http/errors.js';

/** A preview or commit of a large file running in the background; the client polls its progress. */
export interface ImportJob {
  id: string;
  owner: string;
  kind: 'preview' | 'commit';
  status: 'running' | 'done' | 'failed';
  done: number;
  total: number;
  result?: unknown;
  error?: ReturnType<HttpError['toJSON']>['error'];
  finishedAt?: number;
}

const KEEP_MS = 30 * 60 * 1000;
const jobs = new Map<string, ImportJob>();

/** Starts `work` and returns its job at once; `report(done, total)` moves its progress. */
export function startImportJob(owner: string, kind: ImportJob['kind'], work: (report: (done: number, total?: number) => void) => Promise<unknown>): ImportJob {
  const now = Date.now();
  for (const [id, j] of jobs) if (j.finishedAt && now - j.finishedAt > KEEP_MS) jobs.delete(id);
  if ([...jobs.values()].some((j) => j.owner === owner && j.status === 'running')) {
    throw new HttpError(429, 'too_many_jobs', '您已有一个导入任务正在进行，请等其完成后再试');
  }
  const job: ImportJob = { id: randomBytes(12).toString('base64url'), owner, kind, status: 'running', done: 0, total: 0 };
  jobs.set(job.id, job);
  work((done, total) => { job.done = done; if (total !== undefined) job.total = total; })
    .then((result) => Object.assign(job, { status: 'done', done: job.total, result }))
    .catch((err: unknown) => {
      const e = err instanceof HttpError ? err : new HttpError(500, 'internal', '导入任务失败，请稍后重试');
      if (!(err instanceof HttpError)) console.error(err);
      Object.assign(job, { status: 'failed', error: e.toJSON().error });
    })
    .finally(() => { job.finishedAt = Date.now(); });
  return job;
}

export function importJob(id: string, owner: string): ImportJob {
  const job = jobs.get(id);
  if (!job || job.owner !== owner) throw notFound('导入任务');
  return job;
}

export const describeImportJob = (j: ImportJob) => ({
  id: j.id, kind: j.kind, status: j.status, done: j.done, total: j.total,
  ...(j.status === 'done' ? { result: j.result } : {}), ...(j.error ? { error: j.error } : {}),
});
