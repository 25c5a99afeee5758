/**
 * A child table's change as the audit log keeps it and the history tells it: a row moved (and
 * maybe edited in the same save) is that row, named with its number before, not a new row plus a
 * deleted one; a removed row is numbered as it was and says so.
 */
import { describe, expect, it } from 'vitest';
import { diffRows } from '../../engine/storage/common/audit-diff.js';
import { rowChangeLines } from '../../engine/workflow/history.js';

const table = { type: 'array', items: { type: 'object', properties: { name: { title: '姓名' }, relation: { title: '与该人关系' } } } };
const words = (rows: ReturnType<typeof diffRows>) => rowChangeLines(table, { rows }, (_c, v) => String(v ?? ''));
const zhang = { name: '张三', relation: '父母' }, li = { name: '李四', relation: '父母' };

describe('a child table\'s rows compared', () => {
  it('a row moved up and edited in one save is that row changed, with its number before', () => {
    const rows = diffRows([zhang, li], [{ name: '李四', relation: '母亲' }, zhang]);
    expect(rows).toEqual([{ row: 1, from: 2, change: 'changed', cells: { relation: ['父母', '母亲'] } }]);
    expect(words(rows)).toEqual(['第1行（原第2行） 修改：与该人关系 父母 → 母亲']);
  });

  it('two rows swapped: the one not kept in place moved, named by its first cell', () => {
    const rows = diffRows([zhang, li], [li, zhang]);
    expect(rows).toEqual([{ row: 2, from: 1, change: 'moved', cells: { name: ['张三', '张三'] } }]);
    expect(words(rows)).toEqual(['第2行（原第1行） 移动：姓名 张三']);
  });

  it('a row edited in place, one removed and one added keep their plain lines; the removed one is numbered as it was', () => {
    const wang = { name: '王五', relation: '子女' }, zhao = { name: '赵六', relation: '配偶' };
    const rows = diffRows([zhang, li, wang], [{ name: '张三', relation: '父亲' }, wang, zhao]);
    expect(rows).toEqual([
      { row: 1, change: 'changed', cells: { relation: ['父母', '父亲'] } },
      { row: 2, change: 'removed', cells: { name: ['李四', null], relation: ['父母', null] } },
      { row: 3, change: 'added', cells: { name: [null, '赵六'], relation: [null, '配偶'] } },
    ]);
    expect(words(rows)).toEqual(['第1行 修改：与该人关系 父母 → 父亲', '原第2行 删除：姓名 李四、与该人关系 父母', '第3行 新增：姓名 赵六、与该人关系 配偶']);
  });

  it('a row replaced in place by a different person is still that row changed', () => {
    expect(diffRows([zhang, li], [zhang, { name: '周七', relation: '子女' }])).toEqual([
      { row: 2, change: 'changed', cells: { name: ['李四', '周七'], relation: ['父母', '子女'] } },
    ]);
  });

  it('the first row removed changes no other row', () => {
    expect(diffRows([zhang, li], [li])).toEqual([{ row: 1, change: 'removed', cells: { name: ['张三', null], relation: ['父母', null] } }]);
  });
});
