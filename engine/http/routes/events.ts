import { Hono } from 'hono';
import { jsonBody } from '../body.js';
import { serialize } from '../../records/service.js';
import { actorOf } from '../../auth/actor.js';
import { availableEvents, sendBatch, sendEvent } from '../../workflow/runtime.js';

/**
 * Workflow events under /api/records: what a user may send to a record now, one event, and one
 * event for many records (one transaction, a result per id).
 */
export function eventsRoutes() {
  const app = new Hono();

  app.post('/:collection/events', async (c) => {
    const engine = c.get('engine');
    const body = await jsonBody(c);
    const actor = actorOf(c.get('user')!);
    const results = await sendBatch(engine, actor, c.req.param('collection'), body);
    return c.json({ results });
  });

  app.get('/:collection/:id/events', async (c) => {
    const engine = c.get('engine');
    const actor = actorOf(c.get('user')!);
    const record = await engine.records.read(actor, c.req.param('collection'), c.req.param('id'));
    return c.json(await availableEvents(engine, actor, c.req.param('collection'), record));
  });

  app.post('/:collection/:id/events', async (c) => {
    const engine = c.get('engine');
    const body = await jsonBody(c);
    const actor = actorOf(c.get('user')!);
    const record = await sendEvent(engine, actor, c.req.param('collection'), c.req.param('id'), body);
    c.header('ETag', `"${record.version}"`);
    return c.json(serialize(record));
  });

  return app;
}
