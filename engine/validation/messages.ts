import type { ErrorObject } from 'ajv';
import type { JsonSchema } from '../config/types.js';
import { formatChecks } from './formats/index.js';
import { fieldLabel, isChildTable, schemaAt } from './field-titles.js';
import { codePointName, forbiddenChar } from './formats/plain-text.js';
import { PLAIN_TEXT } from './text-rule.js';

export interface FieldError {
  /** JSON pointer of the field, e.g. "/lostDate". */
  path: string;
  /** Chinese message naming the field by its title. */
  message: string;
}

const typeNames: Record<string, string> = {
  string: '文本', number: '数字', integer: '整数', boolean: '是或否', object: '对象', array: '列表', null: '空值',
};

/** Keywords whose failure only repeats a more precise error reported beside it. */
const silent = new Set(['if', 'then', 'else', 'allOf', 'anyOf', 'oneOf']);

/** Turns ajv's errors into Chinese field errors, one per field and problem. */
export function toFieldErrors(errors: ErrorObject[] | null | undefined, schema: JsonSchema): FieldError[] {
  const out: FieldError[] = [];
  const seen = new Set<string>();
  for (const e of errors ?? []) {
    if (silent.has(e.keyword)) continue;
    let path = e.instancePath;
    if (e.keyword === 'required') path += '/' + (e.params as { missingProperty: string }).missingProperty;
    if (e.keyword === 'additionalProperties') path += '/' + (e.params as { additionalProperty: string }).additionalProperty;
    const message = describe(e, path, schema);
    const key = path + '\u0000' + message;
    if (seen.has(key)) continue;
    seen.add(key);
    out.push({ path, message });
  }
  return withoutRowsOfOverlongTables(out, errors ?? []);
}

/**
 * A table longer than its maxItems is refused as a whole: its rows' own errors (maybe thousands,
 * one request may carry 10 000 rows) would only bury the one message that matters.
 */
function withoutRowsOfOverlongTables(out: FieldError[], errors: ErrorObject[]): FieldError[] {
  const overlong = errors.filter((e) => e.keyword === 'maxItems').map((e) => e.instancePath + '/');
  if (!overlong.length) return out;
  return out.filter((f) => !overlong.some((p) => f.path.startsWith(p)));
}

function describe(e: ErrorObject, path: string, schema: JsonSchema): string {
  const title = fieldLabel(schema, path);
  const custom = schemaAt(schema, path)?.['x-messages']?.[e.keyword];
  if (typeof custom === 'string') return `${title}${custom}`;
  const p = e.params as Record<string, any>;
  switch (e.keyword) {
    case 'required':
      return `${title}为必填项`;
    case 'additionalProperties':
      return path.split('/').length > 2 ? `${title}不是该表的列` : `${title}不是本表单的字段`;
    case 'type':
      return `${title}应为${[p.type].flat().map((t: string) => typeNames[t] ?? t).join('或')}`;
    case 'enum':
      return schemaAt(schema, path)?.['x-codeTable'] ? `${title}的代码“${String(e.data)}”不在代码表中` : `${title}的取值不在允许范围内`;
    case 'const':
      return `${title}的取值不正确`;
    case 'format': {
      const reason = formatChecks[p.format]?.(String(e.data));
      return `${title}${reason ?? '格式不正确'}`;
    }
    case 'pattern':
      return `${title}格式不正确`;
    case 'minLength':
      return p.limit === 1 ? `${title}不能为空` : `${title}至少应有${p.limit}个字符`;
    case 'maxLength':
      return `${title}最多${p.limit}个字符`;
    case 'minimum':
      return `${title}不能小于${p.limit}`;
    case 'maximum':
      return `${title}不能大于${p.limit}`;
    case 'minItems':
      return `${title}至少应有${p.limit}${isChildTable(schemaAt(schema, path)) ? '行' : '项'}`;
    case 'maxItems':
      return `${title}最多${p.limit}${isChildTable(schemaAt(schema, path)) ? '行' : '项'}`;
    case 'x-notFuture':
      return `${title}不能晚于今天`;
    case PLAIN_TEXT: {
      const ch = forbiddenChar(String(e.data), e.schema === 'lines');
      return `${title}含有不可见的控制字符${ch ? `（${codePointName(ch)}）` : ''}，请删除后重新输入`;
    }
    default:
      return `${title}不符合要求（${e.keyword}）`;
  }
}
