import { Hono } from 'hono';
import { jsonBody, ifMatch } from '../body.js';
import { serialize, actorOf } from '../../records/service.js';
import { listRecords } from '../../records/query.js';
import { auditLog } from '../../storage/audit.js';
import { badRequest } from '../errors.js';

/** /api/records/:collection — list, create, read, update, delete, history. */
export function recordRoutes() {
  const app = new Hono();

  app.get('/:collection', async (c) => {
    const q = c.req.query();
    const limit = q.limit === undefined ? undefined : Number(q.limit);
    if (q.deep !== undefined && !['0', '1', 'true', 'false'].includes(q.deep)) throw badRequest('deep 应为 0 或 1');
    const page = await listRecords(c.get('engine'), c.get('user')!, c.req.param('collection'), {
      node: q.node, deep: q.deep === '1' || q.deep === 'true', state: q.state, q: q.q, limit, cursor: q.cursor,
    });
    return c.json({ items: page.items.map(serialize), nextCursor: page.nextCursor, total: page.total });
  });

  app.post('/:collection', async (c) => {
    const engine = c.get('engine');
    const body = await jsonBody(c);
    const record = await engine.db.transaction((tx) => engine.records.create(actorOf(c.get('user')!), c.req.param('collection'), body, tx));
    c.header('ETag', `"${record.version}"`);
    return c.json(serialize(record), 201);
  });

  app.get('/:collection/:id', async (c) => {
    const engine = c.get('engine');
    const record = await engine.records.read(actorOf(c.get('user')!), c.req.param('collection'), c.req.param('id'));
    c.header('ETag', `"${record.version}"`);
    return c.json(serialize(record));
  });

  app.put('/:collection/:id', async (c) => {
    const engine = c.get('engine');
    const version = ifMatch(c, true)!;
    const body = await jsonBody(c);
    const record = await engine.db.transaction((tx) =>
      engine.records.update(actorOf(c.get('user')!), c.req.param('collection'), c.req.param('id'), body, version, tx),
    );
    c.header('ETag', `"${record.version}"`);
    return c.json(serialize(record));
  });

  app.delete('/:collection/:id', async (c) => {
    const engine = c.get('engine');
    const version = ifMatch(c, false);
    await engine.db.transaction((tx) => engine.records.delete(actorOf(c.get('user')!), c.req.param('collection'), c.req.param('id'), version, tx));
    return c.body(null, 204);
  });

  app.get('/:collection/:id/history', async (c) => {
    const engine = c.get('engine');
    const record = await engine.records.read(actorOf(c.get('user')!), c.req.param('collection'), c.req.param('id'));
    return c.json({ items: await auditLog.forRecord(engine.db, record.id) });
  });

  return app;
}
