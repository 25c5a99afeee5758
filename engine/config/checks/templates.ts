import Handlebars from 'handlebars';
import type { AppConfig, Collection } from '../types.js';
import type { AppRuntime } from '../../runtime/runtime.js';
import type { ConfigCheck } from './types.js';
import { configText } from '../source.js';
import { layoutTexts } from '../../documents/xlsx-layout-check.js';
import { lookup } from '../../documents/xlsx-layout.js';
import { compile, type CompiledDocument } from '../../documents/templates.js';
import { sampleSheet } from './sample-record.js';

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
    if (!pool.some((c) => hasField(c, field))) bad.add(`${p}（字段 "${field}" 不存在，印出来是空白）`);
  }
  return [...bad];
}

/** A field of the collection, or a column of one of its child tables (a row seen in `{{#each rows.<table>}}`). */
const hasField = (c: Collection, field: string) => !!c.rawSchema.properties?.[field]
  || Object.values<any>(c.rawSchema.properties ?? {}).some((p) => p?.type === 'array' && p.items?.properties?.[field]);

/** Renders an xlsx layout's texts as the workbook writer would, against one sheet context. */
function renderLayout(rt: AppRuntime, doc: CompiledDocument, ctx: Record<string, unknown>) {
  const texts = new Map(layoutTexts(doc.layout!).map((t) => [t.at, t.source]));
  doc.layout!.sheets.forEach((s, i) => {
    const scope: Record<string, unknown> = { ...ctx };
    for (const [name, path] of Object.entries(s.let ?? {})) scope[name] = lookup(ctx, path);
    const run = (at: string, where = scope) => {
      const source = texts.get(at);
      if (source === undefined) return;
      try {
        compile(rt.handlebars, source, true)(where);
      } catch (err) {
        throw new Error(`${at}: ${(err as Error).message}`);
      }
    };
    run(`/sheets/${i}/name`); run(`/sheets/${i}/when`);
    s.rows.forEach((r, j) => {
      const list = r.repeat ? lookup(scope, r.repeat.each) : undefined;
      const item = Array.isArray(list) ? list[r.repeat!.from ?? 0] ?? {} : {};
      const rowScope = r.repeat ? { ...scope, [r.repeat.as ?? 'item']: item, number: 1, index: 0 } : scope;
      run(`/sheets/${i}/rows/${j}/when`);
      r.cells.forEach((_, k) => { run(`/sheets/${i}/rows/${j}/cells/${k}/value`, rowScope); run(`/sheets/${i}/rows/${j}/cells/${k}/when`, rowScope); });
    });
  });
}

/**
 * Every document is rendered against a sample record of its collection (as a draft and as
 * final): a template that would fail on every print is a problem. A field path the schema does
 * not have is a warning (it prints blank, which may be meant while a schema is being changed).
 */
export const templatesCheck: ConfigCheck = (app: AppConfig, rt: AppRuntime) => {
  const problems: string[] = [];
  const warnings: string[] = [];
  for (const doc of rt.documents.values()) {
    const c = app.collections.get(doc.config.collection)!;
    const file = `templates/${doc.config.template}`;
    const related = doc.config.related ?? {};
    for (const draft of [true, false]) {
      const ctx = sampleSheet(app, c, related, draft);
      try {
        if (doc.html) doc.html({ ...ctx, sheets: [ctx], document: { name: doc.config.name, title: doc.config.title }, assets: {} });
        else renderLayout(rt, doc, { ...ctx, document: { name: doc.config.name, title: doc.config.title } });
      } catch (err) {
        problems.push(`${file}: 用示例记录试印时出错：${(err as Error).message.split('\n')[0]}`);
        break;
      }
    }
    const text = configText(app.source, file) ?? '';
    const snippets = doc.layout ? layoutTexts(doc.layout).map((t) => t.source) : [text];
    const relatedCollections = Object.values(related).map((r) => app.collections.get(r.collection)!);
    for (const f of unknownFields(snippets.flatMap(templatePaths), c, relatedCollections)) warnings.push(`${file}: ${f}`);
  }
  return { problems, warnings };
};
