import type { Collection } from '../config/types.js';
import type { Condition } from '../ports.js';
import type { FieldError } from '../validation/messages.js';
import { DomainError, domainBadRequest } from '../errors.js';
import { queryFields, withDescendants, type QueryField } from './fields.js';
import type { DateBands } from '../validation/date-bands.js';

/** Groups deeper than this are refused before anything is read: a condition tree is a person's. */
export const MAX_DEPTH = 5;
/** At most this many conditions in one tree. */
export const MAX_CONDITIONS = 100;

/**
 * Operators a field kind allows, with the words the messages use. `bands`: an operator on the years
 * since a date is named by what those years are (the field's x-dateBands) — an age for a birth
 * date, 距今年数 for any other — and not offered where they mean nothing ("none" is absent).
 */
export const OPERATORS: Record<string, { title: string; kinds: QueryField['kind'][]; bands?: Partial<Record<DateBands, string>> }> = {
  in: { title: '属于', kinds: ['code'] },
  between: { title: '介于', kinds: ['date', 'number'] },
  age: { title: '年龄', kinds: ['date'], bands: { age: '年龄', elapsed: '距今年数' } },
  contains: { title: '包含', kinds: ['text'] },
  equals: { title: '等于', kinds: ['text', 'number', 'boolean'] },
  empty: { title: '为空', kinds: ['code', 'date', 'text', 'number', 'boolean', 'table'] },
  notEmpty: { title: '不为空', kinds: ['code', 'date', 'text', 'number', 'boolean', 'table'] },
  anyRow: { title: '任一行满足', kinds: ['table'] },
};

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** Whether a text is a real calendar date written YYYY-MM-DD. */
export function isDate(v: unknown): v is string {
  if (typeof v !== 'string') return false;
  const m = ISO_DATE.exec(v);
  if (!m) return false;
  const d = new Date(Date.UTC(+m[1], +m[2] - 1, +m[3]));
  return d.getUTCFullYear() === +m[1] && d.getUTCMonth() === +m[2] - 1 && d.getUTCDate() === +m[3];
}

/** Today on the server's calendar, YYYY-MM-DD: the reference date of an age when none is given. */
export function today(): string {
  const d = new Date();
  return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;
}

/**
 * The latest birth date of someone at least `age` years old on `at`, as text: the same month and
 * day `age` years earlier. It need not be a real date (02-29 of a common year): it is only
 * compared as text, which is exactly right for dates written YYYY-MM-DD.
 */
export function bornBy(at: string, age: number): string {
  return `${String(Number(at.slice(0, 4)) - age).padStart(4, '0')}${at.slice(4)}`;
}

export const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Reads a person's condition tree against a collection's schema into what storage runs. */
class ConditionReader {
  readonly errors: FieldError[] = [];
  count = 0;
  private readonly fields: Map<string, QueryField>;

  constructor(fields: QueryField[], private readonly depthOffset = 0) {
    this.fields = new Map(fields.map((f) => [f.name, f]));
  }

  private fail(path: string, message: string): undefined {
    this.errors.push({ path, message });
    return undefined;
  }

  node(raw: unknown, path: string, depth: number): Condition | undefined {
    if (!isObject(raw)) return this.fail(path, '条件应为对象');
    if (raw.op === 'and' || raw.op === 'or') return this.group(raw, path, depth);
    if (++this.count > MAX_CONDITIONS) throw domainBadRequest(`一次查询最多 ${MAX_CONDITIONS} 个条件`, [{ path, message: '条件过多' }]);
    return this.leaf(raw, path);
  }

  private group(raw: Record<string, unknown>, path: string, depth: number): Condition | undefined {
    // Refused at once: a tree 50 deep is not read to its bottom first.
    if (depth + this.depthOffset > MAX_DEPTH) throw domainBadRequest(`条件分组最多嵌套 ${MAX_DEPTH} 层`, [{ path, message: `超过 ${MAX_DEPTH} 层` }]);
    if (!Array.isArray(raw.items)) return this.fail(`${path}/items`, '条件分组应列出其中的条件');
    const items = raw.items.map((it, i) => this.node(it, `${path}/items/${i}`, depth + 1));
    if (items.some((i) => !i)) return undefined;
    return { op: raw.op as 'and' | 'or', items: items as Condition[] };
  }

