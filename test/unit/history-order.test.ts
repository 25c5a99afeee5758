/**
 * Changes are read in the form's order whatever order the database hands a diff's keys back in
 * (PostgreSQL's jsonb sorts an object's keys by length, then bytes): the history's lines, a child
 * table's cells and the audit view follow the schema's properties.
 */
import { describe, expect, it } from 'vitest';
import { inSchemaOrder, rowChangeLines } from '../../engine/workflow/history.js';

const table = {
  type: 'array',
  items: { type: 'object', properties: { name: { title: '姓名' }, relation: { title: '与该人关系' }, birthDate: { title: '出生日期' } } },
};

describe('changes in the schema order', () => {
  it('orders a diff by the properties, unknown keys last', () => {
    const diff = { zz: [1, 2], birthDate: ['a', 'b'], name: ['x', 'y'] };
    expect(inSchemaOrder(diff, { name: {}, mobile: {}, birthDate: {} }).map(([k]) => k)).toEqual(['name', 'birthDate', 'zz']);
  });

  it("a row's cells by the table's columns, as jsonb would have reordered them", () => {
    const cells = { name: ['', '李娜'], birthDate: ['', '1990-01-01'], relation: ['', '妻'] } as Record<string, [unknown, unknown]>;
    const lines = rowChangeLines(table, { rows: [{ row: 2, change: 'added', cells }] }, (_c, v) => String(v ?? ''));
    expect(lines).toEqual(['第2行 新增：姓名 李娜、与该人关系 妻、出生日期 1990-01-01']);
  });
});
