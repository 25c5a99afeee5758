import { readFileSync } from 'node:fs';
import type { CodeTable, JsonSchema } from '../config/types.js';
import type { FieldError } from '../validation/messages.js';
import { toFieldErrors } from '../validation/messages.js';
import { createAjv } from '../validation/ajv.js';
import { withTextRule } from '../validation/text-rule.js';
import type { SchemaCheck } from '../validation/validator.js';

/** The code-table format as a JSON Schema: one file, read by npm run check and by PUT /api/codes/:table alike. */
export const codeTableSchema: JsonSchema = JSON.parse(readFileSync(new URL('./code-table.schema.json', import.meta.url), 'utf8'));

let compiled: SchemaCheck | undefined;
/** Compiled on first use, with the engine's formats and its rule against control characters in text. */
const formatCheck = () => (compiled ??= createAjv().compile(withTextRule(codeTableSchema)));

/**
 * "第3行「代码」…" for a row's field: the editor and the file both count rows from 1. The generic
 * messages name a row of a list of objects as 「<list title>」第3行…: here the list is the table itself.
 */
function withRow(e: FieldError): FieldError {
  const row = /^\/codes\/(\d+)(?=\/|$)/.exec(e.path);
  let message = e.message.replace(/^「[^」]*」(第\d+行)/, '$1').replace(/(不是本表单的字段|不是该表的列)$/, '不是代码表的字段');
  if (row && !message.startsWith(`第${Number(row[1]) + 1}行`)) message = `第${Number(row[1]) + 1}行${message}`;
  return { ...e, message };
}

/**
 * A code table's problems, each named by its JSON pointer into the table: first its shape by the
 * schema (no unknown keys, the right types, a positive integer version …), then — on a
 * well-formed table — the rules between rows: codes unique, the table named as its file,
 * parents and replacements existing, a replacement never itself deprecated.
 */
export function checkCodeTable(table: CodeTable, name: string): FieldError[] {
  if (!table || typeof table !== 'object' || Array.isArray(table)) return [{ path: '', message: '代码表应为一个JSON对象' }];
  const check = formatCheck();
  const out: FieldError[] = check(table) ? [] : toFieldErrors(check.errors, codeTableSchema).map(withRow);
  if (typeof table.table === 'string' && table.table !== name) out.push({ path: '/table', message: `「表名」应为“${name}”（与文件名或地址一致）` });
  if (out.length) return out;
  const byCode = new Map<string, number>();
  table.codes.forEach((c, i) => {
    if (byCode.has(c.code)) out.push({ path: `/codes/${i}/code`, message: `第${i + 1}行「代码」“${c.code}”与第${byCode.get(c.code)! + 1}行重复` });
    else byCode.set(c.code, i);
  });
  table.codes.forEach((c, i) => {
    const at = `/codes/${i}`;
    if (c.parent !== undefined && !byCode.has(c.parent)) out.push({ path: `${at}/parent`, message: `第${i + 1}行的上级代码“${c.parent}”不存在` });
    if (c.replacedBy !== undefined && !c.deprecated) out.push({ path: `${at}/replacedBy`, message: `第${i + 1}行未停用，不应有替代代码` });
    for (const r of c.replacedBy ?? []) {
      const j = byCode.get(r);
      if (j === undefined) out.push({ path: `${at}/replacedBy`, message: `第${i + 1}行的替代代码“${r}”不存在` });
      else if (table.codes[j].deprecated) out.push({ path: `${at}/replacedBy`, message: `第${i + 1}行的替代代码“${r}”本身已停用` });
    }
  });
  return out;
}
