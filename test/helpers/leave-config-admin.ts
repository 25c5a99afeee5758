import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { copyApp } from './app-copy.js';
import { repoRoot } from './paths.js';

/**
 * A copy of the leave fixture application with a config admin: the fixture has none, so its copy
 * gets the `config` role and an account `cfg` (password leave-demo) holding it — for the studio.
 */
export function leaveAppWithConfigAdmin(): string {
  const dir = copyApp(join(repoRoot, 'test/fixtures/leave'));
  const manifestFile = join(dir, 'forms/app.json');
  const m = JSON.parse(readFileSync(manifestFile, 'utf8'));
  m.roles.config = { title: '配置管理员', permissions: ['read', 'config'], scope: 'global' };
  writeFileSync(manifestFile, JSON.stringify(m, null, 2));
  const usersFile = join(dir, 'forms/demo/users.json');
  const u = JSON.parse(readFileSync(usersFile, 'utf8'));
  u.users.push({ username: 'cfg', password: 'leave-demo', displayName: '配置管理员', grants: [{ role: 'config', node: '@hq' }] });
  writeFileSync(usersFile, JSON.stringify(u, null, 2));
  return dir;
}
