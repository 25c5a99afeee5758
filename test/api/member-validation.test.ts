import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { startTestServer, type TestServer } from '../helpers/server.js';
import type { Client } from '../helpers/client.js';
import { memberData, nodeId } from '../helpers/demo.js';

/** Every validation rule of the member form, through the real server: bad input → 422, nothing stored. */
describe('member validation (forms/member.schema.json)', () => {
  let s: TestServer;
  let admin: Client;
  let org: string;
  const count = async () => (await admin.get(`/api/records/member?node=${org}`)).body.total as number;

  beforeAll(async () => {
    s = await startTestServer();
    admin = await s.login('pdl_admin');
    org = await nodeId(admin, '潘东亮支部乙');
  });
  afterAll(async () => { await s.stop(); });

  /** Posts a member that must be refused; returns "path message" lines and checks nothing was stored. */
  async function refused(overrides: Record<string, unknown>): Promise<string[]> {
    const before = await count();
    const res = await admin.post('/api/records/member', memberData(org, overrides));
    expect(res.status).toBe(422);
    expect(res.body.error.code).toBe('invalid');
    expect(await count()).toBe(before);
    return res.body.error.details.map((d: { path: string; message: string }) => `${d.path} ${d.message}`);
  }

  it('accepts a complete, valid member and marks it complete', async () => {
    const res = await admin.post('/api/records/member', memberData(org));
    expect(res.status).toBe(201);
    expect(res.body.complete).toBe(true);
    expect(res.headers.get('etag')).toBe('"1"');
  });

  it('saves a draft with only the required items, marked incomplete', async () => {
    const res = await admin.post('/api/records/member', { orgId: org, name: '草稿党员' });
    expect(res.status).toBe(201);
    expect(res.body.complete).toBe(false);
    const check = await admin.post('/api/forms/member/validate', { data: res.body.data });
    expect(check.body.valid).toBe(true);
    const missing = check.body.incomplete.map((e: any) => e.path);
    for (const f of ['/gender', '/nation', '/birthDate', '/memberType', '/joinDate', '/idNumber', '/jobPosition', '/education', '/mobile', '/membershipStatus', '/address', '/lost', '/floating']) {
      expect(missing).toContain(f);
    }
  });

  it('requires 姓名 and 所在支部', async () => {
    expect(await refused({ name: undefined })).toContain('/name 「姓名」为必填项');
    const res = await admin.post('/api/records/member', { name: '无支部' });
    expect(res.status).toBe(422);
    expect(res.body.error.details[0].path).toBe('/orgId');
  });

  it('党员类型 only 中共党员 / 预备党员', async () => {
    const lines = await refused({ memberType: '3' });
    expect(lines.some((l) => l.startsWith('/memberType 「党员类型」的代码“3”不在代码表中'))).toBe(true);
  });

  it('失联 requires 失联日期, 流动 requires 外出流向', async () => {
    expect(await refused({ lost: true })).toContain('/lostDate 「失联日期」为必填项');
    expect(await refused({ floating: true })).toContain('/floatDestination 「外出流向」为必填项');
    const ok = await admin.post('/api/records/member', memberData(org, { lost: true, lostDate: '2020-01-01', floating: true, floatDestination: '广东省深圳市' }));
    expect(ok.status).toBe(201);
    expect(ok.body.complete).toBe(true);
  });

  it('a 预备党员 has no 转正日期; a 预备党员 without it is complete', async () => {
    const lines = await refused({ memberType: '2' });
    expect(lines.find((l) => l.startsWith('/regularDate'))).toMatch(/「转正日期」应为空/);
    const ok = await admin.post('/api/records/member', memberData(org, { memberType: '2', regularDate: undefined, joinDate: '2025-01-01' }));
    expect(ok.status).toBe(201);
    expect(ok.body.complete).toBe(true);
  });

  it('入党日期 before 转正日期; 18 or older at 入党日期', async () => {
    expect(await refused({ joinDate: '2012-01-01', regularDate: '2011-01-01' })).toContain('/regularDate 「转正日期」应晚于「入党日期」');
    const young = await refused({ birthDate: '1995-06-01', joinDate: '2013-05-31', regularDate: '2014-06-01' });
    expect(young.find((l) => l.startsWith('/joinDate'))).toMatch(/年满18周岁/);
    const exactly18 = await admin.post('/api/records/member', memberData(org, { birthDate: '1995-06-01', joinDate: '2013-06-01', regularDate: '2014-06-01' }));
    expect(exactly18.status).toBe(201);
  });

  it('身份证号码 checksum, and agreement with 出生日期 and 性别', async () => {
    expect(await refused({ idNumber: '123321198805059999' })).toContain('/idNumber 「身份证号码」校验码错误');
    const good = memberData(org);
    const otherDate = await refused({ idNumber: good.idNumber, birthDate: '1970-01-01' });
    expect(otherDate.find((l) => l.startsWith('/birthDate'))).toMatch(/与「身份证号码」中的出生日期（.+）不一致/);
    const otherSex = await refused({ idNumber: good.idNumber, birthDate: good.birthDate, gender: '2' });
    expect(otherSex).toContain('/gender 「性别」与「身份证号码」的性别位不一致');
  });

  it('phone numbers and dates', async () => {
    expect((await refused({ mobile: '1380013800' }))[0]).toMatch(/^\/mobile 「手机号码」/);
    expect((await refused({ phone: '12345' }))[0]).toMatch(/^\/phone 「固定电话」/);
    expect((await refused({ joinDate: '2010-02-30' })).some((l) => l.startsWith('/joinDate 「入党日期」'))).toBe(true);
    const future = new Date(Date.now() + 40 * 86400_000).toISOString().slice(0, 10);
    expect(await refused({ regularDate: future })).toContain('/regularDate 「转正日期」不能晚于今天');
  });

  it('a deprecated 工作岗位 is refused on new input with its replacements, kept on a stored record', async () => {
    const lines = await refused({ jobPosition: '011' });
    const msg = lines.find((l) => l.startsWith('/jobPosition'))!;
    expect(msg).toMatch(/已停用，请改选：/);
    expect(msg).toContain('0111');
    // 潘东亮 was carried over from the old system with 011: other edits still save.
    const pdl = (await admin.get(`/api/records/member?node=${org}&q=潘东亮`)).body.items[0];
    expect(pdl.data.jobPosition).toBe('011');
    expect(pdl.complete).toBe(false);
    const edit = await admin.put(`/api/records/member/${pdl.id}`, { ...pdl.data, address: '北京市朝阳区新地址1号' }, pdl.version);
    expect(edit.status).toBe(200);
    expect(edit.body.data.jobPosition).toBe('011');
    const form = await admin.get('/api/forms/member');
    expect(form.body.schema.properties.jobPosition['x-codes'].find((c: any) => c.code === '011').deprecated).toBeTruthy();
  });

  it('names each field by its Chinese title and JSON path; wrong types are 422 not 500', async () => {
    const res = await admin.post('/api/records/member', { orgId: org, name: 42, lost: 'yes' });
    expect(res.status).toBe(422);
    const lines = res.body.error.details.map((d: any) => `${d.path} ${d.message}`);
    expect(lines).toContain('/name 「姓名」应为文本');
    expect(lines).toContain('/lost 「是否为失联党员」应为是或否');
    expect((await admin.post('/api/records/member', [1, 2])).status).toBe(422);
    expect(await refused({ salary: 5000 })).toContain('/salary 「salary」不是本表单的字段');
    const broken = await admin.post('/api/records/member', '{"name": ', { 'content-type': 'application/json' });
    expect(broken.status).toBe(400);
    expect(broken.body.error.message).toMatch(/JSON/);
  });
});
