import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { startTestServer, type TestServer } from '../helpers/server.js';
import type { Client } from '../helpers/client.js';
import { makeId, memberData, nodeId } from '../helpers/demo.js';
import { createAjv } from '../../engine/validation/ajv.js';
import { withTextRule } from '../../engine/validation/text-rule.js';
import { normalizeInput } from '../../engine/validation/transform.js';

/** A valid 身份证号码 ending in X, written with a lower-case x. */
function idWithX(from: number): { upper: string; lower: string; birthDate: string } {
  for (let seq = from; ; seq++) {
    const birthDate = `1985-0${1 + (seq % 9)}-1${seq % 9}`;
    const id = makeId(birthDate, true, seq + 200);
    if (id.endsWith('X')) return { upper: id, lower: id.slice(0, 17) + 'x', birthDate };
  }
}

/**
 * One rule for letters in identifier codes (issue 20, 4): a lower-case 信用代码 / 组织机构代码 /
 * 身份证号码 is taken as its upper-case form on every write path, and stored upper case.
 */
describe('identifier codes are normalised to upper case on input', () => {
  let s: TestServer;
  let lianhe: Client;
  let ft: Client;
  let lianheNode: string;
  let huimin: string;

  beforeAll(async () => {
    s = await startTestServer();
    lianhe = await s.login('lianhe_admin');
    ft = await s.login('ft_admin');
    lianheNode = await nodeId(lianhe, '太南里社区非公联合党支部');
    huimin = await nodeId(ft, '惠民党支部');
  });
  afterAll(async () => { await s.stop(); });

  it('the unit form (validate and save) takes a lower-case 信用代码 and stores it upper case, as 关联单位 and its lookup do', async () => {
    const list = await lianhe.get(`/api/records/unit?node=${lianheNode}`);
    const unit = list.body.items.find((u: any) => /[A-Z]/.test(u.data.creditCode ?? ''));
    expect(unit).toBeTruthy();
    const lower = unit.data.creditCode.toLowerCase();
    const check = await lianhe.post('/api/forms/unit/validate', { data: { ...unit.data, creditCode: lower } });
    expect(check.status).toBe(200);
    expect(check.body.errors).toEqual([]);
    const saved = await lianhe.put(`/api/records/unit/${unit.id}`, { ...unit.data, creditCode: lower, orgCode: unit.data.orgCode?.toLowerCase() }, unit.version);
    expect(saved.status, JSON.stringify(saved.body)).toBe(200);
    expect(saved.body.data.creditCode).toBe(unit.data.creditCode);
    expect((await lianhe.get(`/api/records/unit/${unit.id}`)).body.data.creditCode).toBe(unit.data.creditCode);
    // The lookup of the linking dialog takes it too.
    const hit = await lianhe.get(`/api/lookup/unit?creditCode=${lower}`);
    expect(hit.body).toMatchObject({ found: true, data: { creditCode: unit.data.creditCode } });
  });

  it('a member saved with a 身份证号码 ending in x is stored with X, and its key matches the upper-case form', async () => {
    const id = idWithX(1);
    const created = await ft.post('/api/records/member', memberData(huimin, { idNumber: id.lower, birthDate: id.birthDate }));
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    expect(created.body.data.idNumber).toBe(id.upper);
    const again = await ft.post('/api/records/member', memberData(huimin, { idNumber: id.upper, birthDate: id.birthDate }));
    expect(again.status).toBe(409);
    expect(again.body.error.code).toBe('duplicate');
  });

  it('bulk import: a lower-case x finds the stored member (an update, not a new row)', async () => {
    const id = idWithX(100);
    const created = await ft.post('/api/records/member', memberData(huimin, { idNumber: id.upper, birthDate: id.birthDate }));
    expect(created.status).toBe(201);
    const m = created.body;
    const csv = ['所在支部,姓名,身份证号码,家庭住址', `中共北京市丰台区太平桥街道太南里社区惠民支部委员会,${m.data.name},${id.lower},新地址1号`].join('\r\n');
    const res = await fetch(`${s.url}/api/import/member/preview?filename=x.csv`, {
      method: 'POST', body: csv, headers: { cookie: ft.cookie, 'x-csrf-token': ft.csrf, 'content-type': 'text/csv; charset=utf-8' },
    });
    const p = (await res.json()) as any;
    expect(res.status).toBe(200);
    expect(p.counts, JSON.stringify(p.rows)).toMatchObject({ new: 0, changed: 1, invalid: 0 });
    expect(p.rows[0]).toMatchObject({ id: m.id, changes: { address: [m.data.address, '新地址1号'] } });
  });

  it('a workflow payload field saying "x-transform": "upperCase" is normalised before it is checked; an unknown transform is a config error', () => {
    const payload = { type: 'object', properties: { code: { type: 'string', 'x-transform': 'upperCase', enum: ['AB1'] }, id: { type: 'string', format: 'gb11643' } } };
    const check = createAjv().compile(withTextRule(payload));
    const body: Record<string, unknown> = { code: 'ab1', id: idWithX(1).lower };
    expect(check(body)).toBe(true);
    expect(body.code).toBe('AB1');
    expect(String(body.id).endsWith('X')).toBe(true);
    expect(() => createAjv().compile({ type: 'string', 'x-transform': 'lowerCase' })).toThrow(/x-transform/);
    // The function the lookup and other callers use before validating gives the same values.
    expect(normalizeInput({ properties: payload.properties }, { code: 'ab1', other: 'x' })).toEqual({ code: 'AB1', other: 'x' });
  });
});
