import { describe, it, expect } from 'vitest';
import { problemDetail } from '../../engine/config-versions/check.js';

/** A check problem becomes a link the studio can follow: the document and, when told, the place in it. */
describe('problemDetail', () => {
  it('reads the document and the pointer in each form the checks write', () => {
    expect(problemDetail('forms/member.schema.json#/properties/x/x-codeTable: 代码表“y”不存在').path).toBe('forms/member.schema.json#/properties/x/x-codeTable');
    expect(problemDetail('forms/app.json: /collections/member/listColumns/0: 字段不存在').path).toBe('forms/app.json#/collections/member/listColumns/0');
    expect(problemDetail('templates/member-sheet.hbs:3:5: 未知的 helper “chek”').path).toBe('templates/member-sheet.hbs');
    expect(problemDetail('forms/app.json: 第1行第2列: 缺少逗号').path).toBe('forms/app.json');
    expect(problemDetail('配置加载失败').path).toBe('');
  });
});
