import { Hono } from 'hono';
import { recordsTable, type StoredRecord } from '../../storage/records.js';
import { subtreeStats } from '../../records/stats.js';
import { serialize } from '../../records/service.js';
import { notFound } from '../errors.js';
import type { Engine } from '../../engine.js';
import type { Principal } from '../../auth/principal.js';
import { progressWorkbook } from '../../records/progress-workbook.js';
import { sendDocument } from './documents.js';

/** /api/tree — the user's roots, one node with its children and per-subtree statistics, a node's path. */
export function treeRoutes() {
  const app = new Hono();

  const summary = async (engine: Engine, r: StoredRecord) => ({
    ...serialize(r),
    label: r.data[engine.runtime.config.tree.labelField] ?? null,
    stats: await subtreeStats(engine.db, engine.runtime, r.path),
  });

  app.get('/', async (c) => {
    const engine = c.get('engine');
    const user = c.get('user')!;
    const roots: unknown[] = [];
    for (const path of engine.runtime.permissions.paths(user, 'read')) {
      const id = path.split('/').at(-2)!;
      const r = await recordsTable.get(engine.db, id);
      if (r) roots.push(await summary(engine, r));
    }
    return c.json({ roots });
  });

  /** Every ancestor on the node's path down to the node itself, with its label and whether the user reads it. */
  const breadcrumbOf = async (engine: Engine, user: Principal, node: StoredRecord) => {
    const rt = engine.runtime;
    const ids = node.path.split('/').filter(Boolean);
    const marks = ids.map(() => '?').join(',');
    const rows = await engine.db.all<{ id: string; label: string | null }>(
      `SELECT id, json_extract(data, ?) AS label FROM records WHERE id IN (${marks})`, [`$.${rt.config.tree.labelField}`, ...ids]);
    const byId = new Map(rows.map((r) => [r.id, r]));
    return ids.map((id) => ({
      id, label: byId.get(id)?.label ?? null, readable: rt.permissions.onPath(user, 'read', node.path.slice(0, node.path.indexOf(`/${id}/`) + id.length + 2)),
    }));
  };

  /** A node the user reads, or 404. */
  const readableNode = async (engine: Engine, user: Principal, id: string) => {
    const rt = engine.runtime;
    const node = await recordsTable.get(engine.db, id);
    if (!node || node.collection !== rt.tree.name || !rt.permissions.onRecord(user, 'read', node)) throw notFound(rt.tree.title);
    return node;
  };

  /** The node's children, each with its subtree's figures. */
  const childrenOf = async (engine: Engine, node: StoredRecord) => {
    const children = await engine.db.all<{ id: string }>('SELECT id FROM records WHERE collection = ? AND node_id = ? ORDER BY rowid', [engine.runtime.tree.name, node.id]);
    const kids = [];
    for (const { id } of children) kids.push(await summary(engine, (await recordsTable.get(engine.db, id))!));
    return kids;
  };

  app.get('/:nodeId', async (c) => {
    const engine = c.get('engine');
    const user = c.get('user')!;
    const node = await readableNode(engine, user, c.req.param('nodeId'));
    const breadcrumb = await breadcrumbOf(engine, user, node);
    return c.json({ node: await summary(engine, node), breadcrumb, children: await childrenOf(engine, node) });
  });

  // 进度统计 of the node as a workbook (the page's tables), to send on.
  app.get('/:nodeId/progress.xlsx', async (c) => {
    const engine = c.get('engine');
    const node = await readableNode(engine, c.get('user')!, c.req.param('nodeId'));
    const buf = await progressWorkbook(engine.runtime, await summary(engine, node), await childrenOf(engine, node));
    const name = `进度统计-${String(node.data[engine.runtime.config.tree.labelField] ?? node.id)}.xlsx`;
    return sendDocument(c, { body: buf, contentType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', filename: name, inline: false });
  });

  /**
   * Only the node's breadcrumb: what a field holding a node shows. Also answered for the ancestors
   * of the nodes a user reads (their labels are on every breadcrumb the user sees anyway), so the
   * parent of a user's top node reads as its name, not its id. Nothing else about them.
   */
  app.get('/:nodeId/path', async (c) => {
    const engine = c.get('engine');
    const rt = engine.runtime;
    const user = c.get('user')!;
    const node = await recordsTable.get(engine.db, c.req.param('nodeId'));
    const seen = node && node.collection === rt.tree.name
      && (rt.permissions.onRecord(user, 'read', node) || rt.permissions.paths(user, 'read').some((p) => p.startsWith(node.path)));
    if (!seen) throw notFound(rt.tree.title);
    return c.json({ breadcrumb: await breadcrumbOf(engine, user, node) });
  });

  return app;
}
