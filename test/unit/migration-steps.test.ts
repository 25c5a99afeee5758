import { describe, it, expect, beforeAll } from 'vitest';
import { AppRuntime } from '../../engine/runtime/runtime.js';
import { applySteps, checkSteps, orphanProblems, type MigrationStep } from '../../engine/config-versions/migration-steps.js';
import type { StoredRecord } from '../../engine/ports.js';
import { join } from 'node:path';
import { repoRoot } from '../helpers/paths.js';
import { draftOf, json, renameState } from '../helpers/draft-runtime.js';

const record = (data: Record<string, unknown>, over: Partial<StoredRecord> = {}): StoredRecord => ({
  id: 'r1', collection: 'member', nodeId: 'n1', path: '/n1/', data, state: 'pending', workflow: 'member-confirmation@1',
  complete: true, codeVersions: null, version: 3, createdAt: '', createdBy: null, updatedAt: '', updatedBy: null, ...over,
});

const MEMBER = 'forms/member.schema.json';
/** nativePlace (籍贯) renamed to birthPlace in the member schema. */
const renamedNativePlace = json((s) => {
  s.properties.birthPlace = { ...s.properties.nativePlace, title: '出生地' };
  delete s.properties.nativePlace;
});

describe('applySteps', () => {
  it('renames a field, keeping its value, and leaves the record untouched', () => {
    const r = record({ name: '张三', nativePlace: '天津市' });
    const out = applySteps(r, [{ op: 'renameField', collection: 'member', from: 'nativePlace', to: 'birthPlace' }]);
    expect(out).toEqual({ data: { name: '张三', birthPlace: '天津市' }, state: 'pending' });
    expect(r.data).toEqual({ name: '张三', nativePlace: '天津市' });
  });

  it('maps values through a table: codes, and other values by their text', () => {
    const steps: MigrationStep[] = [
      { op: 'mapValues', collection: 'member', field: 'jobPosition', map: { '011': '0111' } },
      { op: 'mapValues', collection: 'member', field: 'lost', map: { true: '1', false: '0' } },
    ];
    expect(applySteps(record({ jobPosition: '011', lost: false }), steps)!.data).toEqual({ jobPosition: '0111', lost: '0' });
    expect(applySteps(record({ jobPosition: ['011', '012'] }), steps)!.data).toEqual({ jobPosition: ['0111', '012'] });
    // A value the table does not name stays; nothing changed is null.
    expect(applySteps(record({ jobPosition: '012' }), steps.slice(0, 1))).toBeNull();
  });

  it('drops a field', () => {
    expect(applySteps(record({ name: '张三', phone: '010-1' }), [{ op: 'dropField', collection: 'member', field: 'phone' }])!.data).toEqual({ name: '张三' });
  });

  it('moves a state, and applies the steps in order', () => {
    const steps: MigrationStep[] = [
      { op: 'moveState', collection: 'member', from: 'pending', to: 'draft' },
      { op: 'renameField', collection: 'member', from: 'nativePlace', to: 'birthPlace' },
      { op: 'mapValues', collection: 'member', field: 'birthPlace', map: { 天津: '天津市' } },
    ];
    expect(applySteps(record({ nativePlace: '天津' }), steps)).toEqual({ data: { birthPlace: '天津市' }, state: 'draft' });
    expect(applySteps(record({}, { state: 'confirmed' }), steps)).toBeNull();
  });

  it('a step with a table changes that column in every row (after the table\u2019s own rename), other fields untouched', () => {
    const r = record({ workUnit: '某局', family: [{ name: '甲', workUnit: '某厂', relation: '12' }, { name: '乙' }, 'x'] });
    const out = applySteps(r, [
      { op: 'renameField', collection: 'member', from: 'family', to: 'relatives' },
      { op: 'renameField', collection: 'member', table: 'relatives', from: 'workUnit', to: 'occupation' },
      { op: 'mapValues', collection: 'member', table: 'relatives', field: 'relation', map: { 12: '10' } },
      { op: 'dropField', collection: 'member', table: 'relatives', field: 'name' },
    ]);
    expect(out!.data).toEqual({ workUnit: '某局', relatives: [{ occupation: '某厂', relation: '10' }, {}, 'x'] });
    expect(r.data.family).toEqual([{ name: '甲', workUnit: '某厂', relation: '12' }, { name: '乙' }, 'x']);
    expect(applySteps(record({ family: [{ name: '甲' }] }), [{ op: 'dropField', collection: 'member', table: 'family', field: 'workUnit' }])).toBeNull();
  });

  it('is null for records the steps do not concern', () => {
    const steps: MigrationStep[] = [{ op: 'renameField', collection: 'member', from: 'nativePlace', to: 'birthPlace' }];
    expect(applySteps(record({ nativePlace: '天津市' }, { collection: 'unit' }), steps)).toBeNull();
    expect(applySteps(record({ name: '张三' }), steps)).toBeNull();
  });
});

