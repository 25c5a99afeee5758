import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { startTestServer, type TestServer } from '../helpers/server.js';
import type { Client } from '../helpers/client.js';
import { nodeId } from '../helpers/demo.js';
import { copyApp } from '../helpers/app-copy.js';

/**
 * The two ways an outside attack found for a lower admin to become more than their grant, and the
 * grant model that closes them: a global role (config) is granted only on the root by a root admin
 * and counts nowhere else; an account is kept (reset, lock, granted more) only by someone standing
 * strictly above every role it holds.
 */
describe('privilege escalation through grants and kept accounts', () => {
  let s: TestServer;
  let appDir: string;
  let bj: Client;
  let pdl: Client;
  let root: string;
  let branch: string;
  let fengtai: string;

  const titleTable = () => readFileSync(join(appDir, 'forms/codes/title.json'), 'utf8');
  const editTitle = async (client: Client) => {
    const t = (await client.get('/api/codes/title')).body;
    return client.put('/api/codes/title', { ...t, codes: t.codes.map((c: any, i: number) => (i === 0 ? { ...c, label: `${c.label}（被改）` } : c)) }, t.version);
  };

  beforeAll(async () => {
    appDir = copyApp();
    s = await startTestServer(appDir);
    bj = await s.login('bj_admin');
    pdl = await s.login('pdl_admin');
    root = await nodeId(bj, '中共北京市委');
    branch = await nodeId(pdl, '潘东亮支部乙');
    fengtai = await nodeId(bj, '丰台区委');
  });
  afterAll(async () => { await s.stop(); });

  it('a branch admin cannot make themselves config admin, and the province-wide code table stays', async () => {
    const before = titleTable();
    const grant = await pdl.post('/api/grants', { node: branch, role: 'config', username: 'pdl_admin' });
    expect(grant.status).toBe(403);
    expect(grant.body.error.message).toContain('配置管理员');
    expect(grant.body.error.message).toContain('根节点');
    expect((await editTitle(pdl)).status).toBe(403);
    expect(titleTable()).toBe(before);
    // Nor for anybody else, nor on their own node by naming another account.
    expect((await pdl.post('/api/grants', { node: branch, role: 'config', username: 'pandongliang' })).status).toBe(403);
    // The panel does not offer it below the root, nor to a subtree admin at all.
    expect((await pdl.get(`/api/grants?node=${branch}`)).body.roles.map((r: any) => r.role)).not.toContain('config');
    expect((await bj.get(`/api/grants?node=${fengtai}`)).body.roles.map((r: any) => r.role)).not.toContain('config');
    expect((await bj.get(`/api/grants?node=${root}`)).body.roles.map((r: any) => r.role)).toContain('config');
  });

  it('a config grant on a lower node (an older database) passes no config check', async () => {
    // Planted past the grants API (which refuses it), as an older version could have stored it.
    const { accounts, grants, unitOfWork, db } = s.engine.storage;
    const account = (await accounts.byName(db, 'pdl_admin'))!;
    await unitOfWork.transaction(db, (tx) => accounts.grant(tx, account.id, 'config', branch));
    const again = await s.login('pdl_admin');
    expect((await editTitle(again)).status).toBe(403);
    expect((await again.get('/api/config/status')).status).toBe(403);
    // The UI is told so (it offers no code-table editing): the grant is listed, not in force.
    expect((await again.get('/api/me')).body.grants.map((g: any) => [g.role, g.inForce])).toEqual([['admin', true], ['config', false]]);
    expect(await unitOfWork.transaction(db, (tx) => grants.remove(tx, account.id, 'config', branch))).toBe(true);
  });

  it('a root admin grants config only on the root; its holder then edits code tables, and only a root admin revokes it', async () => {
    const below = await bj.post('/api/grants', { node: fengtai, role: 'config', username: 'ft_admin' });
    expect(below.status).toBe(422);
    expect(below.body.error.details[0]).toMatchObject({ path: '/role' });
    expect(below.body.error.message).toContain('只能在根节点授予');
    expect((await bj.post('/api/grants', { node: root, role: 'config', username: 'ft_admin' })).status).toBe(201);
    const ft = await s.login('ft_admin');
    expect((await editTitle(ft)).status).toBe(200);
    // Its holder reads the tree (the role's read), but only a root admin takes a global role away.
    expect((await ft.request('DELETE', `/api/grants?node=${root}&role=config&username=ft_admin`)).status).toBe(403);
    expect((await bj.request('DELETE', `/api/grants?node=${root}&role=config&username=ft_admin`)).status).toBe(200);
    expect((await editTitle(await s.login('ft_admin'))).status).toBe(403);
  });

  it('a branch admin cannot take over an account that holds a role above the branch', async () => {
    // 潘东亮's record lies in 潘东亮支部乙; the city admin makes him admin of 丰台区委.
    expect((await bj.post('/api/grants', { node: fengtai, role: 'admin', username: 'pandongliang' })).status).toBe(201);
    // His branch's admin no longer keeps his account: no reset, no lock, no grant.
    const reset = await pdl.post('/api/accounts/pandongliang/password');
    expect(reset.status).toBe(404);
    expect((await pdl.post('/api/accounts/pandongliang/lock')).status).toBe(404);
    expect((await pdl.post('/api/grants', { node: branch, role: 'secretary', username: 'pandongliang' })).status).toBe(403);
    // He logs in with his own password as before; nobody below him got it.
    const pan = await s.login('pandongliang');
    expect((await pan.post('/api/accounts/tnl_admin/lock')).status).toBe(200); // he is 丰台区委's admin now
    expect((await pan.post('/api/accounts/tnl_admin/unlock')).status).toBe(200);
    // The district's own admin is his peer there: no keeping either way.
    const ft = await s.login('ft_admin');
    expect((await ft.post('/api/accounts/pandongliang/password')).status).toBe(404);
    expect((await pan.post('/api/accounts/ft_admin/password')).status).toBe(404);
    // Only the city admin, strictly above every role he holds, keeps the account.
    expect((await bj.post('/api/accounts/pandongliang/password')).status).toBe(200);
    expect((await bj.request('DELETE', `/api/grants?node=${fengtai}&role=admin&username=pandongliang`)).status).toBe(200);
  });

  it('a role is granted only to an account the granter keeps; a self-grant stays inside the own grant', async () => {
    // 潘东亮's record lies outside 丰台区委: its admin does not keep him and cannot hand him a role.
    const ft = await s.login('ft_admin');
    const lugouqiao = await nodeId(ft, '中共丰台区卢沟桥街道工委');
    const foreign = await ft.post('/api/grants', { node: lugouqiao, role: 'committeeSecretary', username: 'pandongliang' });
    expect(foreign.status).toBe(403);
    expect(foreign.body.error.message).toContain('不归您管理');
    // Nor to a superior's or a peer's account.
    expect((await pdl.post('/api/grants', { node: branch, role: 'admin', username: 'tnl_admin' })).status).toBe(403);
    expect((await ft.post('/api/grants', { node: lugouqiao, role: 'admin', username: 'bj_admin' })).status).toBe(403);
    // The keeper may: 潘东亮's branch admin makes him the branch's secretary …
    expect((await pdl.post('/api/grants', { node: branch, role: 'secretary', username: 'pandongliang' })).status).toBe(201);
    // … and a self-grant inside one's own grant is allowed (it adds nothing the granter lacks).
    expect((await pdl.post('/api/grants', { node: branch, role: 'committee', username: 'pdl_admin' })).status).toBe(201);
    const grants = (await pdl.get(`/api/grants?node=${branch}`)).body.items.map((g: any) => `${g.username}:${g.role}`);
    expect(grants).toEqual(expect.arrayContaining(['pandongliang:secretary', 'pdl_admin:committee']));
  });
});
