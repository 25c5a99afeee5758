import { Hono } from 'hono';
import { serialize } from '../../records/service.js';
import { actorOf } from '../../auth/actor.js';
import { availableEvents } from '../../workflow/runtime.js';
import { notFound } from '../errors.js';

type Prop = Record<string, any>;

/** One value in words: a code's label, 是/否, a child table's rows one a line (「1. 姓名：…；与该人关系：…」). */
function valueText(p: Prop, value: unknown): string {
  if (value === undefined || value === null) return '';
  const columns: [string, Prop][] | undefined = p.type === 'array' && p.items?.type === 'object' ? Object.entries(p.items.properties ?? {}) : undefined;
  if (columns && Array.isArray(value)) {
    return value.map((row, i) => `${i + 1}. ${columns
      .map(([name, c]) => [c.title ?? name, valueText(c, row && typeof row === 'object' ? row[name] : undefined)])
      .filter(([, text]) => text !== '').map(([title, text]) => `${title}：${text}`).join('；')}`).join('\n');
  }
  const code = p['x-codes']?.find((x: { code: string }) => x.code === value);
  return code ? code.label : typeof value === 'boolean' ? (value ? '是' : '否') : String(value);
}

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
    // The record's own person may not browse the tree, but may know where their record hangs: the node's path.
    const tree = engine.runtime.config.tree;
    const { db, records } = engine.storage;
    const node = record.nodeId ? await records.get(db, record.nodeId) : undefined;
    const ancestors = node ? node.path.split('/').filter(Boolean) : [];
    const labels = await records.fieldOf(db, ancestors, tree.labelField);
    const nodePath = ancestors.map((id) => String(labels.get(id) ?? id));
    const props = Object.entries<Prop>(col.schema.properties ?? {})
      .sort(([, a], [, b]) => (a['x-order'] ?? 1e9) - (b['x-order'] ?? 1e9));
    const fields = props.filter(([, p]) => p['x-widget'] !== 'hidden').map(([field, p]) => {
      const value = record.data[field];
      const text = field === col.nodeField && node ? nodePath.join('>>') : valueText(p, value);
      return { field, title: p.title ?? field, group: p['x-group'] ?? null, value: value ?? null, text, essential: !!p['x-essential'] };
    });
    const events = engine.runtime.workflowOf(col) ? await availableEvents(engine, actor, col.name, record) : null;
    return c.json({
      record: serialize(record),
      node: node ? { id: node.id, label: node.data[tree.labelField] ?? null, fullName: node.data[tree.fullNameField ?? tree.labelField] ?? null, path: nodePath } : null,
      essentialLabel: engine.runtime.config.manifest.essentialLabel ?? null, fields,
      state: events?.state ?? null, stateTitle: events?.stateTitle ?? null, events: events?.events ?? [],
    });
  });

  return app;
}
