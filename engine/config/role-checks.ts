import { GLOBAL_PERMISSIONS, type Collection, type RoleConfig, type TreeConfig } from './types.js';

/**
 * The checks of one role of the manifest, each naming app.json and the place:
 * - its scope fits its power: a permission that reaches beyond any subtree (config) is carried only
 *   by a role of scope "global", or a subtree admin could grant it on their own node and change what
 *   the whole tree uses; a self role belongs to one record and is never global;
 * - `nodeKinds` names a field of the tree's collection, and values of it (codes of its code table,
 *   when it has one).
 */
export function roleProblems(name: string, role: RoleConfig, tree: TreeConfig, collections: Map<string, Collection>): string[] {
  const at = `forms/app.json: roles.${name}`;
  const problems: string[] = [];
  if (role.scope !== undefined && role.scope !== 'global' && role.scope !== 'subtree') {
    problems.push(`${at}.scope 须为 "global" 或 "subtree"，而不是 ${JSON.stringify(role.scope)}`);
  }
  if (role.scope === 'global' && role.self) problems.push(`${at} 是本人角色（self），不能是全局角色（scope: "global"）`);
  const reaching = (role.permissions ?? []).filter((p) => GLOBAL_PERMISSIONS.includes(p));
  if (reaching.length && role.scope !== 'global') {
    problems.push(`${at} 拥有不限于下级范围的权限（${reaching.join('、')}），须声明 "scope": "global"（只能在根节点授予）`);
  }
  if (role.nodeKinds !== undefined) {
    const kinds = role.nodeKinds;
    const property = collections.get(tree.collection)?.schema.properties?.[kinds?.field] as { enum?: unknown[]; oneOf?: { const?: unknown }[] } | undefined;
    if (role.self || role.scope === 'global') problems.push(`${at}.nodeKinds 只用于授予在节点上的下级范围角色`);
    if (!kinds || typeof kinds.field !== 'string' || !Array.isArray(kinds.values) || !kinds.values.length || kinds.values.some((v) => typeof v !== 'string')) {
      problems.push(`${at}.nodeKinds 应为 {"field": "<树节点字段>", "values": ["<取值>", …]}`);
    } else if (!property) {
      problems.push(`${at}.nodeKinds.field: "${kinds.field}" 不是树节点集合（${tree.collection}）的字段`);
    } else {
      const allowed = property.enum ?? property.oneOf?.map((o) => o.const);
      const unknown = allowed ? kinds.values.filter((v) => !allowed.includes(v)) : [];
      if (unknown.length) problems.push(`${at}.nodeKinds.values: ${unknown.map((v) => `"${v}"`).join('、')} 不是字段 ${kinds.field} 的可选值`);
    }
  }
  return problems;
}
