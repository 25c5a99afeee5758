import type { ErrorObject } from 'ajv';
import type { JsonSchema } from './types.js';

/**
 * ajv's English about a config file itself (a schema that breaks the JSON Schema rules, a
 * manifest of the wrong shape) turned into Chinese, each with the JSON pointer of the place.
 */

const TYPES: Record<string, string> = {
  string: '文字（字符串）', number: '数字', integer: '整数', boolean: 'true 或 false', array: '数组 [...]', object: '对象 {...}', null: 'null',
};

/** Keywords whose error says the most, first; anyOf/oneOf only summarise the others. */
const RANK = ['required', 'additionalProperties', 'enum', 'const', 'type', 'minimum', 'minItems', 'minLength', 'pattern', 'format', 'uniqueItems'];

function say(e: ErrorObject): string {
  const p = e.params as Record<string, any>;
  switch (e.keyword) {
    case 'type': return `应为${String(p.type).split(',').map((t) => TYPES[t] ?? t).join('或')}`;
    case 'required': return `缺少属性 "${p.missingProperty}"`;
    case 'additionalProperties': return `不认识的属性 "${p.additionalProperty}"`;
    case 'enum': return `应为以下之一：${(p.allowedValues as unknown[]).map((v) => JSON.stringify(v)).join('、')}`;
    case 'const': return `应为 ${JSON.stringify(p.allowedValue)}`;
    case 'minimum': return `应不小于 ${p.limit}`;
    case 'minItems': return `至少应有 ${p.limit} 项`;
    case 'minLength': return '不能为空';
    case 'uniqueItems': return `有重复的项（第 ${p.j + 1} 项与第 ${p.i + 1} 项）`;
    case 'pattern': return `格式不对（应符合 ${p.pattern}）`;
    default: return `取值无效（${e.message ?? e.keyword}）`;
  }
}

/** One Chinese problem per place: "file: /pointer: what is wrong". */
export function configErrors(file: string, errors: ErrorObject[] | null | undefined): string[] {
  const byPlace = new Map<string, ErrorObject[]>();
  for (const e of errors ?? []) {
    const place = e.keyword === 'additionalProperties' ? `${e.instancePath}/${(e.params as any).additionalProperty}` : e.instancePath;
    byPlace.set(place, [...(byPlace.get(place) ?? []), e]);
  }
  const out: string[] = [];
  for (const [place, list] of byPlace) {
    const rank = (e: ErrorObject) => (RANK.indexOf(e.keyword) + 100) % 100 + (RANK.includes(e.keyword) ? 0 : 50);
    const best = [...list].sort((a, b) => rank(a) - rank(b))[0];
    out.push(`${file}: ${place || '/'}: ${say(best)}`);
  }
  return out;
}

/** JSON pointers of every object inside `schema` that has the key `key`. */
function placesOfKey(schema: unknown, key: string, at = ''): string[] {
  if (!schema || typeof schema !== 'object') return [];
  const here = !Array.isArray(schema) && Object.prototype.hasOwnProperty.call(schema, key) ? [at || '/'] : [];
  return [...here, ...Object.entries(schema).flatMap(([k, v]) => placesOfKey(v, key, `${at}/${k.replace(/~/g, '~0').replace(/\//g, '~1')}`))];
}

/** ajv's compile error (strict mode, unknown format …) about `schema` in Chinese with its place. */
export function schemaCompileError(file: string, schema: JsonSchema, message: string): string[] {
  const keyword = /unknown keyword: "([^"]+)"/.exec(message)?.[1];
  if (keyword) {
    const places = placesOfKey(schema, keyword);
    return (places.length ? places : ['/']).map((p) => `${file}: ${p}: 不认识的关键字 "${keyword}"（拼写错误？JSON Schema 2020-12 的关键字或 x- 开头的扩展才可用）`);
  }
  const format = /unknown format "([^"]+)"(?: ignored)? in schema at path "#([^"]*)"/.exec(message);
  if (format) return [`${file}: ${format[2] || '/'}: 不认识的格式 "${format[1]}"`];
  return [`${file}: JSON Schema 有误：${message}`];
}
