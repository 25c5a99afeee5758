import { session } from '../api/session.js';

/** The nodes a user may choose as the scope of a query or statistic: those of their grants that read. */
export function readableScopes(): { node: string; label: string }[] {
  const me = session.me;
  const app = session.app;
  if (!me || !app) return [];
  const seen = new Map<string, string>();
  for (const g of me.grants) {
    if (g.inForce && app.roles[g.role]?.permissions.includes('read') && !seen.has(g.node)) seen.set(g.node, g.nodeLabel ?? g.node);
  }
  return [...seen].map(([node, label]) => ({ node, label }));
}

/** Collections a query or statistic can be asked of: those whose records hang on a node (not the tree itself). */
export function queryableCollections(): [string, { title: string }][] {
  const app = session.app!;
  return Object.entries(app.collections).filter(([name, c]) => name !== app.tree.collection && !(c as { isTree?: boolean }).isTree);
}
