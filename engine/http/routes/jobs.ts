import { Hono } from 'hono';
import { HttpError } from '../errors.js';
import { getJob, describeJob, jobFile } from '../../jobs/jobs.js';
import { sendDocument } from './documents.js';

/** /api/jobs/:id — progress of a long batch ({status, done, total}); /api/jobs/:id/result — its file. */
export function jobsRoutes() {
  const app = new Hono();

  app.get('/:id', async (c) => c.json(describeJob(await getJob(c.get('engine').storage, c.req.param('id'), c.get('user')!.userId))));

  app.get('/:id/result', async (c) => {
    const storage = c.get('engine').storage;
    const job = await getJob(storage, c.req.param('id'), c.get('user')!.userId);
    if (job.status === 'failed') throw new HttpError(409, job.error?.code ?? 'failed', job.error?.message ?? '任务失败');
    const file = job.status === 'done' ? await jobFile(storage, job) : null;
    if (!file) throw new HttpError(409, 'not_ready', `任务尚未完成（${job.done}/${job.total}）`);
    return sendDocument(c, { ...file, inline: false });
  });

  return app;
}
