import { Hono } from 'hono';
import { jsonBody, ifMatch } from '../body.js';
import { serialize } from '../../records/service.js';
import { actorOf } from '../../auth/actor.js';
import { listRecords } from '../../records/query.js';
import { describeHistory, payloadRecords, readableTitles } from '../../workflow/history.js';
import { directUpdate, requireDirect as refuseUnlessDirect } from '../../records/direct.js';
import { badRequest } from '../errors.js';
import type { Context } from 'hono';

/** Refuses an operation the collection reserves for workflows (manifest `direct`). */
const requireDirect = (c: Context, op: 'create' | 'update' | 'delete') => refuseUnlessDirect(c.get('engine').runtime.collection(c.req.param('collection')!), op);

/** A paging parameter of the history: absent, or a whole number from 1 (to `max`). */
function historyParam(raw: string | undefined, name: string, max = Number.MAX_SAFE_INTEGER): number | undefined {
  if (raw === undefined) return undefined;
  const n = Number(raw);
  if (!/^\d+$/.test(raw) || n < 1 || n > max) throw badRequest(max < Number.MAX_SAFE_INTEGER ? `${name} 应为 1 到 ${max} 之间的整数` : `${name} 应为正整数`);
  return n;
}

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
    requireDirect(c, 'create');
    const engine = c.get('engine');
    const body = await jsonBody(c);
    // No transaction: a create is one atomic statement (see RecordService.create).
    const record = await engine.records.create(actorOf(c.get('user')!), c.req.param('collection'), body);
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
    const col = requireDirect(c, 'update');
    const version = ifMatch(c, true)!;
    const body = await jsonBody(c);
    const record = await directUpdate(engine.records, actorOf(c.get('user')!), col, c.req.param('id'), body, version);
    c.header('ETag', `"${record.version}"`);
    return c.json(serialize(record));
  });

  app.delete('/:collection/:id', async (c) => {
    requireDirect(c, 'delete');
    const engine = c.get('engine');
    const version = ifMatch(c, false);
    await engine.records.delete(actorOf(c.get('user')!), c.req.param('collection'), c.req.param('id'), version);
    return c.body(null, 204);
  });

  // Oldest first. `?limit=N` answers only the latest N entries; `nextBefore` (the oldest one's id,
  // null when nothing older remains) passed as `?before=` reads the N before those.
  app.get('/:collection/:id/history', async (c) => {
    const engine = c.get('engine');
    const limit = historyParam(c.req.query('limit'), 'limit', 500);
    const before = historyParam(c.req.query('before'), 'before');
    if (before !== undefined && limit === undefined) throw badRequest('before 须与 limit 一起使用');
    const user = c.get('user')!;
    const record = await engine.records.read(actorOf(user), c.req.param('collection'), c.req.param('id'));
    const { db, audit } = engine.storage;
    const { entries, more } = await audit.forRecord(db, record.id, { limit, before });
    const collection = engine.runtime.collection(record.collection);
    // A record an event's payload names (an x-recordOf field's record, perhaps deleted since) is shown by its title, if the user may read it.
    const titles = readableTitles(engine.runtime, user, await audit.recordTitles(db, payloadRecords(engine.runtime, collection, entries)));
    return c.json({
      items: describeHistory(engine.runtime, collection, entries, titles),
      nextBefore: more ? entries[0].id : null,
      total: await audit.countForRecord(db, record.id),
    });
  });

  return app;
}
