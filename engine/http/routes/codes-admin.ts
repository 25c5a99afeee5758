import { Hono } from 'hono';
import { requireUser } from '../middleware/session.js';
import { jsonBody, ifMatch } from '../body.js';
import { forbidden, notFound, badRequest } from '../errors.js';
import { saveCodeTable } from '../../codes/save-table.js';
import { codeUsage } from '../../codes/usage.js';
import { deprecatedCodeReport } from '../../codes/report.js';
import { replaceDeprecatedCode } from '../../codes/replace.js';
import type { Context } from 'hono';

/** Config administration: the "config" permission, which counts only when granted on the tree's root (a global role). */
export function requireConfigAdmin(c: Context) {
  const user = c.get('user')!;
  if (!c.get('engine').runtime.permissions.paths(user, 'config').length) throw forbidden('需要配置管理员权限');
  return user;
}

/** The tree node named by ?node= (or the body), readable by the user. */
async function readableNode(c: Context, id: unknown) {
  const engine = c.get('engine');
  const rt = engine.runtime;
  if (typeof id !== 'string' || !id) throw badRequest('须指定节点（node）');
  const node = await engine.storage.records.get(engine.storage.db, id);
  if (!node || node.collection !== rt.tree.name || !rt.permissions.onRecord(c.get('user')!, 'read', node)) throw notFound(rt.tree.title);
  return node;
}

/** Code-table editing, usage, the deprecated-code report and bulk replacement; config status. */
export function codesAdminRoutes() {
  const app = new Hono();
  app.put('/codes/:table', requireUser, async (c) => {
    const user = requireConfigAdmin(c);
    const version = ifMatch(c, true)!;
    const body = await jsonBody(c);
    const { table, changed } = await saveCodeTable(c.get('engine'), user, c.req.param('table'), body, version);
    c.header('ETag', `"${table.version}"`);
    // An unchanged save is a no-op: the same version, and the answer says so.
    return c.json(changed ? table : { ...table, unchanged: true, message: `代码表「${table.title}」没有变化，仍为第 ${table.version} 版` });
  });

  app.get('/codes/:table/usage', requireUser, async (c) => {
    requireConfigAdmin(c);
    const engine = c.get('engine');
    const table = engine.runtime.config.codes.get(c.req.param('table'));
    if (!table) throw notFound('代码表');
    // items per place (a field or a child table's column); totals per code, each record once however many places hold it.
    const { items, totals } = await codeUsage(engine.storage, engine.runtime, table.table, table.codes.map((x) => x.code));
    return c.json({ items, totals: [...totals].map(([code, count]) => ({ code, count })) });
  });

  app.post('/codes/:table/replace', requireUser, async (c) => {
    const body = await jsonBody<{ code?: string; node?: string; dryRun?: boolean }>(c);
    const node = await readableNode(c, body?.node);
    const engine = c.get('engine');
    const result = await replaceDeprecatedCode(engine.storage, engine.runtime, engine.records, c.get('user')!, c.req.param('table'), String(body?.code ?? ''), node, body?.dryRun !== false);
    return c.json(result);
  });

  app.get('/reports/deprecated-codes', requireUser, async (c) => {
    const node = await readableNode(c, c.req.query('node'));
    const engine = c.get('engine');
    return c.json(await deprecatedCodeReport(engine.storage, engine.runtime, c.get('user')!, node.path));
  });

  // The config in force (its version is the generation), what the last change was refused for, and
  // the draft waiting, if any (e.g. a new release's files).
  app.get('/config/status', requireUser, async (c) => {
    requireConfigAdmin(c);
    const engine = c.get('engine');
    const draft = await engine.storage.configVersions.draft(engine.storage.db);
    return c.json({
      ...engine.config.status, published: engine.config.version,
      draft: draft ? { base: draft.base, version: draft.version, origin: draft.origin, updatedAt: draft.updatedAt, proposedBy: draft.proposedBy } : null,
    });
  });

  return app;
}