  private leaf(raw: Record<string, unknown>, path: string): Condition | undefined {
    const field = typeof raw.field === 'string' && Object.hasOwn(Object.fromEntries(this.fields), raw.field) ? this.fields.get(raw.field) : undefined;
    if (!field) return this.fail(`${path}/field`, `没有名为「${String(raw.field ?? '')}」的查询字段`);
    const op = typeof raw.op === 'string' && Object.hasOwn(OPERATORS, raw.op) ? OPERATORS[raw.op] : undefined;
    if (!op) return this.fail(`${path}/op`, `「${field.title}」的条件「${String(raw.op ?? '')}」无法识别`);
    if (!op.kinds.includes(field.kind)) return this.fail(`${path}/op`, `「${field.title}」不能使用「${op.title}」条件`);
    if (op.bands && !op.bands[field.bands ?? 'elapsed']) return this.fail(`${path}/op`, `「${field.title}」不计算距今年数，不能按年龄或距今年数查询`);
    const name = field.name;
    switch (raw.op) {
      case 'empty': case 'notEmpty':
        if (field.kind === 'table') return { op: raw.op === 'empty' ? 'noRows' : 'hasRows', field: name };
        return { op: raw.op, field: name };
      case 'anyRow': {
        // The row's own conditions, over the table's columns, counted in the same depth and size.
        const rows = new ConditionReader(field.columns ?? [], this.depthOffset + 1);
        rows.count = this.count;
        const where = rows.node(raw.where ?? { op: 'and', items: [] }, `${path}/where`, 1);
        this.count = rows.count;
        this.errors.push(...rows.errors.map((e) => ({ path: e.path, message: `「${field.title}」的行：${e.message}` })));
        return where ? { op: 'anyRow', field: name, where } : undefined;
      }
      case 'in': {
        const values = raw.values;
        if (!Array.isArray(values) || !values.length) return this.fail(`${path}/values`, `「${field.title}」请至少选择一项`);
        const known = new Set(field.codes!.map((c) => c.code));
        const bad = values.find((v) => typeof v !== 'string' || !known.has(v));
        if (bad !== undefined) return this.fail(`${path}/values`, `「${field.title}」没有代码「${String(bad)}」`);
        // A code stands for its whole branch of the table: 「大学」 includes 本科 and 专科.
        return { op: 'in', field: name, values: [...new Set((values as string[]).flatMap((v) => withDescendants(field.codes!, v)))] };
      }
      case 'between': {
        if (field.kind === 'number') {
          const min = raw.min ?? undefined, max = raw.max ?? undefined;
          for (const [k, v] of [['min', min], ['max', max]] as const) {
            if (v !== undefined && (typeof v !== 'number' || !Number.isFinite(v))) return this.fail(`${path}/${k}`, `「${field.title}」的${k === 'min' ? '下限' : '上限'}应为数字`);
          }
          if (min === undefined && max === undefined) return this.fail(path, `「${field.title}」请填写范围`);
          return { op: 'numRange', field: name, ...(min !== undefined ? { min: min as number } : {}), ...(max !== undefined ? { max: max as number } : {}) };
        }
        const from = raw.from || undefined, to = raw.to || undefined;
        for (const [k, v, w] of [['from', from, '起始'], ['to', to, '截止']] as const) {
          if (v !== undefined && !isDate(v)) return this.fail(`${path}/${k}`, `「${field.title}」的${w}日期「${String(v)}」不是有效日期（应为 年-月-日，如 2020-07-01）`);
        }
        if (from === undefined && to === undefined) return this.fail(path, `「${field.title}」请填写起始或截止日期`);
        if (from !== undefined && to !== undefined && from > to) return this.fail(`${path}/to`, `「${field.title}」的截止日期早于起始日期`);
        return { op: 'range', field: name, ...(from ? { from: from as string } : {}), ...(to ? { to: to as string } : {}) };
      }
      case 'age': {
        // Worded as the field's years since are: 「年龄…岁」 for a birth date, 「距今年数…年」 otherwise.
        const noun = op.bands![field.bands ?? 'elapsed']!, unit = field.bands === 'age' ? '岁' : '年';
        const at = raw.at || today();
        if (!isDate(at)) return this.fail(`${path}/at`, `「${field.title}」计算${noun}的日期「${String(at)}」不是有效日期（应为 年-月-日）`);
        const min = raw.min ?? undefined, max = raw.max ?? undefined;
        for (const [k, v] of [['min', min], ['max', max]] as const) {
          if (v !== undefined && (!Number.isInteger(v) || (v as number) < 0 || (v as number) > 150)) return this.fail(`${path}/${k}`, `「${field.title}」的${noun}应为 0 到 150 之间的整数（${unit}）`);
        }
        if (min === undefined && max === undefined) return this.fail(path, `「${field.title}」请填写${noun}范围`);
        if (min !== undefined && max !== undefined && (min as number) > (max as number)) return this.fail(`${path}/max`, `「${field.title}」的${noun}上限小于下限`);
        // age ≥ min: born on or before `at` less min years; age ≤ max: born after `at` less max+1 years.
        return {
          op: 'range', field: name,
          ...(min !== undefined ? { to: bornBy(at as string, min as number) } : {}),
          ...(max !== undefined ? { above: bornBy(at as string, (max as number) + 1) } : {}),
        };
      }
      case 'contains': case 'equals': {
        const v = raw.value;
        if (field.kind === 'boolean') {
          if (typeof v !== 'boolean') return this.fail(`${path}/value`, `「${field.title}」应选择是或否`);
          return { op: 'equals', field: name, value: v };
        }
        if (field.kind === 'number') {
          if (typeof v !== 'number' || !Number.isFinite(v)) return this.fail(`${path}/value`, `「${field.title}」应为数字`);
          return { op: 'equals', field: name, value: v };
        }
        if (typeof v !== 'string' || !v.trim()) return this.fail(`${path}/value`, `「${field.title}」请填写要${op.title}的文字`);
        if (v.length > 200) return this.fail(`${path}/value`, `「${field.title}」的文字最长 200 字`);
        return raw.op === 'contains' ? { op: 'contains', field: name, text: v.trim() } : { op: 'equals', field: name, value: v.trim() };
      }
    }
    return undefined;
  }
}

/**
 * A person's condition tree, checked against the collection's schema and code tables: every field
 * named must exist, each operator fit its field's kind, each value be of its field's type (a date a
 * real date, a code one of the table's), groups at most MAX_DEPTH deep. Any fault is thrown with
 * every fault found, named by the field's title and pointing at the condition; nothing is run.
 * Absent: no condition (every record in scope).
 */
export function readConditions(collection: Collection, raw: unknown, pointer = '/where'): Condition | undefined {
  if (raw === undefined || raw === null) return undefined;
  const reader = new ConditionReader(queryFields(collection));
  const tree = reader.node(raw, pointer, 1);
  if (reader.errors.length || !tree) {
    const errors = reader.errors.length ? reader.errors : [{ path: pointer, message: '条件无效' }];
    throw new DomainError('invalid', 'invalid_query', `查询条件有误：${errors.map((e) => e.message).join('；')}`, errors);
  }
  return tree;
}
