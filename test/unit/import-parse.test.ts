import { describe, it, expect } from 'vitest';
import { parseUpload, parseCsvText } from '../../engine/import/parse.js';
import { convertCell, codeIndex } from '../../engine/import/convert.js';
import type { Column } from '../../engine/import/columns.js';

/** Reading uploads and turning cells into field values, without a server. */
describe('import: parsing and cell conversion', () => {
  const titles = ['姓名', '身份证号码', '是否为失联党员'];

  it('reads CSV in UTF-8 with or without BOM, and in GB18030 as Excel writes it on Chinese Windows', async () => {
    const text = '姓名,身份证号码,是否为失联党员\r\n张三,11010519900101001X,否\r\n';
    const gb = Buffer.from('d0d5c3fb2cc9edb7ddd6a4bac5c2eb2ccac7b7f1ceaacaa7c1aab5b3d4b10d0ad5c5c8fd2c3131303130353139393030313031303031582cb7f10d0a', 'hex');
    for (const buf of [Buffer.from(text), Buffer.from('\ufeff' + text), gb]) {
      const f = await parseUpload(buf, titles);
      expect(f.headers).toEqual(titles);
      expect(f.rows).toEqual([{ row: 2, cells: ['张三', '11010519900101001X', '否'] }]);
    }
  });

  it('CSV: quotes, doubled quotes, newlines inside quotes, semicolons', () => {
    expect(parseCsvText('a,b\n"x, y","say ""hi""\nthere"\n')).toEqual([['a', 'b'], ['x, y', 'say "hi"\nthere']]);
    expect(parseCsvText('a;b;c\r\n1;2;3')).toEqual([['a', 'b', 'c'], ['1', '2', '3']]);
  });

  it('dates, booleans, numbers and codes as people write them', () => {
    const date: Column = { property: 'd', title: 'd', kind: 'date', essential: false, required: false };
    expect(convertCell(date, '2017-3-1')).toBe('2017-03-01');
    expect(convertCell(date, '2017年3月1日')).toBe('2017-03-01');
    expect(convertCell(date, '20170301')).toBe('2017-03-01');
    expect(convertCell(date, 42795)).toBe('2017-03-01'); // an Excel day number
    expect(convertCell(date, new Date(Date.UTC(2017, 2, 1)))).toBe('2017-03-01');
    expect(convertCell(date, '')).toBeUndefined();
    const bool: Column = { property: 'b', title: 'b', kind: 'boolean', essential: false, required: false };
    expect([convertCell(bool, '是'), convertCell(bool, '否'), convertCell(bool, true), convertCell(bool, '也许')]).toEqual([true, false, true, '也许']);
    const code: Column = {
      property: 'c', title: 'c', kind: 'code', essential: false, required: false,
      codes: [{ code: '01', label: '汉族', deprecated: false }, { code: '011', label: '机关干部岗位', deprecated: true }, { code: '1', label: '中共党员（正式党员）', deprecated: false }],
    };
    const idx = codeIndex(code);
    expect(convertCell(code, '汉族（01）', idx)).toBe('01');
    expect(convertCell(code, '汉族(01)', idx)).toBe('01');
    expect(convertCell(code, '汉族', idx)).toBe('01');
    expect(convertCell(code, '01', idx)).toBe('01');
    expect(convertCell(code, '中共党员（正式党员）（1）', idx)).toBe('1');
    expect(convertCell(code, 11, idx)).toBe('011'); // a number cell lost the leading zero
    expect(convertCell(code, '火星族', idx)).toBe('火星族'); // left for the schema to refuse, by name
    const text: Column = { property: 's', title: 's', kind: 'string', essential: false, required: false };
    expect(convertCell(text, 13800138000)).toBe('13800138000');
    expect(convertCell(text, '  空格  ')).toBe('空格');
  });
});
