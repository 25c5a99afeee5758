/**
 * 查询 over child tables: "any row where …" conditions on a table's columns (code hierarchy and
 * dates inside rows), "no rows" / "has rows", and bad row conditions refused at their place —
 * each checked against the same filter applied by hand to the records the user reads.
 */
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { startTestServer, type TestServer } from '../helpers/server.js';
import type { Client } from '../helpers/client.js';
import { nodeId } from '../helpers/demo.js';

describe('query conditions on child-table rows', () => {
  let s: TestServer;
  let admin: Client;
  let root: string;
  let all: any[];
  const expected = (pred: (rows: any[]) => boolean) => all.filter((r) => pred(r.data.family ?? [])).map((r) => r.id).sort();
  async function ids(where: unknown): Promise<string[]> {
    const res = await admin.post('/api/query/member', { node: root, where, limit: 500 });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    return res.body.items.map((r: any) => r.id).sort();
  }

  beforeAll(async () => {
    s = await startTestServer();
    admin = await s.login('bj_admin');
    root = await nodeId(admin, '中共北京市委');
    all = (await admin.get(`/api/records/member?node=${root}&deep=1&limit=500`)).body.items;
    expect(all.filter((r) => (r.data.family ?? []).length).length).toBeGreaterThanOrEqual(3);
  }, 60_000);
  afterAll(() => s?.stop());

  it('offers the table with its columns', async () => {
    const fields = (await admin.get('/api/query/member/fields')).body;
    const family = fields.fields.find((f: any) => f.name === 'family');
    expect(family).toMatchObject({ kind: 'table', title: '家庭主要成员及社会关系' });
    expect(family.columns.map((c: any) => c.name)).toEqual(expect.arrayContaining(['name', 'relation', 'birthDate']));
    expect(fields.operators.find((o: any) => o.op === 'anyRow')).toMatchObject({ title: '任一行满足', kinds: ['table'] });
  });

  it('any row where a code (with its sub-codes) and a date range hold in the same row', async () => {
    // 「配偶」(10) includes 夫 (11) and 妻 (12).
    const spouse = await ids({ field: 'family', op: 'anyRow', where: { field: 'relation', op: 'in', values: ['10'] } });
    expect(spouse).toEqual(expected((rows) => rows.some((r) => ['10', '11', '12'].includes(r.relation))));
    expect(spouse.length).toBeGreaterThan(0);
    const bornBefore1960 = { field: 'birthDate', op: 'between', to: '1959-12-31' };
    const both = await ids({ field: 'family', op: 'anyRow', where: { op: 'and', items: [{ field: 'relation', op: 'in', values: ['10'] }, bornBefore1960] } });
    expect(both).toEqual(expected((rows) => rows.some((r) => ['10', '11', '12'].includes(r.relation) && r.birthDate && r.birthDate <= '1959-12-31')));
    expect(await ids({ field: 'family', op: 'notEmpty' })).toEqual(expected((rows) => rows.length > 0));
    expect(await ids({ field: 'family', op: 'empty' })).toEqual(expected((rows) => rows.length === 0));
  });

  it('refuses a row condition naming no column of the table, at its place, naming the table', async () => {
    const res = await admin.post('/api/query/member', { node: root, where: { op: 'and', items: [{ field: 'family', op: 'anyRow', where: { field: 'nation', op: 'in', values: ['01'] } }] } });
    expect(res.status).toBe(422);
    expect(res.body.error.details[0]).toMatchObject({ path: '/where/items/0/where/field' });
    expect(res.body.error.details[0].message).toContain('「家庭主要成员及社会关系」的行');
    const wrongOp = await admin.post('/api/query/member', { node: root, where: { field: 'name', op: 'anyRow', where: { op: 'and', items: [] } } });
    expect(wrongOp.status).toBe(422);
    expect(wrongOp.body.error.details[0].path).toBe('/where/op');
  });
});
