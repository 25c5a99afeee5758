import { describe, it, expect } from 'vitest';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { copyApp } from '../helpers/app-copy.js';
import { fixtureApp, repoRoot } from '../helpers/paths.js';

const run = promisify(execFile);
const npmCheck = (dir?: string) =>
  run('npm', ['run', '--silent', 'check', ...(dir ? ['--', dir] : [])], { cwd: repoRoot }).then(
    (r) => ({ code: 0, out: r.stdout + r.stderr }),
    (e) => ({ code: e.code as number, out: String(e.stdout) + String(e.stderr) }),
  );

const edit = (file: string, fn: (j: any) => void) => {
  const j = JSON.parse(readFileSync(file, 'utf8'));
  fn(j);
  writeFileSync(file, JSON.stringify(j, null, 2));
};

// Each check spawns `npm run check` (a fresh tsx process): allow for a busy machine.
const SPAWN_TIMEOUT = 120_000;

describe('npm run check', { timeout: 90_000 }, () => { // each check spawns the command; slow on a loaded machine, not a speed test
  it('passes on the real config and on the fixture application', async () => {
    const real = await npmCheck();
    expect(real.out).toMatch(/配置检查通过：党组织和党员基本信息采集/);
    expect(real.code).toBe(0);
    expect((await npmCheck(fixtureApp)).code).toBe(0);
  }, SPAWN_TIMEOUT);

  it('names each broken reference planted in a fixture config, with file and place', async () => {
    const dir = copyApp(fixtureApp);
    const forms = join(dir, 'forms');
    edit(join(forms, 'leave.schema.json'), (s) => {
      s.properties.kind['x-codeTable'] = 'no-such-table';
      s.properties.reason.minLenght = 3;
      s['x-rules'].push({ rule: 'dateOrder', before: 'from', after: 'until' });
    });
    edit(join(forms, 'codes/leave-kind.json'), (t) => {
      t.codes[2].replacedBy = ['P1', 'P9'];
      t.codes.push({ code: 'A', label: '重复的年假' });
    });
    edit(join(forms, 'app.json'), (m) => { m.collections.leave.listColumns.push('salary'); m.roles.director.username = 'employee'; });
    const res = await npmCheck(dir);
    expect(res.code).toBe(1);
    expect(res.out).toMatch(/leave\.schema\.json#\/properties\/kind: 代码表 "no-such-table" 不存在/);
    expect(res.out).toMatch(/app\.json: collections\.leave 引用的字段 "salary" 不在 leave\.schema\.json 中/);
    expect(res.out).toMatch(/app\.json: roles\.director\.username 须为 self 集合的字段，"employee" 不是/); // a role bound to no record
    // Fix those two: the checks that need a loadable config then speak.
    edit(join(forms, 'leave.schema.json'), (s) => { s.properties.kind['x-codeTable'] = 'leave-kind'; });
    edit(join(forms, 'app.json'), (m) => { m.collections.leave.listColumns.pop(); delete m.roles.director.username; });
    const second = await npmCheck(dir);
    expect(second.code).toBe(1);
    expect(second.out).toMatch(/leave\.schema\.json: .*minLenght/);
    edit(join(forms, 'leave.schema.json'), (s) => { delete s.properties.reason.minLenght; });
    writeFileSync(join(dir, 'templates/leave-slip.hbs'), '<p>{{data.employee}} {{data.salary}} {{code.kind.label}}</p>');
    const third = await npmCheck(dir);
    expect(third.code).toBe(1);
    expect(third.out).toMatch(/forms\/codes\/leave-kind\.json: \/codes\/2\/replacedBy: 第3行的替代代码“P9”不存在/);
    expect(third.out).toMatch(/forms\/codes\/leave-kind\.json: \/codes\/5\/code: 第6行「代码」“A”与第1行重复/);
    expect(third.out).toMatch(/forms\/leave\.schema\.json: \/x-rules\/1\/after: 字段 "until" 不存在/);
    expect(third.out).toMatch(/提示：templates\/leave-slip\.hbs: data\.salary（字段 "salary" 不存在，印出来是空白）/); // a warning
    writeFileSync(join(dir, 'templates/leave-slip.hbs'), '<p>{{#if data.employee}}</p>');
    expect((await npmCheck(dir)).out).toMatch(/templates\/leave-slip\.hbs: 第1行: 模板语法错误：到文件末尾仍有块/);
    edit(join(dir, 'workflows/leave-approval.json'), (w) => { w.states.draft.on.SUBMIT.guard = { type: 'isFriday' }; });
    expect((await npmCheck(dir)).out).toMatch(/workflows\/leave-approval\.json: states\.draft\.on\.SUBMIT\[0\]\.guard: 未知的 guard "isFriday"/);
    // A manifest of the wrong shape, and a file that is not JSON: the place, in Chinese, once.
    edit(join(forms, 'app.json'), (m) => { m.loginNote = ['不是文字']; });
    expect((await npmCheck(dir)).out).toContain('forms/app.json: /loginNote: 应为文字（字符串）');
    writeFileSync(join(forms, 'app.json'), '{\n  "name": "leave",\n  "title": "请假",\n}\n');
    const syntax = await npmCheck(dir);
    expect(syntax.out).toContain('共 1 个问题');
    expect(syntax.out).toContain('forms/app.json: 第4行第1列: JSON 语法错误：此处应为用双引号括起的属性名，却是 "}"（多了一个逗号？）');
  }, SPAWN_TIMEOUT);

  it('knows child tables: a column\'s code table, x-uniqueBy, x-rules and conditions in rows, one level only (issue 21)', async () => {
    const dir = copyApp(fixtureApp);
    const schema = join(dir, 'forms/leave.schema.json');
    edit(schema, (s) => { s.properties.itinerary.items.properties.place['x-codeTable'] = 'no-such-table'; });
    const first = await npmCheck(dir);
    expect(first.code).toBe(1);
    expect(first.out).toMatch(/leave\.schema\.json#\/properties\/itinerary\/items\/properties\/place: 代码表 "no-such-table" 不存在/);
    edit(schema, (s) => {
      const t = s.properties.itinerary;
      t.items.properties.place['x-codeTable'] = 'leave-kind';
      t['x-uniqueBy'] = ['day', { column: 'place', among: ['A', 'ZZ'] }];
      t.items.properties.stops = { type: 'array', title: '途经', items: { type: 'object', properties: { x: { type: 'string' } } } };
      t.items['x-rules'] = [{ rule: 'dateOrder', before: 'date', after: 'until' }];
      t.items.if = { properties: { purpose: { const: 'x' } } };
      t.items.then = { required: ['visa'] };
      s.properties.legs = { type: 'array', title: '分段', items: { type: 'array', items: { type: 'string' } } };
    });
    const res = await npmCheck(dir);
    expect(res.code).toBe(1);
    expect(res.out).toContain('forms/leave.schema.json: /properties/itinerary/x-uniqueBy/0: 「行程安排」没有列 "day"');
    expect(res.out).toContain('forms/leave.schema.json: /properties/itinerary/x-uniqueBy/1/among: 「地点」没有取值 "ZZ"');
    expect(res.out).toContain('forms/leave.schema.json: /properties/itinerary/items/properties/stops: 「行程安排」的列「途经」不能是列表或对象（子表只能有一层）');
    expect(res.out).toContain('forms/leave.schema.json: /properties/legs/items: 「分段」的元素不能又是列表（子表只能有一层）');
    expect(res.out).toContain('forms/leave.schema.json: /properties/itinerary/items/x-rules/0/after: 字段 "until" 不存在');
    expect(res.out).toContain('forms/leave.schema.json: /properties/itinerary/items/then/required/0: 字段 "visa" 不存在');
  }, SPAWN_TIMEOUT);
});
