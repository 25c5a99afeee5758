/**
 * Admins keep the accounts of the people in their subtree: open one bound to a member record with
 * a first password shown once, which must be replaced at the first login; reset a forgotten
 * password; lock and unlock. Through the real server and its database (SQLite or PostgreSQL).
 */
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { startTestServer, type TestServer } from '../helpers/server.js';
import { memberData, nodeId } from '../helpers/demo.js';
import type { Client } from '../helpers/client.js';

describe('accounts kept by admins', () => {
  let s: TestServer;
  let admin: Client;
  let huimin: string;
  beforeAll(async () => {
    s = await startTestServer();
    admin = await s.login('ft_admin');
    huimin = await nodeId(admin, '惠民党支部');
  });
  afterAll(async () => { await s.stop(); });

  const newMember = async () => (await admin.post('/api/records/member', memberData(huimin))).body as { id: string; data: Record<string, string> };
  // The stored account rows, read through the storage port (either adapter).
  const userRow = (username: string) => s.engine.storage.accounts.byName(s.engine.storage.db, username);
  const users = async () => (await s.engine.storage.accounts.all(s.engine.storage.db)).length;
  const history = async (id: string) => (await admin.get(`/api/records/member/${id}/history`)).body.items.map((h: any) => `${h.action} ${h.note ?? ''}`.trim());
  const loginAs = async (username: string, password: string) => {
    const c = s.anonymous();
    return { c, res: await c.post('/api/login', { username, password }) };
  };

  it('opens an account named by the record’s 身份证号码, with a first password shown once', async () => {
    const m = await newMember();
    const before = await admin.get(`/api/accounts?record=${m.id}`);
    expect(before.status).toBe(200);
    expect(before.body).toEqual({ account: null, proposedUsername: m.data.idNumber });

    const res = await admin.post('/api/accounts', { record: m.id });
    expect(res.status).toBe(201);
    expect(res.body.account).toMatchObject({ username: m.data.idNumber, displayName: m.data.name, locked: false, mustChangePassword: true });
    expect(res.body.password).toMatch(/^[A-HJKMNP-Za-hjkmnp-z2-9]{4}-[A-HJKMNP-Za-hjkmnp-z2-9]{4}-[A-HJKMNP-Za-hjkmnp-z2-9]{4}$/);
    const row = (await userRow(m.data.idNumber))!;
    expect(row.password_hash).toMatch(/^scrypt\$/);
    expect(row.password_hash).not.toContain(res.body.password);
    expect((await admin.get(`/api/accounts?record=${m.id}`)).body.account).toMatchObject({ username: m.data.idNumber, mustChangePassword: true });
    expect(await history(m.id)).toContain(`account-open 用户名 ${m.data.idNumber}`);
    // It logs in as that member: the self-service record is theirs.
    const { c, res: login } = await loginAs(m.data.idNumber, res.body.password);
    expect(login.status).toBe(200);
    expect(login.body).toMatchObject({ self: { collection: 'member', recordId: m.id }, mustChangePassword: true });
    expect(c.cookie).not.toBe('');
  });

  it('refuses bad requests with the field named in Chinese, and creates nothing', async () => {
    const m = await newMember();
    const taken = await newMember();
    await admin.post('/api/accounts', { record: taken.id });
    const n = await users();
    const cases: [unknown, string, string][] = [
      [{}, '/record', '「人员」为必填项'],
      [{ record: m.id, username: 'a b' }, '/username', '「用户名」须为2至64个字母、数字或 _ . @ -'],
      [{ record: m.id, username: '张三' }, '/username', '「用户名」须为2至64个字母、数字或 _ . @ -'],
      [{ record: m.id, username: 'ft_admin' }, '/username', '「用户名」“ft_admin”已被使用'],
      [{ record: taken.id }, '/record', '该人员已有账号'],
      [{ record: huimin }, '/record', '党组织不能开通账号'],
    ];
    for (const [body, path, message] of cases) {
      const res = await admin.post('/api/accounts', body);
      expect(res.status, message).toBe(422);
      expect(res.body.error.details).toEqual([{ path, message }]);
    }
    expect(await users()).toBe(n);
    // A username typed by the admin instead of the proposed one.
    const own = await admin.post('/api/accounts', { record: m.id, username: ' huimin.li ' });
    expect(own.status).toBe(201);
    expect(own.body.account.username).toBe('huimin.li');
  });

  it('only the admins of the record’s subtree keep its account', async () => {
    const m = await newMember();
    const outsider = await s.login('pdl_admin'); // 潘东亮支部乙: another subtree
    const secretary = await s.login('zhaoguoming'); // reads his own branch, may not grant
    const member = await s.login('zhaomin');
    for (const c of [outsider, member]) {
      expect((await c.get(`/api/accounts?record=${m.id}`)).status).toBe(404);
      expect((await c.post('/api/accounts', { record: m.id })).status).toBe(404);
    }
    const ownBranch = (await secretary.get('/api/self')).body.record.id as string;
    expect((await secretary.post('/api/accounts', { record: ownBranch })).status).toBe(403);
    expect((await s.anonymous().get(`/api/accounts?record=${m.id}`)).status).toBe(401);
    expect((await admin.post('/api/accounts', { record: m.id }, { 'x-csrf-token': 'forged' })).status).toBe(403);
    expect(await s.engine.storage.accounts.bySelfRecord(s.engine.storage.db, m.id)).toBeUndefined();
    // An admin's own superior's account is not theirs to keep, nor is their own.
    expect((await admin.post('/api/accounts/bj_admin/password')).status).toBe(404);
    expect((await admin.post('/api/accounts/bj_admin/lock')).status).toBe(404);
    expect((await admin.post('/api/accounts/ft_admin/password')).status).toBe(403);
  });

  it('an admin’s account (bound to no record) is kept from above: reset and lock by the admin of an enclosing subtree', async () => {
    const below = await s.login('tnl_admin'); // 太南里社区党委, inside 丰台区委
    expect((await below.post('/api/accounts/ft_admin/password')).status).toBe(404); // not upwards
    const reset = await admin.post('/api/accounts/tnl_admin/password');
    expect(reset.status).toBe(200);
    expect(reset.body.account).toMatchObject({ username: 'tnl_admin', mustChangePassword: true });
    expect((await below.get('/api/me')).status).toBe(401);
    const tnl = await nodeId(admin, '丰台区太平桥街道太南里社区党委');
    const nodeHistory = (await admin.get(`/api/records/organization/${tnl}/history`)).body.items.map((h: any) => `${h.action} ${h.note ?? ''}`.trim());
    expect(nodeHistory).toContain('account-reset 用户名 tnl_admin');
    // The grants list shows the holder's state and that this admin keeps the account.
    const grants = (await admin.get(`/api/grants?node=${tnl}`)).body.items;
    expect(grants.find((g: any) => g.username === 'tnl_admin')).toMatchObject({ kept: true, mustChangePassword: true, locked: false });
    expect((await admin.post('/api/accounts/tnl_admin/lock')).body.account.locked).toBe(true);
    expect((await loginAs('tnl_admin', reset.body.password)).res.status).toBe(403);
    expect((await admin.post('/api/accounts/tnl_admin/unlock')).status).toBe(200);
    const { c } = await loginAs('tnl_admin', reset.body.password);
    expect((await c.post('/api/me/password', { currentPassword: reset.body.password, newPassword: 'caiji-demo-2' })).status).toBe(200);
    // Seen from the node's own admin, their own account is not kept by them.
    expect((await c.get(`/api/grants?node=${tnl}`)).body.items.find((g: any) => g.username === 'tnl_admin').kept).toBe(false);
  });

  it('a first password opens nothing but the password change; then everything the account may do', async () => {
    const m = await newMember();
    const opened = await admin.post('/api/accounts', { record: m.id });
    const { c } = await loginAs(m.data.idNumber, opened.body.password);
    const refused = await c.get('/api/self');
    expect(refused.status).toBe(403);
    expect(refused.body.error).toMatchObject({ code: 'password_change_required', message: expect.stringContaining('请先修改初始密码') });
    expect((await c.get(`/api/records/member/${m.id}`)).status).toBe(403);
    expect((await c.get('/api/me')).body.mustChangePassword).toBe(true);

    expect((await c.post('/api/me/password', { currentPassword: opened.body.password, newPassword: '我自己设的新密码2026' })).status).toBe(200);
    expect((await c.get('/api/me')).body.mustChangePassword).toBe(false);
    expect((await c.get('/api/self')).status).toBe(200);
    expect((await userRow(m.data.idNumber))!.must_change_password).toBe(0);
    expect((await loginAs(m.data.idNumber, opened.body.password)).res.status).toBe(401);
  });

  it('reset: a new first password, the old one and every open session end', async () => {
    const m = await newMember();
    const opened = await admin.post('/api/accounts', { record: m.id });
    const { c } = await loginAs(m.data.idNumber, opened.body.password);
    await c.post('/api/me/password', { currentPassword: opened.body.password, newPassword: 'forgotten-later' });
    const hash = (await userRow(m.data.idNumber))!.password_hash;

    const reset = await admin.post(`/api/accounts/${m.data.idNumber}/password`);
    expect(reset.status).toBe(200);
    expect(reset.body.account.mustChangePassword).toBe(true);
    expect(reset.body.password).not.toBe(opened.body.password);
    expect((await userRow(m.data.idNumber))!.password_hash).not.toBe(hash);
    expect((await c.get('/api/me')).status).toBe(401);
    expect((await loginAs(m.data.idNumber, 'forgotten-later')).res.status).toBe(401);
    const again = await loginAs(m.data.idNumber, reset.body.password);
    expect(again.res.body.mustChangePassword).toBe(true);
    expect(await history(m.id)).toContain(`account-reset 用户名 ${m.data.idNumber}`);
    expect((await admin.post('/api/accounts/nobody-here/password')).status).toBe(404);
  });

  it('lock: sessions end, the right password is told the account is locked, a wrong one learns nothing; unlock', async () => {
    const m = await newMember();
    const opened = await admin.post('/api/accounts', { record: m.id });
    const { c } = await loginAs(m.data.idNumber, opened.body.password);
    expect((await c.get('/api/me')).status).toBe(200);

    const locked = await admin.post(`/api/accounts/${m.data.idNumber}/lock`);
    expect(locked.status).toBe(200);
    expect(locked.body.account.locked).toBe(true);
    expect((await c.get('/api/me')).status).toBe(401);
    const right = await loginAs(m.data.idNumber, opened.body.password);
    expect(right.res.status).toBe(403);
    expect(right.res.body.error).toMatchObject({ code: 'account_locked', message: '该账号已停用，请联系所在组织的管理员' });
    expect(right.c.cookie).toBe('');
    expect((await loginAs(m.data.idNumber, 'not-the-password')).res.status).toBe(401);
    // Locking twice changes nothing and is audited once.
    expect((await admin.post(`/api/accounts/${m.data.idNumber}/lock`)).status).toBe(200);
    expect((await history(m.id)).filter((h: string) => h.startsWith('account-lock'))).toHaveLength(1);

    const unlocked = await admin.post(`/api/accounts/${m.data.idNumber}/unlock`);
    expect(unlocked.body.account.locked).toBe(false);
    expect((await loginAs(m.data.idNumber, opened.body.password)).res.status).toBe(200);
    expect(await history(m.id)).toContain(`account-unlock 用户名 ${m.data.idNumber}`);
  });

  it('deleting a person’s record locks their account: no session outlives it, no login, the history says so', async () => {
    const m = await newMember();
    const opened = await admin.post('/api/accounts', { record: m.id });
    const { c } = await loginAs(m.data.idNumber, opened.body.password);
    expect((await c.get('/api/me')).status).toBe(200);
    // The person is the branch's secretary: the organization shows their name.
    expect((await admin.post('/api/grants', { node: huimin, role: 'secretary', record: m.id })).status).toBe(201);
    const org = async () => (await admin.get(`/api/records/organization/${huimin}`)).body.data;
    expect((await org()).secretary).toBe(m.data.name);
    expect((await admin.delete(`/api/records/member/${m.id}`)).status).toBe(204);
    // A deleted person is nobody's secretary any more.
    expect((await org()).secretary).toBeUndefined();
    const row = (await userRow(m.data.idNumber))!;
    expect(row.locked_at).not.toBeNull();
    // The open session ends (the principal cache holds it at most 2 s) and the password opens nothing.
    await new Promise((r) => setTimeout(r, 2100));
    expect((await c.get('/api/me')).status).toBe(401);
    expect((await loginAs(m.data.idNumber, opened.body.password)).res.body.error.code).toBe('account_locked');
    const audit = (await s.engine.storage.audit.forRecord(s.engine.storage.db, m.id)).entries.find((e) => e.action === 'delete');
    expect(audit!.note).toBe(`账号 ${m.data.idNumber} 已停用`);
  });

  it('batch: accounts for many at once, each with its own first password; one that cannot get one stops them all', async () => {
    const a = await newMember(), b = await newMember(), had = await newMember(), clash = await newMember();
    await admin.post('/api/accounts', { record: had.id });
    // Someone already uses the 身份证号码 of `clash` as a username (an account opened by hand).
    await admin.post('/api/accounts', { record: (await newMember()).id, username: clash.data.idNumber });
    const n = await users();
    const refused = await admin.post('/api/accounts/batch', { records: [a.id, clash.id, b.id] });
    expect(refused.status).toBe(422);
    expect(refused.body.error.message).toContain('有 1 人不能开通账号，本次未开通任何账号');
    expect(refused.body.error.details).toEqual([{ path: '/records/1', message: `${clash.data.name}：「用户名」“${clash.data.idNumber}”已被使用` }]);
    expect(await users()).toBe(n);

    const res = await admin.post('/api/accounts/batch', { records: [a.id, had.id, b.id, a.id] });
    expect(res.status).toBe(201);
    expect(res.body.created.map((x: any) => [x.record, x.name, x.username])).toEqual([[a.id, a.data.name, a.data.idNumber], [b.id, b.data.name, b.data.idNumber]]);
    expect(res.body.existing).toEqual([{ record: had.id, name: had.data.name, username: had.data.idNumber }]);
    const [pa, pb] = res.body.created.map((x: any) => x.password);
    expect(pa).not.toBe(pb);
    expect(await users()).toBe(n + 2);
    expect((await loginAs(a.data.idNumber, pa)).res.body.mustChangePassword).toBe(true);
    expect((await loginAs(b.data.idNumber, pb)).res.status).toBe(200);
    expect(await history(b.id)).toContain(`account-open 用户名 ${b.data.idNumber}`);

    // Again: nothing new to open.
    const again = await admin.post('/api/accounts/batch', { records: [a.id, b.id] });
    expect(again.status).toBe(200);
    expect(again.body.created).toEqual([]);
    expect(again.body.existing).toHaveLength(2);
  });

  it('batch: bad lists and records outside the subtree are refused whole', async () => {
    const mine = await newMember();
    const outsider = await s.login('pdl_admin');
    const n = await users();
    for (const records of [undefined, [], 'x', [1]]) {
      const res = await admin.post('/api/accounts/batch', { records });
      expect(res.status).toBe(422);
      expect(res.body.error.details).toEqual([{ path: '/records', message: '请选择要开通账号的人员' }]);
    }
    const tooMany = await admin.post('/api/accounts/batch', { records: Array.from({ length: 501 }, (_, i) => `r${i}`) });
    expect(tooMany.body.error.details[0].message).toBe('一次最多为500人开通账号');
    expect((await outsider.post('/api/accounts/batch', { records: [mine.id] })).status).toBe(404);
    expect((await admin.post('/api/accounts/batch', { records: [mine.id, 'no-such-record'] })).status).toBe(404);
    expect(await users()).toBe(n);
  });
});
