import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DomainError, domainNotFound } from '../errors.js';

/** A file a job produces (a batch PDF …), fetched at /api/jobs/:id/result. */
export interface JobFile {
  body: Buffer;
  contentType: string;
  filename: string;
}

/** A long piece of work (a batch print, a large import) whose progress its owner polls. */
export interface Job<R = unknown> {
  id: string;
  /** Only the user who started a job may see it. */
  owner: string;
  kind: string;
  status: 'running' | 'done' | 'failed';
  done: number;
  total: number;
  result?: R;
  /** The failure, as the HTTP error body would say it. */
  error?: ReturnType<DomainError['toJSON']>['error'];
  createdAt: number;
  finishedAt?: number;
}

/** A finished job's file, kept on disk until fetched or swept: only its name and size stay in memory. */
interface SpilledFile { spilled: string; size: number; contentType: string; filename: string }

const KEEP_MS = 30 * 60 * 1000;
const jobs = new Map<string, Job>();

/**
 * Where finished files wait (one folder per process, under the system's temporary folder): many
 * admins each printing a thousand sheets must not hold all those PDFs in the server's memory for
 * the half hour they are kept.
 */
let spillDir: string | undefined;
function spillPath(id: string): string {
  if (!spillDir) {
    const dir = (spillDir = mkdtempSync(join(tmpdir(), 'caiji-jobs-')));
    process.once('exit', () => rmSync(dir, { recursive: true, force: true }));
  }
  return join(spillDir, id);
}

const isFile = (r: unknown): r is JobFile => !!r && typeof r === 'object' && Buffer.isBuffer((r as JobFile).body);
const isSpilled = (r: unknown): r is SpilledFile => !!r && typeof r === 'object' && typeof (r as SpilledFile).spilled === 'string';

function forget(id: string, job: Job) {
  jobs.delete(id);
  if (isSpilled(job.result)) rmSync(job.result.spilled, { force: true });
}

/** Drops the jobs finished more than KEEP_MS before `now`, and their files. */
export function sweepJobs(now = Date.now()) {
  for (const [id, job] of jobs) if (job.finishedAt && now - job.finishedAt > KEEP_MS) forget(id, job);
}

/** A file result goes to disk before the job reports done; any other result stays as it is. */
async function settle(id: string, result: unknown): Promise<unknown> {
  if (!isFile(result)) return result;
  const path = spillPath(id);
  await writeFile(path, result.body);
  return { spilled: path, size: result.body.length, contentType: result.contentType, filename: result.filename } satisfies SpilledFile;
}

/**
 * Starts `work` in the background and returns its job at once. The work reports progress with
 * `report(done, total?)`; the result (or the failure) is kept 30 minutes after it finishes. A
 * user may run at most `maxRunning` jobs of one kind at a time (429 beyond).
 */
export function startJob<R>(
  owner: string, kind: string, work: (report: (done: number, total?: number) => void) => Promise<R>,
  opts: { total?: number; maxRunning?: number; failure?: string } = {},
): Job<R> {
  sweepJobs();
  const max = opts.maxRunning ?? 1;
  const running = [...jobs.values()].filter((j) => j.owner === owner && j.kind === kind && j.status === 'running').length;
  if (running >= max) throw new DomainError('too_many', 'too_many_jobs', `您已有 ${running} 个同类任务正在进行，请等其完成后再试`);
  const job: Job<R> = { id: randomBytes(12).toString('base64url'), owner, kind, status: 'running', done: 0, total: opts.total ?? 0, createdAt: Date.now() };
  jobs.set(job.id, job);
  work((done, total) => {
    job.done = done;
    if (total !== undefined) job.total = total;
  })
    .then((result) => settle(job.id, result))
    .then((result) => Object.assign(job, { status: 'done', done: job.total || job.done, result }))
    .catch((err: unknown) => {
      const e = err instanceof DomainError ? err : new DomainError('internal', 'internal', opts.failure ?? '任务失败，请稍后重试');
      if (!(err instanceof DomainError)) console.error(err);
      Object.assign(job, { status: 'failed', error: e.toJSON().error });
    })
    .finally(() => { job.finishedAt = Date.now(); });
  return job;
}

/** The job, when it exists and belongs to `owner` (and is of `kind`, if given); 404 otherwise. */
export function getJob(id: string, owner: string, kind?: string): Job {
  const job = jobs.get(id);
  if (!job || job.owner !== owner || (kind && job.kind !== kind)) throw domainNotFound('任务');
  return job;
}

/** A job's public state: a file result is linked, any other result is included. */
export function describeJob(job: Job) {
  return {
    id: job.id, kind: job.kind, status: job.status, done: job.done, total: job.total,
    ...(job.error ? { error: job.error } : {}),
    ...(job.status === 'done' ? { result: isSpilled(job.result) ? `/api/jobs/${job.id}/result` : job.result } : {}),
  };
}

/** The file a finished job produced, read back from disk; null when the job's result is no file. */
export async function jobFile(job: Job): Promise<JobFile | null> {
  if (!isSpilled(job.result)) return null;
  const { spilled, contentType, filename } = job.result;
  return { body: await readFile(spilled), contentType, filename };
}
