import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startJob, getJob, describeJob, jobFile, sweepJobs, type Job } from '../../engine/jobs/jobs.js';
import { Database } from '../../engine/storage/sqlite/sqlite.js';
import { migrate } from '../../engine/storage/sqlite/migrations.js';
import { jobStore } from '../../engine/storage/sqlite/jobs.js';
import { sqliteStorage } from '../../engine/storage/sqlite/sqlite-storage.js';
import type { Storage } from '../../engine/ports.js';

/** Waits until a job has finished one way or the other. */
async function finished(storage: Storage, started: Promise<Job>, owner = 'u1'): Promise<Job> {
  let job = await started;
  while (job.status === 'running') {
    await new Promise((r) => setTimeout(r, 5));
    job = await getJob(storage, job.id, owner);
  }
  return job;
}

/**
 * Jobs keep what they made for half an hour, in the database: a file (a batch PDF) waits there
 * in pieces, not in the server's memory, and is gone with its job.
 */
describe('background jobs', () => {
  let dir: string;
  let db: Database;
  let storage: Storage;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'caiji-jobs-'));
    db = await Database.open(join(dir, 'jobs.db'));
    await migrate(db);
    storage = sqliteStorage(db);
  });
  afterAll(async () => {
    await db.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('a finished file waits in the database, is handed over whole, and is removed with its job', async () => {
    const body = randomBytes(9 * 1024 * 1024);
    const job = await finished(storage, startJob(storage, 'u1', 'print', async (report) => {
      report(1, 1);
      return { body, contentType: 'application/pdf', filename: '采集表-2份.pdf' };
    }));
    expect(job.status).toBe('done');
    expect(describeJob(job)).toMatchObject({ status: 'done', result: `/api/jobs/${job.id}/result` });
    // Nothing of the bytes is held by the job: only what they are; they are stored in pieces.
    expect(Object.values(job).some((v) => Buffer.isBuffer(v))).toBe(false);
    expect(job.file).toEqual({ contentType: 'application/pdf', filename: '采集表-2份.pdf', size: body.length });
    expect((await db.get<{ n: number }>('SELECT count(*) AS n FROM job_files WHERE job_id = ?', [job.id]))!.n).toBeGreaterThan(1);
    const file = (await jobFile(storage, await getJob(storage, job.id, 'u1')))!;
    expect(file).toMatchObject({ contentType: 'application/pdf', filename: '采集表-2份.pdf' });
    expect(file.body.equals(body)).toBe(true);
    // Another user does not see it; after half an hour nobody does, and the file is gone.
    await expect(getJob(storage, job.id, 'u2')).rejects.toThrow(/任务不存在/);
    await sweepJobs(storage, Date.now() + 31 * 60 * 1000);
    await expect(getJob(storage, job.id, 'u1')).rejects.toThrow(/任务不存在/);
    expect((await db.get<{ n: number }>('SELECT count(*) AS n FROM job_files WHERE job_id = ?', [job.id]))!.n).toBe(0);
  });

  it('any other result stays as it is, and a failure is told in Chinese', async () => {
    const preview = await finished(storage, startJob(storage, 'u1', 'preview', async () => ({ rows: 3 })));
    expect(describeJob(preview)).toMatchObject({ status: 'done', result: { rows: 3 } });
    expect(await jobFile(storage, preview)).toBeNull();
    const failed = await finished(storage, startJob(storage, 'u1', 'preview', async () => { throw new Error('boom'); }, { failure: '导入任务失败，请稍后重试' }));
    expect(describeJob(failed)).toMatchObject({ status: 'failed', error: { message: '导入任务失败，请稍后重试' } });
  });

  it('progress reaches the database throttled, the last report included', async () => {
    let release!: () => void;
    const held = new Promise<void>((r) => { release = r; });
    let writes = 0;
    const progress = jobStore.progress;
    jobStore.progress = async (...args) => { writes += 1; return progress(...args); };
    try {
      const job = await startJob(storage, 'u3', 'print', async (report) => {
        for (let i = 1; i <= 2000; i++) report(i, 2000);
        await new Promise((r) => setTimeout(r, 700));
        await held;
        return { ok: true };
      });
      await new Promise((r) => setTimeout(r, 900));
      // Two thousand reports became at most two writes, the last of them with the last report.
      expect(writes).toBeGreaterThan(0);
      expect(writes).toBeLessThanOrEqual(2);
      expect(await jobStore.get(db, job.id)).toMatchObject({ status: 'running', done: 2000, total: 2000 });
      release();
      expect((await finished(storage, Promise.resolve(job), 'u3')).status).toBe('done');
    } finally {
      jobStore.progress = progress;
      release();
    }
  });
});
