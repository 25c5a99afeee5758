/**
 * A code held only inside child-table rows is seen by the config admin's features as a field's is:
 * 与该人关系 (family-relation) is used by a column of 家庭主要成员及社会关系 alone. The usage count
 * counts the member once however many rows hold the code, a removal is refused naming the table and
 * column, 需重新录入 lists the member with the rows, and the bulk replacement rewrites those rows
 * with an audit entry of the changed rows. Real server (SQLite, and PostgreSQL in CI).
 */
import { describe, it, expect, beforeAll } from 'vitest';
import { useDemoAdmins } from '../helpers/demo-admins.js';
import { memberData, nodeId } from '../helpers/demo.js';

const CODE = '86'; // 舅母
const TARGET = '88'; // 姨母
const KEPT = '87'; // 姨夫: stays in a row, its removal refused
const PLACE = '「家庭主要成员及社会关系」「与该人关系」';

describe('codes inside child-table rows: usage, 需重新录入 and bulk replacement', () => {
  const w = useDemoAdmins();

  const usage = async () => {
    const res = await w.cfg.get('/api/codes/family-relation/usage');
    expect(res.status).toBe(200);
    return res.body as { items: any[]; totals: { code: string; count: number }[] };
  };
  const total = (u: { totals: { code: string; count: number }[] }, code: string) => u.totals.find((t) => t.code === code)?.count ?? 0;
  const table = async () => (await w.cfg.get('/api/codes/family-relation')).body;
  const WHERE = '「家庭主要成员及社会关系」第1、3行「与该人关系」';
  const family = [{ name: '甲舅母', relation: CODE }, { name: '乙姨夫', relation: KEPT }, { name: '丙舅母', relation: CODE }];

  /** The members any of whose rows holds `code`, read past the features under test. */
  const holding = async (code: string) => {
    const all = await w.s.engine.storage.records.page(w.s.engine.storage.db, { collection: 'member' }, 500);
    expect(all.nextCursor).toBeNull();
    return all.items.filter((m) => Array.isArray(m.data.family) && m.data.family.some((r: any) => r?.relation === code)).map((m) => m.id);
  };

  /** The member holding the code in rows 1 and 3 (the demo holds it nowhere: asserted), and the code then deprecated. */
  let org: string;
  let member: { id: string; version: number; data: Record<string, any> };
  beforeAll(async () => {
    expect(await holding(CODE)).toEqual([]);
    org = await nodeId(w.admin, '惠民党支部');
    const created = await w.admin.post('/api/records/member', memberData(org, { family }));
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    member = created.body;
    const t = await table();
    const deprecated = await w.cfg.put('/api/codes/family-relation', {
      ...t, codes: t.codes.map((c: any) => (c.code === CODE ? { ...c, deprecated: '2026-01-01', replacedBy: [TARGET] } : c)),
    }, t.version);
    expect(deprecated.status, JSON.stringify(deprecated.body)).toBe(200);
  });

  it('the usage count counts the member once, though two rows hold the code; per place the table\'s column', async () => {
    const used = await usage();
    expect(used.items).toContainEqual({ collection: 'member', table: 'family', tableTitle: '家庭主要成员及社会关系', field: 'relation', title: '与该人关系', place: PLACE, code: CODE, count: 1 });
    expect(total(used, CODE)).toBe(1);
  });

  it('需重新录入 lists the member under the table\'s column, with the rows holding the code', async () => {
    const report = await w.admin.get(`/api/reports/deprecated-codes?node=${w.root}`);
    expect(report.status).toBe(200);
    const group = report.body.groups.find((g: any) => g.table === 'family-relation' && g.code === CODE);
    expect(group).toMatchObject({ collection: 'member', childTable: 'family', childTableTitle: '家庭主要成员及社会关系', field: 'relation', fieldTitle: '与该人关系', place: PLACE, count: 1 });
    expect(group.records).toEqual([{ id: member.id, title: member.data.name, node: org, where: WHERE, rows: [1, 3] }]);
  });

  it('the bulk replacement rewrites the rows (a dry run first), audited as changed rows', async () => {
    const dry = await w.admin.post('/api/codes/family-relation/replace', { code: CODE, node: w.root, dryRun: true });
    expect(dry.status, JSON.stringify(dry.body)).toBe(200);
    expect(dry.body.records).toEqual([{ id: member.id, collection: 'member', title: member.data.name, where: [WHERE] }]);
    expect((await w.admin.get(`/api/records/member/${member.id}`)).body.data.family).toEqual(family);

    const run = await w.admin.post('/api/codes/family-relation/replace', { code: CODE, node: w.root, dryRun: false });
    expect(run.status, JSON.stringify(run.body)).toBe(200);
    expect(run.body.count).toBe(1);
    const after = (await w.admin.get(`/api/records/member/${member.id}`)).body;
    expect(after.data.family).toEqual([{ ...family[0], relation: TARGET }, family[1], { ...family[2], relation: TARGET }]);
    expect(after.version).toBe(member.version + 1);
    const last = (await w.admin.get(`/api/records/member/${member.id}/history`)).body.items.at(-1);
    expect(last).toMatchObject({ action: 'update', actor: 'bj_admin' });
    expect(last.diff).toEqual({ family: { rows: [
      { row: 1, change: 'changed', cells: { relation: [CODE, TARGET] } },
      { row: 3, change: 'changed', cells: { relation: [CODE, TARGET] } },
    ] } });
    const again = await w.admin.get(`/api/reports/deprecated-codes?node=${w.root}`);
    expect(again.body.groups.find((g: any) => g.table === 'family-relation' && g.code === CODE)).toBeUndefined();
  });

  it('a code rows hold cannot be removed from its table: the refusal names the table and the column', async () => {
    const held = (await holding(KEPT)).length;
    expect(held).toBeGreaterThanOrEqual(1);
    const t = await table();
    const removed = await w.cfg.put('/api/codes/family-relation', { ...t, codes: t.codes.filter((c: any) => c.code !== KEPT) }, t.version);
    expect(removed.status).toBe(409);
    expect(removed.body.error.message).toContain(`代码“${KEPT}”仍被${held}条记录的${PLACE}使用`);
    expect((await table()).codes.map((c: any) => c.code)).toContain(KEPT);
  });
});