describe('checkSteps and orphanProblems', () => {
  let current: AppRuntime;
  beforeAll(() => { current = AppRuntime.load(repoRoot); });

  it('checks the shape of migrations.json, with pointers into it', () => {
    expect(checkSteps(current, current, { op: 'dropField' })).toEqual([{ path: '', message: 'migrations.json 应为迁移步骤的数组 [...]' }]);
    const problems = checkSteps(current, current, [
      'x', { op: 'rename', collection: 'member' }, { op: 'renameField', collection: 'member', from: 'nativePlace' },
      { op: 'mapValues', collection: 'member', field: 'jobPosition', map: {} }, { op: 'dropField', collection: 'member', field: 'phone', extra: 1 },
    ]);
    expect(problems).toEqual([
      { path: '/0', message: '迁移步骤应为对象 {"op": …, "collection": …}' },
      { path: '/1/op', message: '未知的迁移步骤 "rename"（可用：renameField、mapValues、dropField、moveState）' },
      { path: '/2/to', message: 'renameField 缺少 to（应为非空文字）' },
      { path: '/3/map', message: 'mapValues 缺少 map（应为非空对象：旧值 → 新值）' },
      { path: '/4/extra', message: 'dropField 不认识的属性 "extra"' },
    ]);
  });

  it('checks the steps against the two configs', () => {
    const draft = draftOf(current, { [MEMBER]: renamedNativePlace, 'workflows/member-confirmation.json': renameState('changes_requested', 'revising') });
    expect(checkSteps(current, draft, [
      { op: 'renameField', collection: 'member', from: 'nativePlace', to: 'birthPlace' },
      { op: 'mapValues', collection: 'member', field: 'jobPosition', map: { '011': '0111' } },
      { op: 'dropField', collection: 'member', field: 'phone' },
      { op: 'moveState', collection: 'member', from: 'changes_requested', to: 'revising' },
    ])).toEqual([]);
    expect(checkSteps(current, draft, [
      { op: 'renameField', collection: 'nobody', from: 'a', to: 'b' },
      { op: 'renameField', collection: 'member', from: 'birthPlace', to: 'name' },
      { op: 'mapValues', collection: 'member', field: 'birthPlace', map: { 天津: '天津市' } },
      { op: 'mapValues', collection: 'member', field: 'jobPosition', map: { '011': '999', '012': '9031' } },
      { op: 'dropField', collection: 'member', field: 'nickname' },
      { op: 'moveState', collection: 'member', from: 'changes_requested', to: 'gone' },
      { op: 'moveState', collection: 'member', from: 'changes_requested', to: 'draft' },
    ])).toEqual([
      { path: '/0/collection', message: '集合 "nobody" 在当前版本中不存在' },
      { path: '/1/from', message: '「党员」的当前版本没有字段 「birthPlace」' },
      { path: '/1/to', message: '「党员」的字段 「姓名」（name） 在当前版本中已存在：改名的目标须是草稿新增的字段' },
      { path: '/2/field', message: '「党员」的字段 「出生地」（birthPlace） 在当前版本中没有存储的值（若是改名，请先写 renameField）' },
      { path: '/3/map/011', message: '“999”不是「党员」字段 「工作岗位」（jobPosition） 在草稿中的代码' },
      { path: '/3/map/012', message: '“研究生（9031）”在草稿中已停用，不能作为「工作岗位」（jobPosition）的新值' },
      { path: '/4/field', message: '「党员」的当前版本没有字段 「nickname」' },
      { path: '/5/to', message: '「党员」的草稿流程没有状态 “gone”' },
      { path: '/6/from', message: '「党员」的状态 「待修改」（changes_requested） 已由前面的步骤迁移' },
    ]);
  });

  it('a removed field needs dropField (or renameField)', () => {
    const draft = draftOf(current, { [MEMBER]: json((s) => { delete s.properties.phone; }) });
    expect(orphanProblems(current, draft, [])).toEqual([{
      path: 'forms/member.schema.json#/properties/phone',
      message: '「党员」的字段 「固定电话」（phone） 在草稿中被删除或改名，已存储的值会成为孤儿：请声明 renameField 或 dropField',
    }]);
    expect(orphanProblems(current, draft, [{ op: 'dropField', collection: 'member', field: 'phone' }])).toEqual([]);
  });

  it('a renamed field needs renameField', () => {
    const draft = draftOf(current, { [MEMBER]: renamedNativePlace });
    expect(orphanProblems(current, draft, []).map((p) => p.message)).toEqual([
      '「党员」的字段 「籍贯」（nativePlace） 在草稿中被删除或改名，已存储的值会成为孤儿：请声明 renameField 或 dropField',
    ]);
    expect(orphanProblems(current, draft, [{ op: 'renameField', collection: 'member', from: 'nativePlace', to: 'birthPlace' }])).toEqual([]);
    // A rename onto a field of another type is a type change as well.
    const retyped = draftOf(current, { [MEMBER]: json((s) => { s.properties.birthPlace = { type: 'number', title: '出生地' }; delete s.properties.nativePlace; }) });
    expect(orphanProblems(current, retyped, [{ op: 'renameField', collection: 'member', from: 'nativePlace', to: 'birthPlace' }]).map((p) => p.message)).toEqual([
      '「党员」的字段 「籍贯」（nativePlace） 的类型在草稿中改变，已存储的值将不再有效：请声明 mapValues 或 dropField',
    ]);
  });

  it('a changed type needs mapValues or dropField', () => {
    const draft = draftOf(current, { [MEMBER]: json((s) => { s.properties.lost = { type: 'string', title: '是否为失联党员', enum: ['0', '1'] }; }) });
    expect(orphanProblems(current, draft, [])).toEqual([{
      path: 'forms/member.schema.json#/properties/lost',
      message: '「党员」的字段 「是否为失联党员」（lost） 的类型在草稿中改变，已存储的值将不再有效：请声明 mapValues 或 dropField',
    }]);
    expect(orphanProblems(current, draft, [{ op: 'mapValues', collection: 'member', field: 'lost', map: { true: '1', false: '0' } }])).toEqual([]);
    expect(orphanProblems(current, draft, [{ op: 'dropField', collection: 'member', field: 'lost' }])).toEqual([]);
  });

  it('codes a field loses (a code removed from its table, or another table) need a mapValues covering them', () => {
    const removed = draftOf(current, { 'forms/codes/job-position.json': json((t) => { t.codes = t.codes.filter((c: any) => c.code !== '011'); }) });
    expect(orphanProblems(current, removed, []).map((p) => [p.path, p.message])).toEqual([[
      'forms/member.schema.json#/properties/jobPosition',
      '「党员」的字段 「工作岗位」（jobPosition） 的代码“机关干部岗位（011）”在草稿的代码表「工作岗位」中不存在，存有这些代码的记录将不再有效：请声明 mapValues（把它们映射为新代码）或 dropField',
    ]]);
    expect(orphanProblems(current, removed, [{ op: 'mapValues', collection: 'member', field: 'jobPosition', map: { '011': '0111' } }])).toEqual([]);
    // A malformed step (checkSteps names it) covers nothing, and breaks nothing.
    expect(orphanProblems(current, removed, [{ op: 'mapValues', collection: 'member', field: 'jobPosition' } as any])).toHaveLength(1);

    const otherTable = draftOf(current, { [MEMBER]: json((s) => { s.properties.gender['x-codeTable'] = 'membership-status'; }) });
    const [problem] = orphanProblems(current, otherTable, [{ op: 'mapValues', collection: 'member', field: 'gender', map: { 1: '9001' } }]);
    expect(problem.message).toContain('「性别」（gender） 的代码');
    expect(problem.message).not.toContain('（1）');
    expect(problem.message).toContain('（2）');
  });

  it('a removed or renamed workflow state needs moveState', () => {
    const draft = draftOf(current, { 'workflows/member-confirmation.json': renameState('changes_requested', 'revising') });
    expect(orphanProblems(current, draft, [])).toEqual([{
      path: 'workflows/member-confirmation.json#/states/changes_requested',
      message: '「党员」的流程状态 「待修改」（changes_requested） 在草稿中被删除或改名，处于该状态的记录会失去状态：请声明 moveState',
    }]);
    expect(orphanProblems(current, draft, [{ op: 'moveState', collection: 'member', from: 'changes_requested', to: 'revising' }])).toEqual([]);
  });

  it('a removed or renamed column of a child table needs a step naming the table, also when the table is renamed', () => {
    const noAddress = draftOf(current, { [MEMBER]: json((s) => { delete s.properties.family.items.properties.workUnitAddress; }) });
    expect(orphanProblems(current, noAddress, [])).toEqual([{
      path: 'forms/member.schema.json#/properties/family/items/properties/workUnitAddress',
      message: '「党员」的子表「家庭主要成员及社会关系」（family）的列 「工作单位地址」（workUnitAddress） 在草稿中被删除或改名，已存储的值会成为孤儿：请声明 renameField 或 dropField（带 "table": "family"）',
    }]);
    // A top-level step of the same name covers nothing inside the table.
    expect(orphanProblems(current, noAddress, [{ op: 'dropField', collection: 'member', field: 'workUnitAddress' } as MigrationStep])).toHaveLength(1);
    expect(orphanProblems(current, noAddress, [{ op: 'dropField', collection: 'member', table: 'family', field: 'workUnitAddress' }])).toEqual([]);
    const moved = draftOf(current, { [MEMBER]: json((s) => {
      const t = s.properties.family;
      t.items.properties.occupation = t.items.properties.workUnit;
      delete t.items.properties.workUnit;
      s.properties.relatives = t;
      delete s.properties.family;
    }) });
    const steps: MigrationStep[] = [
      { op: 'renameField', collection: 'member', from: 'family', to: 'relatives' },
      { op: 'renameField', collection: 'member', table: 'relatives', from: 'workUnit', to: 'occupation' },
    ];
    expect(orphanProblems(current, moved, steps.slice(0, 1)).map((p) => p.path)).toEqual(['forms/member.schema.json#/properties/family/items/properties/workUnit']);
    expect(orphanProblems(current, moved, steps)).toEqual([]);
    expect(checkSteps(current, moved, steps)).toEqual([]);
    // The column step before the table's rename names a table the draft does not have.
    expect(checkSteps(current, moved, [steps[1], steps[0]]).map((p) => p.path)).toEqual(['/0/table']);
  });

  it('a draft that orphans nothing needs no step', () => {
    const draft = draftOf(current, { [MEMBER]: json((s) => { s.properties.nativePlace['x-essential'] = true; }) });
    expect(orphanProblems(current, draft, [])).toEqual([]);
  });
});

