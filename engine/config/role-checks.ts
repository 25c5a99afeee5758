import { GLOBAL_PERMISSIONS, type RoleConfig } from './types.js';

/**
 * A role's scope must fit its power: a permission that reaches beyond any subtree (config) is
 * carried only by a role of scope "global", or a subtree admin could grant it on their own node
 * and change what the whole tree uses. A self role belongs to one record and is never global.
 */
export function roleScopeProblems(name: string, role: RoleConfig): string[] {
  const problems: string[] = [];
  if (role.scope !== undefined && role.scope !== 'global' && role.scope !== 'subtree') {
    problems.push(`app.json: roles.${name}.scope 须为 "global" 或 "subtree"，而不是 ${JSON.stringify(role.scope)}`);
  }
  if (role.scope === 'global' && role.self) problems.push(`app.json: roles.${name} 是本人角色（self），不能是全局角色（scope: "global"）`);
  const reaching = (role.permissions ?? []).filter((p) => GLOBAL_PERMISSIONS.includes(p));
  if (reaching.length && role.scope !== 'global') {
    problems.push(`app.json: roles.${name} 拥有不限于下级范围的权限（${reaching.join('、')}），须声明 "scope": "global"（只能在根节点授予）`);
  }
  return problems;
}
