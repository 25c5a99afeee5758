import { Hono } from 'hono';
import { notFound } from '../errors.js';
import { jsonBody } from '../body.js';
import { requireUser } from '../middleware/session.js';

/** /api/app, /api/forms/:collection, /api/codes/:table — the config as clients need it. */
export function configRoutes() {
  const app = new Hono();

  // The name, title and login note are public (the login page shows them); the rest needs a login.
  app.get('/app', (c) => {
    const rt = c.get('engine').runtime;
    const { config } = rt;
    const m = config.manifest;
    if (!c.get('user')) return c.json({ name: m.name, title: m.title, loginNote: m.loginNote ?? null });
    const collections = Object.fromEntries(
      [...config.collections.values()].map((col) => [col.name, {
        title: col.title, nodeField: col.nodeField, titleField: col.titleField, listColumns: col.listColumns ?? [],
        search: col.search ?? [], workflow: col.workflow ?? null, completeness: !!col.completeness, isTree: col.isTree,
        documents: col.documents ?? {},
        // The workflow's states in order with their titles (state filters, progress overviews).
        states: [...(rt.workflowOf(col)?.stateTitles ?? [])].map(([id, title]) => ({ id, title, selfHint: rt.workflowOf(col)!.selfHints.get(id) ?? null })),
        lookup: col.lookup ?? null,
        direct: col.direct ?? null,
        events: Object.fromEntries([...(rt.workflowOf(col)?.events.values() ?? [])].map((e) => [e.type, e.title])),
      }]),
    );
    return c.json({ name: m.name, title: m.title, essentialLabel: m.essentialLabel ?? null, tree: config.tree, collections, roles: m.roles });
  });

  app.get('/forms/:collection', requireUser, (c) => {
    const rt = c.get('engine').runtime;
    const col = rt.collection(c.req.param('collection'));
    return c.json({
      collection: col.name, title: col.title, schema: col.schema, nodeField: col.nodeField, titleField: col.titleField,
      listColumns: col.listColumns ?? [], essentialLabel: rt.config.manifest.essentialLabel ?? null, codeVersions: rt.codeVersions(col),
    });
  });

  // Checks a document against the collection's rules without storing anything (live checks, imports).
  app.post('/forms/:collection/validate', requireUser, async (c) => {
    const rt = c.get('engine').runtime;
    const col = rt.collection(c.req.param('collection'));
    const body = await jsonBody<{ data?: unknown; previous?: Record<string, unknown> }>(c);
    const v = rt.validator(col.name);
    const errors = v.validate(body?.data, body?.previous);
    const data = (body?.data ?? {}) as Record<string, unknown>;
    const incomplete = errors.length ? [] : v.completenessErrors(data);
    return c.json({ valid: errors.length === 0, errors, complete: errors.length === 0 && incomplete.length === 0, incomplete });
  });

  app.get('/codes/:table', requireUser, (c) => {
    const table = c.get('engine').runtime.config.codes.get(c.req.param('table'));
    if (!table) throw notFound('代码表');
    return c.json(table);
  });

  app.get('/codes', requireUser, (c) => {
    const tables = [...c.get('engine').runtime.config.codes.values()].map((t) => ({
      table: t.table, title: t.title, version: t.version, size: t.codes.length,
      provisional: t.codes.filter((x) => x.provisional).length, deprecated: t.codes.filter((x) => x.deprecated).length,
    }));
    return c.json({ items: tables });
  });

  return app;
}
