import { describe, it, expect, beforeAll } from 'vitest';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { loadApp } from '../../engine/config/load-app.js';
import { AppRuntime } from '../../engine/runtime/runtime.js';
import { validatorModule } from '../../engine/validation/standalone.js';
import { compileValidator } from '../../engine/validation/validator.js';
import { createAjv } from '../../engine/validation/ajv.js';
import type { BrowserValidator } from '../../engine/validation/browser-validator.js';
import { memberData } from '../helpers/demo.js';
import { fixtureApp, repoRoot } from '../helpers/paths.js';

/** Loads the browser module of a collection the way a browser would: as an ES module file. */
async function load(root: string, collection: string): Promise<{ code: string; v: BrowserValidator; rt: AppRuntime }> {
  const rt = new AppRuntime(loadApp(root));
  const code = await validatorModule(rt.collection(collection).schema);
  const file = join(mkdtempSync(join(tmpdir(), 'caiji-sa-')), `${collection}.mjs`);
  writeFileSync(file, code);
  return { code, v: (await import(pathToFileURL(file).href)).default, rt };
}

describe('standalone (browser) validation module', () => {
  let member: Awaited<ReturnType<typeof load>>;
  beforeAll(async () => { member = await load(repoRoot, 'member'); });

  it('needs no eval: no Function constructor in the generated code', () => {
    expect(member.code).not.toMatch(/new Function|\beval\(/);
  });

  const cases: Record<string, Record<string, unknown>> = {
    valid: memberData('n1'),
    badId: memberData('n1', { idNumber: '110105198001011234' }),
    future: memberData('n1', { birthDate: '2999-01-01' }),
    lostNoDate: memberData('n1', { lost: true }),
    floatingNoDest: memberData('n1', { floating: true }),
    probationerWithRegularDate: memberData('n1', { memberType: '2' }),
    deprecatedJob: memberData('n1', { jobPosition: '011' }),
    unknownCode: memberData('n1', { nation: '99x' }),
    badPhone: memberData('n1', { phone: '12345', qq: '01', email: 'x' }),
    wrongTypes: { orgId: 1, name: '', lost: 'yes' },
    empty: {},
    conditionsEmpty: memberData('n1', { lost: undefined, floating: undefined, memberType: undefined, regularDate: undefined }),
    regularNoDate: memberData('n1', { regularDate: undefined }),
  };

  it('gives the same Chinese errors as the server for every case', () => {
    const server = member.rt.validator('member');
    for (const [name, data] of Object.entries(cases)) {
      expect(member.v.validate(data), name).toEqual(server.validate(data));
      expect(member.v.completenessErrors(data as any), name).toEqual(server.completenessErrors(data as any));
    }
    expect(member.v.validate(cases.lostNoDate)).toContainEqual({ path: '/lostDate', message: '「失联日期」为必填项' });
  });

  it('asks for a conditional item only once its condition holds, after the condition\'s own field (issue 20, 8)', () => {
    const server = member.rt.validator('member');
    const titles = (data: Record<string, unknown>) => server.completenessErrors(data).map((e) => e.message);
    // 失联 / 流动 / 党员类型 empty: they are missing, what depends on them is not asked for yet.
    expect(titles(cases.conditionsEmpty)).toEqual(['「党员类型」为必填项', '「是否为失联党员」为必填项', '「是否为流动党员」为必填项']);
    expect(member.v.completenessErrors(cases.conditionsEmpty as any)).toEqual(server.completenessErrors(cases.conditionsEmpty as any));
    // Once the condition holds, the item is asked for; when it says otherwise, it is not.
    expect(titles(cases.regularNoDate)).toEqual(['「转正日期」为必填项']);
    expect(titles(memberData('n1', { memberType: '2', regularDate: undefined }))).toEqual([]);
    expect(titles(cases.lostNoDate)).toEqual(['「失联日期」为必填项']);
    expect(titles(memberData('n1', { lost: false, lostDate: undefined, floating: false }))).toEqual([]);
    // The same record is incomplete either way: the condition field itself is essential.
    expect(server.completeOnceValid(cases.conditionsEmpty as any)).toBe(false);
  });

  it('lists a condition\'s field before the field that depends on it, whatever the form order', () => {
    const schema = {
      type: 'object',
      properties: {
        b: { type: 'string', title: '乙', 'x-essential': true, 'x-order': 1 },
        a: { type: 'string', title: '甲', 'x-essential': true, pattern: '^[xy]$', 'x-order': 2 },
        c: { type: 'string', title: '丙', 'x-essential': true, 'x-order': 3 },
      },
      'x-rules': [{ rule: 'absentWhen', field: 'b', when: { a: 'x' } }],
    };
    const v = compileValidator(createAjv(), schema);
    expect(v.completenessErrors({ a: 'z' }).map((e) => e.path)).toEqual(['/a', '/b', '/c']);
    expect(v.completenessErrors({}).map((e) => e.path)).toEqual(['/a', '/c']);
    expect(v.completenessErrors({ a: 'y' }).map((e) => e.path)).toEqual(['/b', '/c']);
  });

  it('completeOnceValid (used after a save passed) agrees with completenessErrors for every document a save lets through', () => {
    const server = member.rt.validator('member');
    const candidates = {
      ...cases,
      missingEssential: memberData('n1', { address: undefined, mobile: undefined }),
      keptDeprecated: memberData('n1', { jobPosition: '011' }),
    };
    let checked = 0;
    for (const [name, data] of Object.entries(candidates)) {
      // A new record (no previous data) and a stored one kept as it was (previous = itself).
      for (const previous of [undefined, data]) {
        if (server.validate(data, previous as any).length) continue;
        checked++;
        expect(server.completeOnceValid(data as any), name).toBe(server.completenessErrors(data as any).length === 0);
      }
    }
    expect(checked).toBeGreaterThanOrEqual(4);
    expect(server.completeOnceValid(candidates.keptDeprecated as any)).toBe(false);
    expect(server.completeOnceValid(candidates.missingEssential as any)).toBe(false);
    expect(server.completeOnceValid(cases.valid as any)).toBe(true);
  });

  it('derives the conditionally required fields from the same schema', () => {
    expect([...member.v.conditional].sort()).toEqual(['floatDestination', 'lostDate']);
    expect(member.v.requiredNow({ lost: true, floating: false })).toEqual(new Set(['orgId', 'name', 'lostDate']));
    expect(member.v.requiredNow({ lost: false, floating: true, floatDestination: 'x' }).has('floatDestination')).toBe(true);
    expect(member.v.absentNow({ memberType: '2', lost: false }).has('regularDate')).toBe(true);
  });

  it('refuses control and bidi characters in text fields, as the server does (tab and newline only in a multi-line field)', () => {
    const server = member.rt.validator('member');
    const data = memberData('n1', { name: '张\u202e三', mobile: '13800138000', address: '北京\n\t东城区' });
    const nul = memberData('n1', { name: '张三\u0000', address: '北京\u0085路' });
    for (const d of [data, nul]) expect(member.v.validate(d)).toEqual(server.validate(d));
    expect(member.v.validate(data)).toEqual([{ path: '/name', message: '「姓名」含有不可见的控制字符（U+202E），请删除后重新输入' }]);
    expect(member.v.validate(nul)).toEqual([
      { path: '/name', message: '「姓名」含有不可见的控制字符（U+0000），请删除后重新输入' },
      { path: '/address', message: '「家庭住址」含有不可见的控制字符（U+0085），请删除后重新输入' },
    ]);
  });

  it('a field with "x-allowControlChars": true takes them, in the browser and on the server alike', async () => {
    const schema = {
      type: 'object',
      properties: { plain: { type: 'string', title: '甲' }, raw: { type: 'string', title: '乙', 'x-allowControlChars': true } },
    };
    const v: BrowserValidator = (await import(`data:text/javascript;base64,${Buffer.from(await validatorModule(schema)).toString('base64')}`)).default;
    const server = compileValidator(createAjv(), schema);
    const data = { plain: 'a\u2066b', raw: 'a\u2066\u0000b' };
    expect(v.validate(data)).toEqual([{ path: '/plain', message: '「甲」含有不可见的控制字符（U+2066），请删除后重新输入' }]);
    expect(server.validate(data)).toEqual(v.validate(data));
  });

  it('child tables: browser and server give the same row errors, each naming table, row and column with the row pointer (issue 21)', () => {
    const server = member.rt.validator('member');
    const family = [
      { name: '李娜', relation: '12', birthDate: '1989-03-14' },
      { name: '潘建华', relation: '51', politicalStatus: '99' },
      { name: '潘子涵', relation: '11', birthDate: '2999-01-01', extra: 1, workUnit: '学\u202e生' },
      'not a row',
      { relation: '30' },
    ];
    const data = memberData('n1', { family });
    expect(member.v.validate(data)).toEqual(server.validate(data));
    expect(member.v.completenessErrors(data as any)).toEqual(server.completenessErrors(data as any));
    expect(server.validate(data)).toEqual(expect.arrayContaining([
      { path: '/family/1/politicalStatus', message: '「家庭主要成员及社会关系」第2行「政治面貌」的代码“99”不在代码表中' },
      { path: '/family/2/birthDate', message: '「家庭主要成员及社会关系」第3行「出生日期」不能晚于今天' },
      { path: '/family/2/extra', message: '「家庭主要成员及社会关系」第3行「extra」不是该表的列' },
      { path: '/family/2/workUnit', message: '「家庭主要成员及社会关系」第3行「工作单位及职务」含有不可见的控制字符（U+202E），请删除后重新输入' },
      { path: '/family/3', message: '「家庭主要成员及社会关系」第4行应为对象' },
      { path: '/family/4/name', message: '「家庭主要成员及社会关系」第5行「姓名」为必填项' },
      { path: '/family/2/relation', message: '「家庭主要成员及社会关系」第3行「与该人关系」：只能有一行为配偶（第1行已是）' },
    ]));
    const long = memberData('n1', { family: Array.from({ length: 31 }, () => ({ name: '甲', relation: '51', bad: 1 })) });
    expect(member.v.validate(long)).toEqual([{ path: '/family', message: '「家庭主要成员及社会关系」最多30行' }]);
    expect(server.validate(long)).toEqual(member.v.validate(long));
    expect(server.validate(memberData('n1', { family: [{ name: '李娜', relation: '12' }, { name: '潘建华', relation: '51' }] }))).toEqual([]);
  });

  it('child tables: if/then, x-rules, x-uniqueBy, x-transform, essential columns and deprecated codes work per row, browser and server alike (issue 21)', async () => {
    const codes = [{ code: 'A', label: '甲类' }, { code: 'O', label: '旧类', deprecated: '2020-01-01', replacedBy: ['A'] }];
    const schema = {
      type: 'object',
      properties: {
        trips: {
          type: 'array', title: '行程', minItems: 1, 'x-essential': true, 'x-uniqueBy': ['ref'],
          items: {
            type: 'object', additionalProperties: false,
            properties: {
              ref: { type: 'string', title: '编号', 'x-transform': 'upperCase', pattern: '^[A-Z]+$' },
              kind: { type: 'string', title: '类别', enum: ['A', 'O'], 'x-codes': codes },
              from: { type: 'string', title: '出发', format: 'date' },
              to: { type: 'string', title: '返回', format: 'date' },
              abroad: { type: 'boolean', title: '出境' },
              visa: { type: 'string', title: '签证号', 'x-essential': true },
            },
            if: { properties: { abroad: { const: true } }, required: ['abroad'] }, then: { required: ['visa'] },
            'x-rules': [{ rule: 'dateOrder', before: 'from', after: 'to' }],
          },
        },
      },
    };
    const v: BrowserValidator = (await import(`data:text/javascript;base64,${Buffer.from(await validatorModule(schema)).toString('base64')}`)).default;
    const server = compileValidator(createAjv(), schema);
    const data = () => ({ trips: [
      { ref: 'ab', kind: 'A', from: '2024-01-02', to: '2024-01-01', visa: 'v' },
      { ref: 'AB', kind: 'O', abroad: true },
    ] });
    const [b, s] = [data(), data()];
    expect(v.validate(b)).toEqual(server.validate(s));
    expect(s.trips[0].ref).toBe('AB');
    expect(server.validate(data())).toEqual([
      { path: '/trips/1/visa', message: '「行程」第2行「签证号」为必填项' },
      { path: '/trips/1/ref', message: '「行程」第2行「编号」与第1行重复' },
      { path: '/trips/0/to', message: '「行程」第1行「返回」应晚于「出发」' },
      { path: '/trips/1/kind', message: '「行程」第2行「类别」的代码“旧类（O）”已停用，请改选：甲类（A）' },
    ]);
    // A deprecated code already held in that column is kept (rows may move); completeness still asks for it.
    const kept = { trips: [{ ref: 'X', kind: 'O', visa: 'v' }] };
    expect(server.validate(kept, { trips: [{ ref: 'Y' }, { ref: 'X', kind: 'O' }] })).toEqual([]);
    expect(server.completeOnceValid(kept)).toBe(false);
    // An essential column left empty makes the record incomplete — one only a condition asks for
    // (签证号: when 出境) once its row's condition holds, as a field; so does an essential table without rows.
    expect(server.completenessErrors({ trips: [{ ref: 'X', kind: 'A' }] })).toEqual([]);
    const abroad = { trips: [{ ref: 'X', kind: 'A', abroad: true }] };
    expect(server.completenessErrors(abroad)).toEqual([{ path: '/trips/0/visa', message: '「行程」第1行「签证号」为必填项' }]);
    expect(v.completenessErrors(abroad)).toEqual(server.completenessErrors(abroad));
    // The form's hints for a row agree: 签证号 is conditional, asked for once 出境 holds.
    expect(v.rowHints('trips').conditional).toEqual(new Set(['visa']));
    expect(v.rowHints('trips').requiredNow({ ref: 'X' })).toEqual(new Set());
    expect(v.rowHints('trips').requiredNow({ ref: 'X', abroad: true })).toEqual(new Set(['visa']));
    expect(server.missingEssentials({ trips: [] }).map((e) => e.message)).toEqual(['「行程」为必填项']);
    expect(server.completeOnceValid({ trips: [{ ref: 'X', kind: 'A', visa: 'v' }] })).toBe(true);
  });

  it('works for the fixture application too', async () => {
    const leave = await load(fixtureApp, 'leave');
    const data = { departmentId: 'd', employee: '张三', from: '2024-05-02', to: '2024-05-01', sick: true, extra: 1, itinerary: [{ date: '2024-13-01', place: '' }] };
    expect(leave.v.validate(data)).toEqual(leave.rt.validator('leave').validate(data));
    expect(leave.v.validate(data)).toEqual(expect.arrayContaining([
      { path: '/itinerary/0/date', message: expect.stringMatching(/^「行程安排」第1行「日期」/) },
      { path: '/itinerary/0/place', message: '「行程安排」第1行「地点」不能为空' },
    ]));
    expect(leave.v.requiredNow({ sick: true }).has('certificate')).toBe(true);
  });
});
