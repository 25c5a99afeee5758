import { Hono } from 'hono';
import { actorOf, serialize } from '../../records/service.js';
import { availableEvents } from '../../workflow/runtime.js';
import { notFound } from '../errors.js';

/**
 * GET /api/self — the self-service view of a user bound to a record: the record, its fields in
 * form order with their display text and the essential (must-check) ones marked, and the
 * workflow events the user may send now (e.g. confirm, or ask for a change).
 */
export function selfRoutes() {
  const app = new Hono();

  app.get('/', async (c) => {
    const engine = c.get('engine');
    const user = c.get('user')!;
    if (!user.self) throw notFound('本人记录');
    const actor = actorOf(user);
    const record = await engine.records.read(actor, user.self.collection, user.self.recordId);
    const col = engine.runtime.collection(record.collection);
    const props = Object.entries<Record<string, any>>(col.schema.properties ?? {})
      .sort(([, a], [, b]) => (a['x-order'] ?? 1e9) - (b['x-order'] ?? 1e9));
    const fields = props.filter(([, p]) => p['x-widget'] !== 'hidden').map(([field, p]) => {
      const value = record.data[field];
      const code = p['x-codes']?.find((x: { code: string }) => x.code === value);
      const text = value === undefined || value === null ? '' : code ? code.label : typeof value === 'boolean' ? (value ? '是' : '否') : String(value);
      return { field, title: p.title ?? field, group: p['x-group'] ?? null, value: value ?? null, text, essential: !!p['x-essential'] };
    });
    const events = engine.runtime.workflowOf(col) ? await availableEvents(engine, actor, col.name, record) : null;
    return c.json({
      record: serialize(record), essentialLabel: engine.runtime.config.manifest.essentialLabel ?? null, fields,
      state: events?.state ?? null, stateTitle: events?.stateTitle ?? null, events: events?.events ?? [],
    });
  });

  return app;
}
