import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { readFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { startTestServer, type TestServer } from '../helpers/server.js';
import type { Client } from '../helpers/client.js';
import { nodeId } from '../helpers/demo.js';
import { vectorsDir } from '../helpers/paths.js';

const vectors = (name: string) => {
  const file = join(vectorsDir, name);
  if (!existsSync(file)) throw new Error(`identifier vectors missing: ${file} (test/fixtures/vectors)`);
  return JSON.parse(readFileSync(file, 'utf8')) as { valid: any[]; invalid: any[] };
};

/** Every identifier example of test/fixtures/vectors, judged by the real forms through the HTTP API. */
describe('identifier vectors through the API', () => {
  let s: TestServer;
  let admin: Client;
  let org: string;
  beforeAll(async () => {
    s = await startTestServer();
    admin = await s.login('pdl_admin');
    org = await nodeId(admin, '潘东亮支部乙');
  });
  afterAll(async () => { await s.stop(); });

  const check = (collection: string, data: Record<string, unknown>) => admin.post(`/api/forms/${collection}/validate`, { data });
  /**
   * The vectors leave lower case to the project ("reject unless the project normalises"): caiji
   * normalises identifiers to upper case on every path (x-transform via the formats), so a
   * lower-case value whose upper-case form is valid is accepted as that form.
   */
  const normalised = (v: { value: string; note?: string }) => v.value !== v.value.toUpperCase() && /unless the project normalises/.test(v.note ?? '');

  it('公民身份号码 (ric.json): valid ones agree with their birth date and sex; invalid ones are refused at /idNumber', async () => {
    const { valid, invalid } = vectors('ric.json');
    for (const v of valid) {
      const res = await check('member', { orgId: org, name: '甲', idNumber: v.value, birthDate: v.birth_date, gender: v.sex === '男' ? '1' : '2' });
      expect(res.body.errors, v.value).toEqual([]);
      const wrongSex = await check('member', { orgId: org, name: '甲', idNumber: v.value, gender: v.sex === '男' ? '2' : '1' });
      expect(wrongSex.body.errors.map((e: any) => e.path), v.value).toEqual(['/gender']);
    }
    for (const v of invalid) {
      const res = await check('member', { orgId: org, name: '甲', idNumber: v.value });
      expect(res.body.errors.map((e: any) => e.path), `${v.value} (${v.why})`).toEqual(['/idNumber']);
      expect(res.body.errors[0].message).toMatch(/^「身份证号码」/);
    }
  });

  it('统一社会信用代码 (uscc.json) and the 组织机构代码 it embeds', async () => {
    const { valid, invalid } = vectors('uscc.json');
    for (const v of valid) {
      const ok = await check('unit', { orgId: org, fullName: '某单位', creditCode: v.value, orgCode: v.org_code });
      expect(ok.body.errors, v.value).toEqual([]);
    }
    const v0 = valid[0];
    const mismatch = await check('unit', { orgId: org, fullName: '某单位', creditCode: v0.value, orgCode: valid[1].org_code });
    expect(mismatch.body.errors.map((e: any) => e.path)).toEqual(['/orgCode']);
    for (const v of invalid) {
      const res = await check('unit', { orgId: org, fullName: '某单位', creditCode: v.value });
      expect(res.body.errors.map((e: any) => e.path), `${v.value} (${v.why})`).toEqual(normalised(v) ? [] : ['/creditCode']);
    }
  });

  it('组织机构代码 (orgcode.json)', async () => {
    const { valid, invalid } = vectors('orgcode.json');
    for (const v of valid) expect((await check('unit', { orgId: org, fullName: '某单位', orgCode: v.value })).body.errors, v.value).toEqual([]);
    for (const v of invalid) {
      const res = await check('unit', { orgId: org, fullName: '某单位', orgCode: v.value });
      expect(res.body.errors.map((e: any) => e.path), `${v.value} (${v.why})`).toEqual(normalised(v) ? [] : ['/orgCode']);
    }
  });

  it('an invalid identifier is refused when a unit is linked, with nothing stored', async () => {
    const branch = await admin.post('/api/records/organization', { parentId: org, fullName: '中共某科技公司支部委员会', shortName: '某科技公司支部', category: '631', orgCode: '011100777001' });
    expect(branch.status).toBe(201);
    const before = (await admin.get(`/api/records/unit?node=${org}&deep=1`)).body.total;
    const res = await admin.post(`/api/records/organization/${branch.body.id}/events`, { type: 'LINK_UNIT', fullName: '北京某公司', creditCode: '91350211M0000XUF46' });
    expect(res.status).toBe(422);
    expect(res.body.error.details.map((d: any) => d.path)).toContain('/creditCode');
    expect((await admin.get(`/api/records/unit?node=${org}&deep=1`)).body.total).toBe(before);
    expect((await admin.get(`/api/records/organization/${branch.body.id}`)).body.state).toBe('unlinked');
    // Units are made by the linking workflow only: the plain record API refuses, naming where to go.
    const direct = await admin.post('/api/records/unit', { orgId: org, fullName: '北京某公司' });
    expect(direct.status).toBe(409);
    expect(direct.body.error.message).toMatch(/^单位不能直接新增：请在党组织信息页面通过【关联单位】添加/);
    expect((await admin.get(`/api/records/unit?node=${org}`)).body.total).toBe(before);
  });

  it('the 党组织编码 shape kept in config: 12 digits', async () => {
    const ok = await check('organization', { parentId: org, fullName: '中共某支部委员会', category: '631', orgCode: '011100073115' });
    expect(ok.body.errors).toEqual([]);
    for (const bad of ['01110007311', '0111000731155', '01110007311A']) {
      const res = await check('organization', { parentId: org, fullName: '中共某支部委员会', category: '631', orgCode: bad });
      expect(res.body.errors).toEqual([{ path: '/orgCode', message: '「党组织编码」应为12位数字' }]);
    }
  });
});
