import { describe, it, expect, beforeAll } from 'vitest';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { copyApp } from '../helpers/app-copy.js';
import { editJson as edit, fullYears, useNoneBandsApp } from '../helpers/date-bands.js';
import { checkApp } from '../../engine/config/checks/index.js';

/**
 * 统计 by bands of the years since a date says what they are, as the schema's x-dateBands tells:
 * an age for a birth date (「出生日期（年龄，截至 …）」, 「40岁及以下」…), years elapsed for any
 * other date (「入党日期（距今年数，截至 …）」, 「不满5年」「5—9年」…), and no bands at all where
 * the config says they mean nothing (a copy of the app whose 失联日期 says "none"). The counts
 * agree with the list; the config check refuses the keyword off a date field or with an unknown value.
 */
describe('statistics by bands of years since a date', () => {
  const app = useNoneBandsApp();
  const stats = (body: unknown) => app.admin.post('/api/stats/member', body);
  const count = (pred: (d: any) => boolean) => app.members.filter((r) => pred(r.data)).length;
  const at = '2024-07-01';
  beforeAll(() => {
    expect(count((d) => !!d.joinDate)).toBeGreaterThan(5);
  });

  it('the fields answer tells each date field’s bands', async () => {
    const fields = (await app.admin.get('/api/query/member/fields')).body.fields;
    const bands = (name: string) => fields.find((f: any) => f.name === name).bands;
    expect([bands('birthDate'), bands('joinDate'), bands('regularDate'), bands('lostDate')]).toEqual(['age', 'elapsed', 'elapsed', 'none']);
    expect(fields.find((f: any) => f.name === 'family').columns.find((c: any) => c.name === 'birthDate').bands).toBe('age');
  });

  it('入党日期: years elapsed, not an age — title, default bands and counts', async () => {
    const res = await stats({ node: app.root, rows: { by: 'age', field: 'joinDate', at } });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body.rowTitle).toBe(`入党日期（距今年数，截至 ${at}）`);
    const labels = res.body.rows.map((r: any) => r.label);
    expect(labels.slice(0, 7)).toEqual(['不满5年', '5—9年', '10—19年', '20—29年', '30—39年', '40—49年', '50年及以上']);
    expect(labels.join()).not.toMatch(/岁|年龄/);
    const bands = [(y: number) => y < 5, (y: number) => y >= 5 && y <= 9, (y: number) => y >= 10 && y <= 19, (y: number) => y >= 20 && y <= 29,
      (y: number) => y >= 30 && y <= 39, (y: number) => y >= 40 && y <= 49, (y: number) => y >= 50];
    bands.forEach((inBand, i) => expect(res.body.cells[i][0], labels[i]).toBe(count((d) => !!d.joinDate && inBand(fullYears(d.joinDate, at)))));
    expect(res.body.total).toBe(app.members.length);
  });

  it('转正日期 with edges of its own: one-year bands named as such', async () => {
    const res = await stats({ node: app.root, rows: { by: 'age', field: 'regularDate', at, edges: [1, 2, 10] } });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body.rowTitle).toBe(`转正日期（距今年数，截至 ${at}）`);
    expect(res.body.rows.map((r: any) => r.label).slice(0, 4)).toEqual(['不满1年', '1年', '2—9年', '10年及以上']);
    const ten = count((d) => !!d.regularDate && fullYears(d.regularDate, at) >= 10);
    expect(res.body.cells[3][0]).toBe(ten);
  });

  it('出生日期 (a birth date): an age, as before', async () => {
    const res = await stats({ node: app.root, rows: { by: 'age', field: 'birthDate', at, edges: [41, 51, 61] } });
    expect(res.status).toBe(200);
    expect(res.body.rowTitle).toBe(`出生日期（年龄，截至 ${at}）`);
    expect(res.body.rows.map((r: any) => r.label).slice(0, 4)).toEqual(['40岁及以下', '41—50岁', '51—60岁', '61岁及以上']);
    expect(res.body.cells[3][0]).toBe(count((d) => !!d.birthDate && fullYears(d.birthDate, at) >= 61));
  });

  it('a date whose bands mean nothing (x-dateBands "none") is refused bands, still counted by year', async () => {
    const res = await stats({ node: app.root, rows: { by: 'age', field: 'lostDate', at } });
    expect(res.status, JSON.stringify(res.body)).toBe(422);
    expect(res.body.error.details[0]).toEqual({ path: '/rows/by', message: '「失联日期」不按距今年数分段统计（可按年份统计）' });
    const years = await stats({ node: app.root, rows: { by: 'year', field: 'lostDate' } });
    expect(years.status).toBe(200);
    expect(years.body.total).toBe(app.members.length);
  });

  it('the config check refuses the keyword off a date field and an unknown value', async () => {
    const bad = copyApp();
    try {
      edit(join(bad, 'forms/member.schema.json'), (sc) => { sc.properties.name['x-dateBands'] = 'age'; });
      const misplaced = await checkApp(bad);
      expect(misplaced.problems.join('\n')).toContain('forms/member.schema.json: /properties/name/x-dateBands: 「姓名」不是日期字段，不能设 x-dateBands');
      edit(join(bad, 'forms/member.schema.json'), (sc) => { delete sc.properties.name['x-dateBands']; sc.properties.joinDate['x-dateBands'] = 'years'; });
      const unknown = await checkApp(bad);
      expect(unknown.problems.join('\n')).toMatch(/x-dateBands/);
      expect(unknown.runtime).toBeUndefined();
    } finally {
      rmSync(bad, { recursive: true, force: true });
    }
  });
});