describe('the same steps on another application (test/fixtures/leave)', () => {
  it('names its own collection, fields, codes and states, and its steps clear them', () => {
    const current = AppRuntime.load(join(repoRoot, 'test/fixtures/leave'));
    const draft = draftOf(current, {
      'forms/leave.schema.json': json((s) => { s.properties.purpose = { ...s.properties.reason, title: '请假事由' }; delete s.properties.reason; }),
      'forms/codes/leave-kind.json': json((t) => { t.codes = t.codes.filter((c: any) => c.code !== 'P'); }),
      'workflows/leave-approval.json': renameState('rejected', 'returned'),
    });
    expect(orphanProblems(current, draft, []).map((p) => p.message)).toEqual([
      '「请假单」的字段 「假别」（kind） 的代码“事假（P）”在草稿的代码表「假别」中不存在，存有这些代码的记录将不再有效：请声明 mapValues（把它们映射为新代码）或 dropField',
      '「请假单」的字段 「事由」（reason） 在草稿中被删除或改名，已存储的值会成为孤儿：请声明 renameField 或 dropField',
      '「请假单」的流程状态 「已驳回」（rejected） 在草稿中被删除或改名，处于该状态的记录会失去状态：请声明 moveState',
    ]);
    const steps: MigrationStep[] = [
      { op: 'renameField', collection: 'leave', from: 'reason', to: 'purpose' },
      { op: 'mapValues', collection: 'leave', field: 'kind', map: { P: 'P1' } },
      { op: 'moveState', collection: 'leave', from: 'rejected', to: 'returned' },
    ];
    expect(checkSteps(current, draft, steps)).toEqual([]);
    expect(orphanProblems(current, draft, steps)).toEqual([]);
    expect(applySteps(record({ kind: 'P', reason: '家事' }, { collection: 'leave', state: 'rejected' }), steps))
      .toEqual({ data: { kind: 'P1', purpose: '家事' }, state: 'returned' });
  });
});
