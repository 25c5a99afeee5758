import { describe, it, expect } from 'vitest';
import { fullYears, useNoneBandsApp } from '../helpers/date-bands.js';

/**
 * 查询's condition on the years since a date follows the field's x-dateBands, as 统计 does: the
 * fields answer names it 年龄 on a birth date and 距今年数 on another date, and offers it not at all
 * where the years mean nothing (a copy of the app whose 失联日期 says "none"); the API refuses it
 * there with a Chinese 4xx naming the field. The spec is unchanged: a condition written as before
 * still selects the same records, and its messages use the field's own word.
 */
describe('query conditions on the years since a date', () => {
  const app = useNoneBandsApp();
  const at = '2024-07-01';
  const query = (where: unknown) => app.admin.post('/api/query/member', { node: app.root, where, limit: 500 });

  it('the fields answer names the condition by the field’s bands and leaves it out for "none"', async () => {
    const res = await app.admin.get('/api/query/member/fields');
    expect(res.status).toBe(200);
    const op = res.body.operators.find((o: any) => o.op === 'age');
    expect(op.bands).toEqual({ age: '年龄', elapsed: '距今年数' });
    const field = (n: string) => res.body.fields.find((f: any) => f.name === n);
    // What a client offers: the operator where the field's bands have a name for it, under that name.
    const offered = (f: any) => (f.kind === 'date' && op.bands[f.bands] ? op.bands[f.bands] : undefined);
    expect([offered(field('birthDate')), offered(field('joinDate')), offered(field('lostDate'))]).toEqual(['年龄', '距今年数', undefined]);
  });

  it('入党日期 距今年数 ≥ 30 selects what it did, and its messages say 距今年数, not 年龄', async () => {
    const res = await query({ field: 'joinDate', op: 'age', at, min: 30 });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    const want = app.members.filter((r) => r.data.joinDate && fullYears(r.data.joinDate, at) >= 30).map((r) => r.id).sort();
    expect(want.length).toBeGreaterThan(0);
    expect(res.body.items.map((r: any) => r.id).sort()).toEqual(want);
    const empty = await query({ field: 'joinDate', op: 'age', at });
    expect(empty.status).toBe(422);
    expect(empty.body.error.message).toContain('「入党日期」请填写距今年数范围');
    expect(empty.body.error.message).not.toContain('年龄');
    const birth = await query({ field: 'birthDate', op: 'age', at, min: 5, max: 2 });
    expect(birth.body.error.message).toContain('「出生日期」的年龄上限小于下限');
  });

  it('失联日期 ("none") is refused the condition, naming the field; nothing else about it changes', async () => {
    const res = await query({ field: 'lostDate', op: 'age', at, min: 1 });
    expect(res.status).toBeGreaterThanOrEqual(400);
    expect(res.status).toBeLessThan(500);
    expect(res.body.error.message).toContain('「失联日期」不计算距今年数');
    expect(res.body.error.details).toEqual([{ path: '/where/op', message: expect.stringContaining('失联日期') }]);
    expect((await query({ field: 'lostDate', op: 'between', from: '2000-01-01' })).status).toBe(200);
  });
});
