import { describe, it, expect } from 'vitest';
import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { startJob, getJob, describeJob, jobFile, sweepJobs, type Job } from '../../engine/jobs/jobs.js';

/** Waits until a job has finished one way or the other. */
async function finished(job: Job): Promise<Job> {
  while (job.status === 'running') await new Promise((r) => setTimeout(r, 5));
  return job;
}

/**
 * Jobs keep what they made for half an hour; a file (a batch PDF) waits on disk, not in the
 * server's memory, and is gone with its job.
 */
describe('background jobs', () => {
  it('a finished file waits on disk, is handed over whole, and is removed with its job', async () => {
    const body = randomBytes(3 * 1024 * 1024);
    const job = await finished(startJob('u1', 'print', async (report) => {
      report(1, 1);
      return { body, contentType: 'application/pdf', filename: '采集表-2份.pdf' };
    }));
    expect(job.status).toBe('done');
    expect(describeJob(job)).toMatchObject({ status: 'done', result: `/api/jobs/${job.id}/result` });
    // Nothing of the bytes is held by the job: only where they are.
    const held = job.result as { spilled: string; size: number };
    expect(Object.values(held).some((v) => Buffer.isBuffer(v))).toBe(false);
    expect(held.size).toBe(body.length);
    expect(readFileSync(held.spilled).equals(body)).toBe(true);
    const file = (await jobFile(getJob(job.id, 'u1')))!;
    expect(file).toMatchObject({ contentType: 'application/pdf', filename: '采集表-2份.pdf' });
    expect(file.body.equals(body)).toBe(true);
    // Another user does not see it; after half an hour nobody does, and the file is gone.
    expect(() => getJob(job.id, 'u2')).toThrow(/任务不存在/);
    sweepJobs(Date.now() + 31 * 60 * 1000);
    expect(() => getJob(job.id, 'u1')).toThrow(/任务不存在/);
    expect(existsSync(held.spilled)).toBe(false);
  });

  it('any other result stays as it is, and a failure is told in Chinese', async () => {
    const preview = await finished(startJob('u1', 'preview', async () => ({ rows: 3 })));
    expect(describeJob(preview)).toMatchObject({ status: 'done', result: { rows: 3 } });
    expect(await jobFile(preview)).toBeNull();
    const failed = await finished(startJob('u1', 'preview', async () => { throw new Error('boom'); }, { failure: '导入任务失败，请稍后重试' }));
    expect(describeJob(failed)).toMatchObject({ status: 'failed', error: { message: '导入任务失败，请稍后重试' } });
  });
});
