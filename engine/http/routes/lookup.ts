import { Hono } from 'hono';
import { actorOf } from '../../auth/actor.js';
import { keyTaken, lookupConfig, lookupRecord, normalizeKey } from '../../directory/lookup.js';
import { importDirectory } from '../../directory/import.js';
import { readTable, XLSX_TYPE } from '../../directory/read-table.js';
import { loadAuthority } from '../../directory/owners.js';
import { HttpError, badRequest, invalid } from '../errors.js';

/**
 * GET /api/lookup/:collection?<key>=<value> — a record found by a lookup key among stored
 * records the user may read, then the imported directory: { found, source, data, origin, recordId,
 * node, taken }; origin says where the answer came from (the record's node, or who loaded the
 * directory row and when); taken (present only then) says that a stored record already holds the key, so
 * linking it again would be refused — naming its node only to those who may read it.
 * POST /api/directory/:collection — import the shared directory from CSV or xlsx (raw body with its
 * content type, or multipart field "file"), for the config admin or a root admin (directory/owners.ts).
 */
export function lookupRoutes() {
  const app = new Hono();

  app.get('/lookup/:collection', async (c) => {
    const engine = c.get('engine');
    const collection = c.req.param('collection');
    const query = Object.entries(c.req.query());
    const c0 = engine.runtime.collection(collection);
    if (query.length !== 1) throw badRequest(`请按一个查找字段查询，如 ?${c0.lookup?.keys[0] ?? 'key'}=…`);
    const [key, raw] = query[0];
    lookupConfig(engine.runtime, collection, key);
    const value = normalizeKey(raw);
    const errors = engine.runtime.validator(collection).validate({ [key]: value }).filter((e) => e.path === `/${key}`);
    if (errors.length) throw invalid(errors);
    const actor = actorOf(c.get('user')!);
    const hit = await lookupRecord(engine, actor, collection, key, value);
    const taken = await keyTaken(engine, actor, collection, key, value);
    return c.json({ ...(hit ? { found: true, ...hit } : { found: false }), ...(taken ? { taken } : {}) });
  });

  app.post('/directory/:collection', async (c) => {
    const engine = c.get('engine');
    const user = c.get('user')!;
    const authority = loadAuthority(engine.runtime.permissions, user, engine.runtime.collection(c.req.param('collection')).title);
    const type = (c.req.header('content-type') ?? '').toLowerCase();
    let bytes: Buffer;
    let name = '';
    if (type.startsWith('multipart/form-data')) {
      const body = await c.req.parseBody();
      const file = body.file;
      if (!(file instanceof File)) throw badRequest('请上传文件（字段名 file）');
      bytes = Buffer.from(await file.arrayBuffer());
      name = file.name.toLowerCase();
    } else bytes = Buffer.from(await c.req.arrayBuffer());
    const kind = type.startsWith(XLSX_TYPE) || name.endsWith('.xlsx') ? 'xlsx'
      : type.startsWith('text/csv') || name.endsWith('.csv') ? 'csv' : null;
    if (!kind) throw new HttpError(415, 'unsupported_media_type', '请上传 CSV（text/csv）或 xlsx 文件');
    const table = await readTable(bytes, kind);
    return c.json(await importDirectory(engine, authority, c.req.param('collection'), table));
  });

  return app;
}
