import { describe, it, expect } from 'vitest';
import { roleProblems } from '../../engine/config/role-checks.js';
import { Permissions } from '../../engine/auth/permissions.js';
import { isRootPath } from '../../engine/tree-paths.js';
import type { AppManifest, Collection, RoleConfig } from '../../engine/config/types.js';
import type { Principal } from '../../engine/auth/principal.js';

const tree = { collection: 'node', parentField: 'parent', labelField: 'name' };
const collections = new Map([['node', { schema: { properties: { kind: { type: 'string', enum: ['a', 'b'] } } } } as unknown as Collection]]);
const roleScopeProblems = (name: string, role: RoleConfig) => roleProblems(name, role, tree, collections);

describe('global roles', () => {
  it('the config check refuses a role carrying config without scope "global", and a global self role', () => {
    expect(roleScopeProblems('config', { title: '配置', permissions: ['read', 'config'] })[0]).toContain('须声明 "scope": "global"');
    expect(roleScopeProblems('config', { title: '配置', permissions: ['read', 'config'], scope: 'global' })).toEqual([]);
    expect(roleScopeProblems('me', { title: '本人', permissions: ['read'], self: 'x', scope: 'global' })[0]).toContain('不能是全局角色');
    expect(roleScopeProblems('x', { title: 'x', permissions: ['read'], scope: 'world' as never })[0]).toContain('roles.x.scope');
  });

  it('a global role counts only on the root; only a root grant-holder may grant it, and only there', () => {
    const manifest = { roles: {
      admin: { title: '管理员', permissions: ['read', 'write', 'grant'] },
      config: { title: '配置', permissions: ['read', 'config'], scope: 'global' },
      me: { title: '本人', permissions: ['read'], self: 'person' },
    } } as unknown as AppManifest;
    const p = new Permissions(manifest);
    const user = (grants: [string, string][]): Principal => ({
      userId: 'u', username: 'u', displayName: 'u', sessionId: 's', csrf: 'c', grants: grants.map(([role, path]) => ({ role, path, nodeId: path })),
    });
    expect(isRootPath('/r/')).toBe(true);
    expect(isRootPath('/r/a/')).toBe(false);
    expect(p.paths(user([['config', '/r/a/']]), 'config')).toEqual([]);
    expect(p.paths(user([['config', '/r/']]), 'config')).toEqual(['/r/']);
    const branchAdmin = user([['admin', '/r/a/']]);
    const rootAdmin = user([['admin', '/r/']]);
    expect(p.mayGrantRole(branchAdmin, 'config', '/r/a/')).toBe(false);
    expect(p.mayGrantRole(branchAdmin, 'admin', '/r/a/b/')).toBe(true);
    expect(p.mayGrantRole(rootAdmin, 'config', '/r/a/')).toBe(false);
    expect(p.mayGrantRole(rootAdmin, 'config', '/r/')).toBe(true);
    expect(p.mayGrantRole(rootAdmin, 'me', '/r/')).toBe(false);
    expect(p.mayGrantRole(rootAdmin, '__proto__', '/r/')).toBe(false);
  });
});

describe('roles by node kind', () => {
  it('the check names a field that the tree lacks, values it does not have, and a malformed rule', () => {
    const role = (nodeKinds: unknown) => ({ title: '书记', permissions: ['read'], nodeKinds }) as RoleConfig;
    expect(roleScopeProblems('s', role({ field: 'kind', values: ['a'] }))).toEqual([]);
    expect(roleScopeProblems('s', role({ field: 'sort', values: ['a'] }))[0]).toContain('roles.s.nodeKinds.field: "sort" 不是树节点集合（node）的字段');
    expect(roleScopeProblems('s', role({ field: 'kind', values: ['a', 'z'] }))[0]).toContain('"z" 不是字段 kind 的可选值');
    expect(roleScopeProblems('s', role({ field: 'kind' }))[0]).toContain('roles.s.nodeKinds 应为');
  });
});
