import { randomBytes } from 'node:crypto';
import { DomainError, domainNotFound } from '../errors.js';
import type { JobError, JobRow, Storage, Tx } from '../ports.js';
import { ProgressWriter } from './progress-writer.js';

/** A file a job produces (a batch PDF …), fetched at /api/jobs/:id/result. */
export interface JobFile {
  body: Buffer;
  contentType: string;
  filename: string;
}

/** What jobs are kept in: the database, its transactions and the port's job store. */
export type JobStorage = Pick<Storage, 'db' | 'unitOfWork' | 'jobs'>;

/**
 * A long piece of work (a batch print, a large import) whose progress its owner polls. Kept in
 * the database (the port's Jobs), so that any server instance on it answers the poll and hands
 * over the file; the instance running the job answers from its live state.
 */
export type Job = Omit<JobRow, 'instance' | 'heartbeat'>;

const KEEP_MS = 30 * 60 * 1000;
/** Progress reaches the database at most this often: the work must not wait on its reports. */
export const PROGRESS_MS = 500;
/** A running job's instance says it is alive this often, even when the work reports nothing. */
const HEARTBEAT_MS = 15_000;
/**
 * A running job not heard of for this long belongs to an instance that died (killed, crashed,
 * its machine gone): the heartbeat, not a process id, since instances run on other machines.
 * Generous, because on SQLite a long import transaction holds the one writer and the heartbeat
 * waits behind it.
 */
export const STALE_MS = 3 * 60 * 1000;
/** File results are stored in pieces of this size. */
const CHUNK = 4 * 1024 * 1024;

const LOST: JobError = { code: 'job_lost', message: '任务所在的服务进程已停止，任务未能完成，请重新发起' };

/**
 * This instance: the jobs it runs, by the database they are kept in. Keyed by the database
 * handle, not by the process: two servers in one process (the tests) are two instances.
 */
interface Instance { id: string; running: Map<string, Job> }
const instances = new WeakMap<Tx, Instance>();
function instanceOf(db: Tx): Instance {
  let it = instances.get(db);
  if (!it) instances.set(db, (it = { id: randomBytes(9).toString('base64url'), running: new Map() }));
  return it;
}

const isFile = (r: unknown): r is JobFile => !!r && typeof r === 'object' && Buffer.isBuffer((r as JobFile).body);

/** Drops the jobs finished more than KEEP_MS before `now`, and their files. */
export async function sweepJobs(storage: JobStorage, now = Date.now()): Promise<void> {
  await storage.jobs.sweep(storage.db, now - KEEP_MS);
}

/** Stores the outcome: a file in pieces first, then the row that says done. */
async function settle({ db, jobs }: JobStorage, job: Job, result: unknown): Promise<void> {
  if (!isFile(result)) {
    Object.assign(job, { status: 'done', done: job.total || job.done, result });
    await jobs.finish(db, job.id, { status: 'done', done: job.done, total: job.total, result }, Date.now());
    return;
  }
  for (let seq = 0; seq * CHUNK < result.body.length || seq === 0; seq++) {
    await jobs.putChunk(db, job.id, seq, result.body.subarray(seq * CHUNK, (seq + 1) * CHUNK));
  }
  const file = { contentType: result.contentType, filename: result.filename, size: result.body.length };
  Object.assign(job, { status: 'done', done: job.total || job.done, file });
  await jobs.finish(db, job.id, { status: 'done', done: job.done, total: job.total, file }, Date.now());
}

/**
 * Starts `work` in the background and returns its job at once. The work reports progress with
 * `report(done, total?)`; the result (or the failure) is kept 30 minutes after it finishes. A
 * user may run at most `maxRunning` jobs of one kind at a time, on all instances together (429
 * beyond); jobs of a dead instance are failed first and do not count.
 */
export async function startJob<R>(
  storage: JobStorage, owner: string, kind: string, work: (report: (done: number, total?: number) => void) => Promise<R>,
  opts: { total?: number; maxRunning?: number; failure?: string } = {},
): Promise<Job> {
  const { db, jobs } = storage;
  const now = Date.now();
  await sweepJobs(storage, now);
  const instance = instanceOf(db);
  const job: Job = { id: randomBytes(12).toString('base64url'), owner, kind, status: 'running', done: 0, total: opts.total ?? 0,
    error: null, result: undefined, file: null, createdAt: now, finishedAt: null };
  const refused = await storage.unitOfWork.transaction(db, (tx) =>
    jobs.start(tx, { id: job.id, owner, kind, total: job.total, instance: instance.id, now }, opts.maxRunning ?? 1, now - STALE_MS, LOST));
  if (refused !== null) throw new DomainError('too_many', 'too_many_jobs', `您已有 ${refused} 个同类任务正在进行，请等其完成后再试`);
  instance.running.set(job.id, job);
  const progress = new ProgressWriter(PROGRESS_MS, HEARTBEAT_MS, () => jobs.progress(db, job.id, job.done, job.total, Date.now()));
  const snapshot = { ...job };
  work((done, total) => {
    job.done = done;
    if (total !== undefined) job.total = total;
    progress.poke();
  })
    .then(async (result) => {
      await progress.stop();
      await settle(storage, job, result);
    })
    .catch(async (err: unknown) => {
      await progress.stop();
      const e = err instanceof DomainError ? err : new DomainError('internal', 'internal', opts.failure ?? '任务失败，请稍后重试');
      if (!(err instanceof DomainError)) console.error(err);
      Object.assign(job, { status: 'failed', error: e.toJSON().error });
      await jobs.finish(db, job.id, { status: 'failed', done: job.done, total: job.total, error: job.error! }, Date.now());
    })
    .catch((err: unknown) => console.error('job outcome not stored', err))
    .finally(() => instance.running.delete(job.id));
  return snapshot;
}

/**
 * The job, when it exists and belongs to `owner` (and is of `kind`, if given); 404 otherwise.
 * A running job whose instance stopped saying it is alive is failed here, with a Chinese message.
 */
export async function getJob({ db, jobs }: JobStorage, id: string, owner: string, kind?: string): Promise<Job> {
  const now = Date.now();
  const local = instanceOf(db).running.get(id);
  let job: Job | undefined = local ? { ...local } : await jobs.get(db, id);
  if (!job || job.owner !== owner || (kind && job.kind !== kind) || (job.finishedAt && now - job.finishedAt > KEEP_MS)) throw domainNotFound('任务');
  if (!local && job.status === 'running' && (job as JobRow).heartbeat < now - STALE_MS) {
    await jobs.failStale(db, now - STALE_MS, now, LOST);
    job = (await jobs.get(db, id)) ?? job;
  }
  return job;
}

/** A job's public state: a file result is linked, any other result is included. */
export function describeJob(job: Job) {
  return {
    id: job.id, kind: job.kind, status: job.status, done: job.done, total: job.total,
    ...(job.error ? { error: job.error } : {}),
    ...(job.status === 'done' ? { result: job.file ? `/api/jobs/${job.id}/result` : job.result } : {}),
  };
}

/** The file a finished job produced, read back from the database; null when the job's result is no file. */
export async function jobFile({ db, jobs }: JobStorage, job: Job): Promise<JobFile | null> {
  if (job.status !== 'done' || !job.file) return null;
  return { body: await jobs.file(db, job.id), contentType: job.file.contentType, filename: job.file.filename };
}
