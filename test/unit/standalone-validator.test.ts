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
  };

  it('gives the same Chinese errors as the server for every case', () => {
    const server = member.rt.validator('member');
    for (const [name, data] of Object.entries(cases)) {
      expect(member.v.validate(data), name).toEqual(server.validate(data));
      expect(member.v.completenessErrors(data as any), name).toEqual(server.completenessErrors(data as any));
    }
    expect(member.v.validate(cases.lostNoDate)).toContainEqual({ path: '/lostDate', message: '「失联日期」为必填项' });
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

  it('works for the fixture application too', async () => {
    const leave = await load(fixtureApp, 'leave');
    const data = { departmentId: 'd', employee: '张三', from: '2024-05-02', to: '2024-05-01', sick: true, extra: 1 };
    expect(leave.v.validate(data)).toEqual(leave.rt.validator('leave').validate(data));
    expect(leave.v.requiredNow({ sick: true }).has('certificate')).toBe(true);
  });
});
