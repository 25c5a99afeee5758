import { Hono } from 'hono';
import { HttpError } from '../errors.js';
import { getJob, describeJob, jobFile } from '../../jobs/jobs.js';
import { sendDocument } from './documents.js';

/** /api/jobs/:id — progress of a long batch ({status, done, total}); /api/jobs/:id/result — its file. */
export function jobsRoutes() {
  const app = new Hono();

  app.get('/:id', async (c) => c.json(describeJob(await getJob(c.get('engine').db, c.req.param('id'), c.get('user')!.userId))));

  app.get('/:id/result', async (c) => {
    const db = c.get('engine').db;
    const job = await getJob(db, c.req.param('id'), c.get('user')!.userId);
    if (job.status === 'failed') throw new HttpError(409, job.error?.code ?? 'failed', job.error?.message ?? '任务失败');
    const file = job.status === 'done' ? await jobFile(db, job) : null;
    if (!file) throw new HttpError(409, 'not_ready', `任务尚未完成（${job.done}/${job.total}）`);
    return sendDocument(c, { ...file, inline: false });
  });

  return app;
}
