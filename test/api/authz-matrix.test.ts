import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { startTestServer, type TestServer } from '../helpers/server.js';
import { createHttpApp } from '../../engine/http/app.js';
import { discover, type World } from '../helpers/authz-world.js';
import { routeTable, middleware } from '../helpers/authz-rules.js';
import { buildCells, runAll, report } from '../helpers/authz-cells.js';
import type { Who } from '../helpers/authz-model.js';
import type { Client } from '../helpers/client.js';

/**
 * The permanent authorization matrix: every demo role × every route of the HTTP app × a target
 * inside and outside the principal's scope, each answer compared with what the documented rules
 * say (test/helpers/authz-model.ts), through the real server. Then the escalation paths an
 * attacker with a lower admin's login tries, which change grants and so run after the matrix.
 */
const ROOT_ADMIN = 'bj_admin';
// Admins at three levels below the root, read-only roles, members, the config admin.
const LOGINS = ['bj_admin', 'ft_admin', 'tnl_admin', 'pdl_admin', 'zhaoguoming', 'zhangpeng', 'pandongliang', 'wangli', 'config_admin'];

describe('authorization matrix', () => {
  let s: TestServer;
  let w: World;
  beforeAll(async () => {
    s = await startTestServer();
    w = await discover(s, ROOT_ADMIN, LOGINS, 'pdl_admin');
  }, 120_000);
  afterAll(async () => { await s?.stop(); });

  const who = (username: string): Who => w.principals.find((p) => p.username === username)!;
  const nodeOf = (username: string) => w.model.paths(who(username), 'grant')[0].split('/').at(-2)!;
  const roleWith = (test: (r: { permissions: string[]; self?: string; scope?: string }) => boolean) => Object.entries(w.model.roles).find(([, r]) => test(r))![0];

  it('has a rule for every route of the HTTP app, and none for a route that is gone', () => {
    const listed = new Set(createHttpApp(s.engine).routes.map((r) => `${r.method} ${r.path}`));
    const missing = [...listed].filter((k) => !Object.hasOwn(routeTable, k) && !Object.hasOwn(middleware, k));
    const gone = [...Object.keys(routeTable), ...Object.keys(middleware)].filter((k) => !listed.has(k));
    const message = `routes without a rule in test/helpers/authz-rules.ts: ${missing.join(', ') || 'none'}; rules for routes that no longer exist: ${gone.join(', ') || 'none'}`;
    expect({ missing, gone }, message).toEqual({ missing: [], gone: [] });
  });

  it('answers every principal × route × target as the rules say', async () => {
    const cells = buildCells(w);
    // Every route is tried, by every principal, in and out of scope where the route has a target.
    for (const route of Object.keys(routeTable)) expect(cells.some((c) => c.route === route), route).toBe(true);
    for (const scope of ['in', 'out']) expect(cells.filter((c) => c.target.scope === scope).length).toBeGreaterThan(100);
    const outcomes = await runAll(w, cells);
    const failed = outcomes.filter((o) => o.problem);
    expect(failed.length, report(outcomes)).toBe(0);
  }, 120_000);

  describe('escalation paths (after the matrix: they change grants)', () => {
    it('a subtree admin cannot make themselves config admin, and config held below the root passes no config check', async () => {
      const config = roleWith((r) => r.permissions.includes('config'));
      const pdl = who('pdl_admin').client;
      const grant = await pdl.post('/api/grants', { node: nodeOf('pdl_admin'), role: config, username: 'pdl_admin' });
      expect(grant.status, JSON.stringify(grant.body)).toBe(403);
      // A stale version: refused for permission (403) before the version is looked at (409).
      const { table, body } = w.codeTable;
      expect((await pdl.put(`/api/codes/${table}`, body, 999999)).status).toBe(403);
      expect((await pdl.get('/api/config/status')).status).toBe(403);

      // A grant of config below the root (an older database's) gives nothing.
      const ft = who('ft_admin').client;
      const account = (await s.engine.storage.accounts.byName(s.engine.storage.db, 'ft_admin'))!;
      await s.engine.storage.unitOfWork.transaction(s.engine.storage.db, (tx) => s.engine.storage.grants.add(tx, account.id, config, nodeOf('ft_admin')));
      expect((await ft.put(`/api/codes/${table}`, body, 999999)).status).toBe(403);
      expect((await ft.get(`/api/codes/${table}/usage`)).status).toBe(403);
      expect((await ft.get('/api/config/status')).status).toBe(403);
    });

    it('a branch admin cannot take over a superior\'s account', async () => {
      const admin = roleWith((r) => r.permissions.includes('grant'));
      const district = nodeOf('ft_admin');
      const root = who(ROOT_ADMIN).client;
      const granted = await root.post('/api/grants', { node: district, role: admin, username: 'pandongliang' });
      expect(granted.status, JSON.stringify(granted.body)).toBe(201);
      const pdl = who('pdl_admin').client;
      for (const action of ['password', 'lock']) {
        const res = await pdl.post(`/api/accounts/pandongliang/${action}`);
        // Refused: 403, or 404 (he already sees the person, so the 404 tells him nothing new); never 200.
        expect([403, 404], `${action}: ${res.status} ${JSON.stringify(res.body)}`).toContain(res.status);
      }
      // The demo password still opens the account: nothing was reset or locked.
      const him = await s.login('pandongliang');
      expect((await him.get('/api/me')).body.grants.some((g: { node: string }) => g.node === district)).toBe(true);
    });

    it('a role is granted only to an account the granter keeps, or to oneself inside one\'s grant', async () => {
      // A read-only role the node offers (roles fit node kinds).
      const readOnlyOn = async (client: Client, node: string) => {
        const offered = (await client.get(`/api/grants?node=${node}`)).body.roles.map((r: { role: string }) => r.role);
        return offered.find((role: string) => w.model.roles[role].permissions.join() === 'read')!;
      };
      const tnl = who('tnl_admin');
      const stranger = w.accounts.find((a) => a.self && !w.model.keeps(tnl, a))!;
      const refused = await tnl.client.post('/api/grants', { node: nodeOf('tnl_admin'), role: await readOnlyOn(tnl.client, nodeOf('tnl_admin')), username: stranger.username });
      expect(refused.status, `${stranger.username}: ${JSON.stringify(refused.body)}`).toBe(403);

      const ft = who('ft_admin');
      const kept = w.accounts.find((a) => a.self && w.model.keeps(ft, a))!;
      const node = w.byId.get(kept.self!)!.node!;
      const allowed = await ft.client.post('/api/grants', { node, role: await readOnlyOn(ft.client, node), username: kept.username });
      expect(allowed.status, `${kept.username}: ${JSON.stringify(allowed.body)}`).toBe(201);

      const pdl = who('pdl_admin').client;
      const self = await pdl.post('/api/grants', { node: nodeOf('pdl_admin'), role: await readOnlyOn(pdl, nodeOf('pdl_admin')), username: 'pdl_admin' });
      expect(self.status, JSON.stringify(self.body)).toBe(201);
    });
  });
});
