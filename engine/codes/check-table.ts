import type { CodeTable } from '../config/types.js';
import type { FieldError } from '../validation/messages.js';

const DATE = /^\d{4}-\d{2}-\d{2}$/;

/**
 * The rules every code table obeys: codes unique and non-empty, labels present, parents and
 * replacements existing, a replacement never itself deprecated, a positive integer version.
 * Each problem is named by its JSON pointer into the table.
 */
export function checkCodeTable(table: CodeTable, name: string): FieldError[] {
  const out: FieldError[] = [];
  if (!table || typeof table !== 'object') return [{ path: '', message: '代码表应为一个JSON对象' }];
  if (table.table !== name) out.push({ path: '/table', message: `「表名」应为“${name}”` });
  if (typeof table.title !== 'string' || !table.title) out.push({ path: '/title', message: '「表标题」为必填项' });
  if (!Number.isInteger(table.version) || table.version < 1) out.push({ path: '/version', message: '「版本」应为正整数' });
  if (!Array.isArray(table.codes)) return [...out, { path: '/codes', message: '「代码」应为列表' }];
  const byCode = new Map<string, number>();
  table.codes.forEach((c, i) => {
    const at = `/codes/${i}`;
    if (typeof c?.code !== 'string' || !c.code.trim()) out.push({ path: `${at}/code`, message: `第${i + 1}行「代码」为必填项` });
    else if (byCode.has(c.code)) out.push({ path: `${at}/code`, message: `第${i + 1}行「代码」“${c.code}”与第${byCode.get(c.code)! + 1}行重复` });
    else byCode.set(c.code, i);
    if (typeof c?.label !== 'string' || !c.label.trim()) out.push({ path: `${at}/label`, message: `第${i + 1}行「名称」为必填项` });
  });
  table.codes.forEach((c, i) => {
    const at = `/codes/${i}`;
    if (c.parent !== undefined && !byCode.has(c.parent)) out.push({ path: `${at}/parent`, message: `第${i + 1}行的上级代码“${c.parent}”不存在` });
    if (c.deprecated !== undefined && (typeof c.deprecated !== 'string' || !DATE.test(c.deprecated))) {
      out.push({ path: `${at}/deprecated`, message: `第${i + 1}行「停用日期」应为 YYYY-MM-DD` });
    }
    if (c.replacedBy !== undefined && !c.deprecated) out.push({ path: `${at}/replacedBy`, message: `第${i + 1}行未停用，不应有替代代码` });
    for (const r of c.replacedBy ?? []) {
      const j = byCode.get(r);
      if (j === undefined) out.push({ path: `${at}/replacedBy`, message: `第${i + 1}行的替代代码“${r}”不存在` });
      else if (table.codes[j].deprecated) out.push({ path: `${at}/replacedBy`, message: `第${i + 1}行的替代代码“${r}”本身已停用` });
    }
  });
  return out;
}
