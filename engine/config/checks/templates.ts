import Handlebars from 'handlebars';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { AppConfig, Collection } from '../types.js';
import type { ConfigCheck } from './types.js';

/** Every path expression of a Handlebars source (`data.name`, `unit.code.category.label` …). */
function templatePaths(source: string): string[] {
  const out: string[] = [];
  const visit = (node: any) => {
    if (!node || typeof node !== 'object') return;
    if (node.type === 'PathExpression') out.push(node.original);
    for (const value of Object.values(node)) {
      if (Array.isArray(value)) value.forEach(visit);
      else if (value && typeof value === 'object') visit(value);
    }
  };
  visit(Handlebars.parse(source));
  return out;
}

/** The Handlebars snippets inside an xlsx layout file (any string value holding "{{"). */
function layoutSnippets(value: unknown, out: string[] = []): string[] {
  if (typeof value === 'string' && value.includes('{{')) out.push(value);
  else if (Array.isArray(value)) value.forEach((v) => layoutSnippets(v, out));
  else if (value && typeof value === 'object') Object.values(value).forEach((v) => layoutSnippets(v, out));
  return out;
}

/**
 * A field named after `data.`, `code.` or `date.` must exist: in the document's own collection
 * when the path starts there, else (an alias of a related record, e.g. `unit.data.x`) in one of
 * the collections the document relates.
 */
function unknownFields(paths: string[], own: Collection, related: Collection[]): string[] {
  const bad = new Set<string>();
  for (const p of paths) {
    const parts = p.split('.');
    const i = parts.findIndex((s) => s === 'data' || s === 'code' || s === 'date');
    if (i < 0 || i + 1 >= parts.length) continue;
    const field = parts[i + 1];
    const pool = i === 0 ? [own] : [own, ...related];
    if (!pool.some((c) => c.rawSchema.properties?.[field])) bad.add(`${p}（字段 "${field}" 不存在）`);
  }
  return [...bad];
}

/** Document templates exist, compile, and name only fields their collections have. */
export const templatesCheck: ConfigCheck = (app: AppConfig) => {
  const out: string[] = [];
  for (const c of app.collections.values()) {
    for (const [name, raw] of Object.entries<any>(c.documents ?? {})) {
      const where = `app.json: collections.${c.name}.documents.${name}`;
      const file = typeof raw?.template === 'string' ? raw.template : '';
      const path = join(app.root, 'templates', file);
      if (!file || !existsSync(path)) {
        out.push(`${where}: 模板文件 templates/${file} 不存在`);
        continue;
      }
      const related = Object.values<any>(raw.related ?? {}).map((r) => app.collections.get(r?.collection));
      if (related.some((r) => !r)) out.push(`${where}: related 引用了不存在的集合`);
      try {
        const text = readFileSync(path, 'utf8');
        const snippets = file.endsWith('.json') ? layoutSnippets(JSON.parse(text)) : [text];
        const paths = snippets.flatMap(templatePaths);
        for (const f of unknownFields(paths, c, related.filter((r): r is Collection => !!r))) out.push(`templates/${file}: ${f}`);
      } catch (err) {
        out.push(`templates/${file}: 无法解析：${(err as Error).message.split('\n')[0]}`);
      }
    }
  }
  return out;
};
