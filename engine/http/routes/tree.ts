import { Hono } from 'hono';
import type { StoredRecord } from '../../ports.js';
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

  /** A node as the tree shows it: its label, its subtree's figures and whether it has child nodes (a leaf gets no arrow). */
  const summary = async (engine: Engine, r: StoredRecord, hasChildren: boolean) => ({
    ...serialize(r),
    label: r.data[engine.runtime.config.tree.labelField] ?? null,
    hasChildren,
    stats: await subtreeStats(engine.storage, engine.runtime, r.path),
  });

  app.get('/', async (c) => {
    const engine = c.get('engine');
    const user = c.get('user')!;
    const ids = engine.runtime.permissions.paths(user, 'read').map((path) => path.split('/').at(-2)!);
    const parents = await engine.storage.treeNodes.withChildren(engine.storage.db, engine.runtime.tree.name, ids);
    const roots: unknown[] = [];
    for (const id of ids) {
      const r = await engine.storage.records.get(engine.storage.db, id);
      if (r) roots.push(await summary(engine, r, parents.has(id)));
    }
    return c.json({ roots });
  });

  /** Every ancestor on the node's path down to the node itself, with its label and whether the user reads it. */
  const breadcrumbOf = async (engine: Engine, user: Principal, node: StoredRecord) => {
    const rt = engine.runtime;
    const ids = node.path.split('/').filter(Boolean);
    const labels = await engine.storage.treeNodes.labels(engine.storage.db, rt.config.tree.labelField, ids);
    return ids.map((id) => ({
      id, label: labels.get(id) ?? null, readable: rt.permissions.onPath(user, 'read', node.path.slice(0, node.path.indexOf(`/${id}/`) + id.length + 2)),
    }));
  };

  /** A node the user reads, or 404. */
  const readableNode = async (engine: Engine, user: Principal, id: string) => {
    const rt = engine.runtime;
    const node = await engine.storage.records.get(engine.storage.db, id);
    if (!node || node.collection !== rt.tree.name || !rt.permissions.onRecord(user, 'read', node)) throw notFound(rt.tree.title);
    return node;
  };

  /** The node's children, each with its subtree's figures and whether it has children in turn (one query for all). */
  const childrenOf = async (engine: Engine, node: StoredRecord) => {
    const tree = engine.runtime.tree.name;
    const ids = await engine.storage.treeNodes.childIds(engine.storage.db, tree, node.id);
    const parents = await engine.storage.treeNodes.withChildren(engine.storage.db, tree, ids);
    const kids = [];
    for (const id of ids) kids.push(await summary(engine, (await engine.storage.records.get(engine.storage.db, id))!, parents.has(id)));
    return kids;
  };

  app.get('/:nodeId', async (c) => {
    const engine = c.get('engine');
    const user = c.get('user')!;
    const node = await readableNode(engine, user, c.req.param('nodeId'));
    const breadcrumb = await breadcrumbOf(engine, user, node);
    const children = await childrenOf(engine, node);
    return c.json({ node: await summary(engine, node, children.length > 0), breadcrumb, children });
  });

  // 进度统计 of the node as a workbook (the page's tables), to send on.
  app.get('/:nodeId/progress.xlsx', async (c) => {
    const engine = c.get('engine');
    const node = await readableNode(engine, c.get('user')!, c.req.param('nodeId'));
    const children = await childrenOf(engine, node);
    const buf = await progressWorkbook(engine.runtime, await summary(engine, node, children.length > 0), children);
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
    const node = await engine.storage.records.get(engine.storage.db, c.req.param('nodeId'));
    const seen = node && node.collection === rt.tree.name
      && (rt.permissions.onRecord(user, 'read', node) || rt.permissions.paths(user, 'read').some((p) => p.startsWith(node.path)));
    if (!seen) throw notFound(rt.tree.title);
    return c.json({ breadcrumb: await breadcrumbOf(engine, user, node) });
  });

  return app;
}
