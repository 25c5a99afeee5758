import { Hono, type Context } from 'hono';
import { requireConfigAdmin } from './codes-admin.js';
import { draftRuntime } from '../../config-versions/draft-runtime.js';
import { cachedValidatorModule } from '../../validation/standalone.js';

/** The open draft compiled (config admins only); the preview works while only a publish would refuse it. */
function draftOf(c: Context) {
  requireConfigAdmin(c);
  return draftRuntime(c.get('engine'), '表单预览');
}

/**
 * /api/config/draft/forms/:collection and …/validator.js: what /api/forms serves for the config in
 * force, for the open draft instead — the studio's live preview renders and validates the form
 * exactly as users will see it once the draft is published. Config admins only.
 */
export function draftFormRoutes() {
  const app = new Hono();

  app.get('/:collection', async (c) => {
    const { runtime: rt, draft } = await draftOf(c);
    const col = rt.collection(c.req.param('collection'));
    return c.json({
      collection: col.name, title: col.title, schema: col.schema, nodeField: col.nodeField, titleField: col.titleField,
      listColumns: col.listColumns ?? [], essentialLabel: rt.config.manifest.essentialLabel ?? null, codeVersions: rt.codeVersions(col),
      draftVersion: draft.version,
    });
  });

  app.get('/:collection/validator.js', async (c) => {
    const { runtime: rt } = await draftOf(c);
    const col = rt.collection(c.req.param('collection'));
    c.header('Content-Type', 'text/javascript; charset=utf-8');
    c.header('Cache-Control', 'private, no-cache');
    return c.body(await cachedValidatorModule(col.schema));
  });

  return app;
}
