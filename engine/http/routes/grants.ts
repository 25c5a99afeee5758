import { Hono } from 'hono';
import { jsonBody } from '../body.js';
import { keptAccount } from '../../auth/account-keeper.js';
import { changeGrant } from '../../grants/change.js';
import { roleFitsNode } from '../../grants/role-fit.js';
import type { Principal } from '../../auth/principal.js';
import type { StoredRecord } from '../../ports.js';
import type { Engine } from '../../engine.js';
import { forbidden, invalid, notFound } from '../errors.js';
import { hashPassword } from '../../auth/password.js';
import { firstPassword } from '../../auth/first-password.js';
import { pathUpperBound, rootPathOf } from '../../tree-paths.js';

/** The tree node a grant request names, checked: the user holds "grant" on it or above. */
async function grantNode(engine: Engine, user: Principal, nodeId: unknown) {
  const rt = engine.runtime;
  if (typeof nodeId !== 'string' || !nodeId) throw invalid([{ path: '/node', message: '「组织」为必填项' }]);
  const node = await engine.storage.records.get(engine.storage.db, nodeId);
  if (!node || node.collection !== rt.tree.name || !rt.permissions.onRecord(user, 'read', node)) throw notFound(rt.tree.title);
  if (!rt.permissions.onPath(user, 'grant', node.path)) throw forbidden(`无权设置该${rt.tree.title}的职务和权限`);
  return node;
}

/**
 * A role this user may grant or revoke on the node: self roles belong to accounts, not to grants;
 * a global role (config) only on the root, by someone holding "grant" there.
 */
function grantableRole(engine: Engine, user: Principal, role: unknown, node: StoredRecord, add: boolean): string {
  const rt = engine.runtime;
  const roles = rt.config.manifest.roles;
  if (typeof role !== 'string' || !Object.hasOwn(roles, role) || roles[role].self) {
    const names = Object.entries(roles).filter(([, r]) => !r.self).map(([k, r]) => `${r.title}（${k}）`).join('、');
    throw invalid([{ path: '/role', message: `「职务」应为：${names}` }]);
  }
  // A role that does not fit the node's kind is not given there; an old one may still be revoked.
  if (add && !roleFitsNode(roles[role], node)) {
    const fits = Object.entries(roles).filter(([k, r]) => !r.self && roleFitsNode(r, node) && rt.permissions.mayGrantRole(user, k, node.path)).map(([, r]) => r.title);
    throw invalid([{ path: '/role', message: `「${roles[role].title}」不适用于该${rt.tree.title}${fits.length ? `，可授予：${fits.join('、')}` : ''}` }]);
  }
  if (rt.permissions.mayGrantRole(user, role, node.path)) return role;
  if (rt.permissions.onPath(user, 'grant', rootPathOf(node.path))) {
    throw invalid([{ path: '/role', message: `「${roles[role].title}」的权限不限于下级范围，只能在根节点授予` }]);
  }
  throw forbidden(`「${roles[role].title}」的权限不限于下级范围，只有在根节点拥有授权权限的管理员才能授予或撤销`);
}

/** The roles this user may grant on the node and that fit its kind, as the grants panel offers them. */
function grantableRoles(engine: Engine, user: Principal, node: StoredRecord) {
  const rt = engine.runtime;
  return Object.entries(rt.config.manifest.roles)
    .filter(([role, r]) => roleFitsNode(r, node) && rt.permissions.mayGrantRole(user, role, node.path))
    .map(([role, r]) => ({ role, title: r.title }));
}

/**
 * /api/grants — who holds which role on a tree node (secretary, committee member, admin …). Reading and
 * changing need the "grant" permission on the node or above. A grant names the account by
 * username, or by the record it is bound to (a member record). Derived node fields (secretary,
 * contact, phone) are recomputed in the same transaction, and each change is audited on the node.
 */
export function grantsRoutes() {
  const app = new Hono();

  /** Most grants the overview lists: beyond that it says so, and the admin opens a lower node. */
  const OVERVIEW_MAX = 2000;

  // Who holds which role anywhere below a node, with their accounts' state (权限配置 at a glance).
  app.get('/overview', async (c) => {
    const engine = c.get('engine');
    const node = await grantNode(engine, c.get('user')!, c.req.query('node'));
    const roles = engine.runtime.config.manifest.roles;
    const rows = await engine.storage.grants.inSubtree(engine.storage.db, node.path, pathUpperBound(node.path), engine.runtime.config.tree.labelField, OVERVIEW_MAX + 1);
    const items = rows.slice(0, OVERVIEW_MAX).map((g) => ({
      node: g.nodeId, nodeLabel: g.nodeLabel, username: g.username, displayName: g.displayName, role: g.role,
      roleTitle: roles[g.role]?.title ?? g.role, record: g.selfRecord ? { collection: g.selfCollection, id: g.selfRecord } : null, locked: !!g.locked, mustChangePassword: !!g.mustChangePassword,
    }));
    return c.json({ node: node.id, items, truncated: rows.length > OVERVIEW_MAX });
  });

  app.get('/', async (c) => {
    const engine = c.get('engine');
    const node = await grantNode(engine, c.get('user')!, c.req.query('node'));
    const roles = engine.runtime.config.manifest.roles;
    const user = c.get('user')!;
    const items = [];
    const { db, grants, accounts } = engine.storage;
    for (const g of await grants.onNode(db, node.id)) {
      // The account's state, and whether this user keeps it (reset, lock): shown with the holder.
      const account = (await accounts.byName(db, g.username))!;
      items.push({
        username: g.username, displayName: g.displayName, role: g.role, roleTitle: roles[g.role]?.title ?? g.role, record: g.selfRecord,
        locked: !!account.locked_at, mustChangePassword: !!account.must_change_password, kept: !!(await keptAccount(engine, db, user, account)),
      });
    }
    return c.json({ node: node.id, items, roles: grantableRoles(engine, user, node) });
  });

  const change = (add: boolean) => async (c: any) => {
    const engine: Engine = c.get('engine');
    const user: Principal = c.get('user')!;
    const body = add ? await jsonBody<Record<string, unknown>>(c) : c.req.query();
    const node = await grantNode(engine, user, body?.node);
    const role = grantableRole(engine, user, body.role, node, add);
    const title = engine.runtime.config.manifest.roles[role].title;
    // A person without an account gets one in the same step when asked (openAccount: true): its
    // first password is hashed before the transaction (scrypt takes a while) and shown once.
    const opening = add && body.openAccount === true ? firstPassword() : undefined;
    const hash = opening ? await hashPassword(opening) : undefined;
    const { account, changed, opened } = await changeGrant(engine, user, { add, node, role, record: body.record, username: body.username, openWith: hash });
    const result = { username: account.username, displayName: account.display_name, role, roleTitle: title, node: node.id, changed, ...(opened ? { password: opening } : {}) };
    return c.json(result, add && result.changed ? 201 : 200);
  };

  app.post('/', change(true));
  app.delete('/', change(false));
  return app;
}
