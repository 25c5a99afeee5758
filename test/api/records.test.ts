import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { startTestServer, type TestServer } from '../helpers/server.js';
import type { Client } from '../helpers/client.js';
import { memberData, nodeId } from '../helpers/demo.js';
import { rawDb } from '../helpers/raw-db.js';

/** Unique keys, optimistic locking, audit log, delete and tree moves through the real server and its database (SQLite or PostgreSQL). */
describe('records: unique keys, versions, audit', () => {
  let s: TestServer;
  let admin: Client;
  let org: string;
  beforeAll(async () => {
    s = await startTestServer();
    admin = await s.login('ft_admin');
    org = await nodeId(admin, '惠民党支部');
  });
  afterAll(async () => { await s.stop(); });

  it('one 身份证号码 in the whole system, also across branches and on update', async () => {
    const a = await admin.post('/api/records/member', memberData(org));
    expect(a.status).toBe(201);
    const other = await nodeId(admin, '演示支部乙');
    const dup = await admin.post('/api/records/member', memberData(other, { idNumber: a.body.data.idNumber, birthDate: a.body.data.birthDate, gender: '1' }));
    expect(dup.status).toBe(409);
    expect(dup.body.error.code).toBe('duplicate');
    expect(dup.body.error.details[0].path).toBe('/idNumber');
    expect(dup.body.error.message).toMatch(/「身份证号码」“\d{17}[\dX]”已被另一条党员记录使用/);
    const b = await admin.post('/api/records/member', memberData(org));
    const steal = await admin.put(`/api/records/member/${b.body.id}`, { ...b.body.data, idNumber: a.body.data.idNumber, birthDate: a.body.data.birthDate }, 1);
    expect(steal.status).toBe(409);
    // The key is freed when the record changes it.
    const moved = memberData(org);
    const freed = await admin.put(`/api/records/member/${a.body.id}`, { ...a.body.data, idNumber: moved.idNumber, birthDate: moved.birthDate }, 1);
    expect(freed.status).toBe(200);
    const reuse = await admin.put(`/api/records/member/${b.body.id}`, { ...b.body.data, idNumber: a.body.data.idNumber, birthDate: a.body.data.birthDate }, 1);
    expect(reuse.status).toBe(200);
  });

  it('PUT needs If-Match; a stale version gets 409 with the current record, nothing written', async () => {
    const created = await admin.post('/api/records/member', memberData(org));
    const id = created.body.id;
    const noVersion = await admin.request('PUT', `/api/records/member/${id}`, created.body.data);
    expect(noVersion.status).toBe(428);
    const first = await admin.put(`/api/records/member/${id}`, { ...created.body.data, address: '第一次修改' }, 1);
    expect(first.status).toBe(200);
    expect(first.body.version).toBe(2);
    const stale = await admin.put(`/api/records/member/${id}`, { ...created.body.data, address: '过期的修改' }, 1);
    expect(stale.status).toBe(409);
    expect(stale.body.error.current.data.address).toBe('第一次修改');
    expect(stale.body.error.current.version).toBe(2);
    const now = await admin.get(`/api/records/member/${id}`);
    expect(now.body.data.address).toBe('第一次修改');
    expect(now.headers.get('etag')).toBe('"2"');
  });

  it('concurrent saves of one version: exactly one wins', async () => {
    const created = await admin.post('/api/records/member', memberData(org));
    const id = created.body.id;
    const results = await Promise.all(
      [1, 2, 3, 4, 5].map((i) => admin.put(`/api/records/member/${id}`, { ...created.body.data, address: `并发${i}` }, 1)),
    );
    expect(results.map((r) => r.status).sort()).toEqual([200, 409, 409, 409, 409]);
  });

  it('audit log: create, update with the field diff, delete; append-only in the database', async () => {
    const created = await admin.post('/api/records/member', memberData(org));
    const id = created.body.id;
    await admin.put(`/api/records/member/${id}`, { ...created.body.data, address: '新地址', mobile: '13900139000' }, 1);
    const history = await admin.get(`/api/records/member/${id}/history`);
    expect(history.body.items.map((e: any) => e.action)).toEqual(['create', 'update']);
    const upd = history.body.items[1];
    expect(upd.actor).toBe('ft_admin');
    // People read who did it by the account's display name; the username stays the key.
    expect(upd.actorName).toBe('丰台区委管理员');
    expect(upd.diff).toEqual({ address: ['北京市东城区测试路1号', '新地址'], mobile: ['13800138000', '13900139000'] });
    expect(new Date(upd.at).getTime()).toBeGreaterThan(Date.now() - 60_000);
    const del = await admin.delete(`/api/records/member/${id}`, { 'if-match': '"2"' });
    expect(del.status).toBe(204);
    expect((await admin.get(`/api/records/member/${id}`)).status).toBe(404);
    // The stored log (through the port): the delete is logged with the old data; and the database
    // itself refuses an edit of the log (past the port: its trigger).
    const rows = (await s.engine.storage.audit.forRecord(s.engine.storage.db, id)).entries;
    expect(rows.map((r) => r.action)).toEqual(['create', 'update', 'delete']);
    expect(rows[2].diff!.address).toEqual(['新地址', null]);
    const tamper = await rawDb(s).run('UPDATE audit SET actor = ? WHERE record_id = ?', ['x', id]).then(() => null, (e: Error) => e);
    expect(tamper?.message).toMatch(/append-only/);
    expect((await s.engine.storage.audit.forRecord(s.engine.storage.db, id)).entries.map((r) => r.actor)).toEqual(['ft_admin', 'ft_admin', 'ft_admin']);
  });

  it('a tree node with records cannot be deleted; an empty one can', async () => {
    const res = await admin.delete(`/api/records/organization/${org}`);
    expect(res.status).toBe(409);
    expect(res.body.error.message).toMatch(/下仍有下级或记录/);
    const child = await admin.post('/api/records/organization', { parentId: org, fullName: '中共临时支部委员会', shortName: '临时支部', category: '631', orgCode: '011100999001' });
    expect(child.status).toBe(201);
    expect((await admin.delete(`/api/records/organization/${child.body.id}`)).status).toBe(204);
  });

  it('moving a subtree moves its records: they stay visible under the new parent', async () => {
    const a = await admin.post('/api/records/organization', { parentId: org, fullName: '中共甲支部委员会', shortName: '甲支部', category: '631', orgCode: '011100999002' });
    const m = await admin.post('/api/records/member', memberData(a.body.id));
    const target = await nodeId(admin, '组织部党委');
    const moved = await admin.put(`/api/records/organization/${a.body.id}`, { ...a.body.data, parentId: target }, 1);
    expect(moved.status).toBe(200);
    const under = await admin.get(`/api/records/member?node=${target}&deep=1`);
    expect(under.body.items.map((r: any) => r.id)).toContain(m.body.id);
    const old = await admin.get(`/api/records/member?node=${org}&deep=1`);
    expect(old.body.items.map((r: any) => r.id)).not.toContain(m.body.id);
    const cycle = await admin.put(`/api/records/organization/${target}`, { ...(await admin.get(`/api/records/organization/${target}`)).body.data, parentId: a.body.id }, (await admin.get(`/api/records/organization/${target}`)).body.version);
    expect(cycle.status).toBe(422);
  });

  it('derived (x-readOnly) fields cannot be set or changed by a request', async () => {
    const bj = await s.login('bj_admin');
    const caihong = (await bj.get(`/api/records/organization?q=${encodeURIComponent('彩虹北社区第二支部')}`)).body.items[0];
    expect(caihong.data.secretary).toBe('赵国明');
    const res = await bj.put(`/api/records/organization/${caihong.id}`, { ...caihong.data, secretary: '冒名书记', contactPhone: '13000000000', shortName: '彩虹北二支部' }, caihong.version);
    expect(res.status).toBe(200);
    expect(res.body.data).toMatchObject({ secretary: '赵国明', contactPhone: caihong.data.contactPhone, shortName: '彩虹北二支部' });
    const created = await admin.post('/api/records/organization', { parentId: org, fullName: '中共只读测试支部委员会', shortName: '只读测试支部', category: '631', orgCode: '011100999004', secretary: '自封书记' });
    expect(created.status).toBe(201);
    expect(created.body.data.secretary).toBeUndefined();
  });

  it('lists page by cursor and search by text', async () => {
    const branch = await admin.post('/api/records/organization', { parentId: org, fullName: '中共分页支部委员会', shortName: '分页支部', category: '631', orgCode: '011100999003' });
    for (let i = 0; i < 7; i++) await admin.post('/api/records/member', memberData(branch.body.id, { name: `分页${i}` }));
    const seen: string[] = [];
    let cursor: string | null = '';
    do {
      const page: any = await admin.get(`/api/records/member?node=${branch.body.id}&limit=3${cursor ? `&cursor=${cursor}` : ''}`);
      expect(page.body.total).toBe(7);
      seen.push(...page.body.items.map((r: any) => r.data.name));
      cursor = page.body.nextCursor;
    } while (cursor);
    expect(seen).toEqual(['分页0', '分页1', '分页2', '分页3', '分页4', '分页5', '分页6']);
    const found = await admin.get(`/api/records/member?node=${branch.body.id}&q=${encodeURIComponent('分页5')}`);
    expect(found.body.items.map((r: any) => r.data.name)).toEqual(['分页5']);
    const wildcard = await admin.get(`/api/records/member?node=${branch.body.id}&q=%25`);
    expect(wildcard.body.total).toBe(0);
    expect((await admin.get('/api/records/member?limit=0')).status).toBe(400);
  });
});
