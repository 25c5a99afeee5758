import { Hono, type Context } from 'hono';
import { jsonBody, ifMatch } from '../body.js';
import { badRequest, notFound } from '../errors.js';
import { requireConfigAdmin } from './codes-admin.js';
import type { StoredFiles } from '../../ports.js';
import { describeDraft, discardDraft, draftDocument, openDraft, proposeDraft, publishDraft, rollback, saveDraftDocument } from '../../config-versions/drafts.js';
import { diffVersions } from '../../config-versions/diff.js';
import { checkFiles } from '../../config-versions/check.js';
import { refusedByChecks } from '../../config-versions/publish.js';
import { computeImpact } from '../../config-versions/impact.js';
import { listHistory, listVersions } from '../../config-versions/people.js';
import { startJob, describeJob } from '../../jobs/jobs.js';

/** The document path after /files/ (each segment URL-decoded). */
function documentPath(c: Context): string {
  const raw = c.req.path.split('/config/draft/files/')[1] ?? '';
  try {
    return raw.split('/').map(decodeURIComponent).join('/');
  } catch {
    throw badRequest('文件路径有误');
  }
}

const noteOf = (body: { note?: unknown } | null | undefined): string | null => {
  if (body?.note === undefined || body.note === null || body.note === '') return null;
  if (typeof body.note !== 'string' || body.note.length > 2000) throw badRequest('「说明」应为不超过 2000 字的文字');
  return body.note;
};

/** A whole document as sent: {"content": "<text>"} or {"base64": "…"} for bytes. */
function contentOf(body: unknown): StoredFiles[string] {
  const b = body as { content?: unknown; base64?: unknown } | null;
  if (typeof b?.content === 'string') return b.content;
  if (typeof b?.base64 === 'string' && /^[A-Za-z0-9+/]*={0,2}$/.test(b.base64)) return { base64: b.base64 };
  throw badRequest('请求体应为 {"content": "文件全文"}（二进制文件为 {"base64": "…"}）');
}

async function version(c: Context, param: string) {
  const raw = c.req.param(param) ?? '';
  const number = Number(raw);
  const { storage } = c.get('engine');
  if (raw === 'draft') {
    const draft = await storage.configVersions.draft(storage.db);
    if (!draft) throw notFound('配置草稿');
    return draft.files;
  }
  const v = Number.isInteger(number) && number > 0 ? await storage.configVersions.get(storage.db, number) : undefined;
  if (!v) throw notFound(`配置第 ${raw} 版`);
  return v.files;
}

/**
 * Config as versioned data (engine/config-versions), for config admins only: the versions and
 * their structured diff, the one draft (open, read, save a whole document with the draft's
 * version in If-Match, discard), its impact on the stored records (a job), propose (four-eyes),
 * publish, rollback, and the config history.
 */
export function configVersionRoutes() {
  const app = new Hono();
  app.use('*', async (c, next) => {
    requireConfigAdmin(c);
    await next();
  });

  app.get('/versions', async (c) => {
    const engine = c.get('engine');
    return c.json({ published: engine.config.version, items: await listVersions(engine) });
  });

  app.get('/versions/:a/diff/:b', async (c) => {
    const [a, b] = [await version(c, 'a'), await version(c, 'b')];
    return c.json({ a: c.req.param('a'), b: c.req.param('b'), documents: diffVersions(a, b) });
  });

  app.post('/versions/:n/rollback', async (c) => {
    const body = await jsonBody<{ note?: unknown; steps?: unknown }>(c);
    const n = Number(c.req.param('n'));
    if (!Number.isInteger(n) || n < 1) throw notFound('配置版本');
    if (body?.steps !== undefined && !Array.isArray(body.steps)) throw badRequest('「迁移步骤」（steps）应为数组');
    return c.json(await rollback(c.get('engine'), c.get('user')!.username, n, noteOf(body), body?.steps as unknown[] | undefined));
  });

  app.get('/draft', async (c) => c.json(await describeDraft(c.get('engine'))));

  app.post('/draft', async (c) => c.json(await openDraft(c.get('engine'), c.get('user')!.username), 201));

  app.delete('/draft', async (c) => {
    await discardDraft(c.get('engine'), c.get('user')!.username, ifMatch(c, true)!);
    return c.json({ discarded: true });
  });

  app.get('/draft/files/*', async (c) => {
    const content = await draftDocument(c.get('engine'), documentPath(c));
    return c.json(typeof content === 'string' ? { content } : content);
  });

  app.put('/draft/files/*', async (c) => {
    const expected = ifMatch(c, true)!;
    const content = contentOf(await jsonBody(c));
    return c.json(await saveDraftDocument(c.get('engine'), c.get('user')!.username, documentPath(c), content, expected));
  });

  app.delete('/draft/files/*', async (c) =>
    c.json(await saveDraftDocument(c.get('engine'), c.get('user')!.username, documentPath(c), undefined, ifMatch(c, true)!)));

  app.post('/draft/propose', async (c) => {
    const expected = ifMatch(c, true)!;
    const note = noteOf(await jsonBody(c));
    if (!note) throw badRequest('发布申请须写明「说明」（note）');
    return c.json(await proposeDraft(c.get('engine'), c.get('user')!.username, note, expected));
  });

  app.post('/draft/publish', async (c) => {
    const expected = ifMatch(c, true)!;
    const note = noteOf(await jsonBody(c));
    return c.json(await publishDraft(c.get('engine'), c.get('user')!.username, note, expected));
  });

  // The draft's impact on the stored records: a job (progress at GET /api/jobs/:id).
  app.get('/draft/impact', async (c) => {
    const engine = c.get('engine');
    const draft = await engine.storage.configVersions.draft(engine.storage.db);
    if (!draft) throw notFound('配置草稿');
    const current = engine.runtime;
    const checked = await checkFiles(current, draft.files, engine.appRoot);
    if (!checked.runtime) throw refusedByChecks(checked.problems, '草稿');
    const job = await startJob(engine.storage, c.get('user')!.userId, 'config-impact',
      (report) => computeImpact(engine.storage, current, checked.runtime!, checked.steps, report), { failure: '影响分析失败，请稍后重试' });
    return c.json({ ...describeJob(job), draftVersion: draft.version }, 202);
  });

  app.get('/history', async (c) => {
    const limit = Math.min(Math.max(Number(c.req.query('limit') ?? 50) || 50, 1), 500);
    const before = c.req.query('before') ? Number(c.req.query('before')) : undefined;
    return c.json({ items: await listHistory(c.get('engine'), limit, before) });
  });

  return app;
}
