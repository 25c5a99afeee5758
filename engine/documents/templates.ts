import type Handlebars from 'handlebars';
import type { AppConfig } from '../config/types.js';
import { configText } from '../config/source.js';
import { parseConfigJson } from '../config/json-text.js';
import type { AppRuntime } from '../runtime/runtime.js';
import { DomainError } from '../errors.js';
import { documentProblems, type DocumentConfig } from './config.js';
import type { XlsxLayout } from './xlsx-layout.js';
import { layoutProblems, layoutTexts } from './xlsx-layout-check.js';

/** A document of the config as the runtime serves it: its template compiled at load time. */
export interface CompiledDocument {
  config: DocumentConfig;
  /** A Handlebars HTML template (*.hbs). */
  html?: Handlebars.TemplateDelegate;
  /** An xlsx layout (*.xlsx.json), its shape checked and every text compiled. */
  layout?: XlsxLayout;
}

/** The Handlebars environment (with helpers) of one application runtime. */
export function handlebarsFor(runtime: AppRuntime): typeof Handlebars {
  return runtime.handlebars;
}

const at = (loc: any) => (loc?.start ? `第${loc.start.line}行第${loc.start.column + 1}列: ` : '');

/**
 * Helper calls and partials of a template that the environment does not have: Handlebars would
 * compile them and fail on every render ("Missing helper"), so the config check names them.
 */
export function unknownNames(hb: typeof Handlebars, ast: hbs.AST.Program): string[] {
  const out: string[] = [];
  const helpers = Object.keys(hb.helpers).filter((h) => !/Missing$/.test(h));
  const visit = (node: any) => {
    if (!node || typeof node !== 'object') return;
    const calls = node.type === 'MustacheStatement' || node.type === 'SubExpression' || node.type === 'BlockStatement';
    const name = node.path?.type === 'PathExpression' ? node.path.original : undefined;
    if (calls && name && (node.params?.length || node.hash) && !hb.helpers[name]) {
      out.push(`${at(node.loc)}未知的模板函数 "${name}"（可用：${helpers.join('、')}；见 templates/README.md）`);
    }
    if ((node.type === 'PartialStatement' || node.type === 'PartialBlockStatement') && !hb.partials[node.name?.original]) {
      out.push(`${at(node.loc)}模板片段（partial）"${node.name?.original ?? ''}" 不存在`);
    }
    for (const value of Object.values(node)) {
      if (Array.isArray(value)) value.forEach(visit);
      else if (value && typeof value === 'object' && value !== node.loc) visit(value);
    }
  };
  visit(ast);
  return out;
}

/** Handlebars' parse error in Chinese, with its line. */
function syntaxMessage(message: string): string {
  const mismatch = /^(\S+) doesn't match (\S+) - (\d+):(\d+)/.exec(message);
  if (mismatch) return `第${mismatch[3]}行第${Number(mismatch[4]) + 1}列: {{/${mismatch[2]}}} 与 {{#${mismatch[1]}}} 不配对（块没有正确闭合）`;
  const line = /on line (\d+)/.exec(message)?.[1];
  const where = line ? `第${line}行: ` : '';
  if (/got 'EOF'/.test(message)) return `${where}模板语法错误：到文件末尾仍有块（{{#if}}、{{#each}} 等）没有用 {{/…}} 闭合`;
  const got = /got '([^']+)'/.exec(message)?.[1];
  return `${where}模板语法错误${got ? `（此处不应出现 ${got}）` : ''}：${message.split('\n').slice(-1)[0]}`;
}

/** Parses, checks and compiles one Handlebars source; problems are prefixed with `where`. */
export function compileChecked(hb: typeof Handlebars, source: string, where: string, problems: string[], raw = false): Handlebars.TemplateDelegate | undefined {
  let ast: hbs.AST.Program;
  try {
    ast = hb.parse(source);
  } catch (err) {
    problems.push(`${where}: ${syntaxMessage((err as Error).message)}`);
    return undefined;
  }
  const unknown = unknownNames(hb, ast);
  problems.push(...unknown.map((u) => `${where}: ${u}`));
  return unknown.length ? undefined : hb.compile(ast, { noEscape: raw, strict: false });
}

/**
 * Every document of every collection, compiled from the config snapshot with the runtime's
 * Handlebars environment. A request renders only what is here, so it can never see a template
 * that the checks refused, nor one changed on disk since.
 */
export function compileDocuments(config: AppConfig, hb: typeof Handlebars, problems: string[]): Map<string, CompiledDocument> {
  const out = new Map<string, CompiledDocument>();
  for (const c of config.collections.values()) {
    for (const name of Object.keys(c.documents ?? {})) {
      const where = `forms/app.json: collections.${c.name}.documents.${name}`;
      const { config: doc, problems: found } = documentProblems(c, name, config.collections);
      problems.push(...found.map((p) => `${where}${p}`));
      if (!doc) continue;
      const file = `templates/${doc.template}`;
      const text = configText(config.source, file);
      if (text === undefined) {
        problems.push(`${where}.template: 模板文件 ${file} 不存在`);
        continue;
      }
      if (doc.template.endsWith('.xlsx.json')) {
        const before = problems.length;
        const parsed = parseConfigJson<unknown>(text, file, problems);
        if (parsed === undefined) continue;
        problems.push(...layoutProblems(parsed, doc.template));
        if (problems.length > before) continue;
        const layout = parsed as XlsxLayout;
        for (const t of layoutTexts(layout)) compileChecked(hb, t.source, `${file}: ${t.at}`, problems, true);
        if (problems.length === before) out.set(`${c.name}/${name}`, { config: doc, layout });
      } else {
        const html = compileChecked(hb, text, file, problems);
        if (html) out.set(`${c.name}/${name}`, { config: doc, html });
      }
    }
  }
  return out;
}

function compiled(runtime: AppRuntime, doc: DocumentConfig): CompiledDocument {
  const hit = runtime.documents.get(`${doc.collection}/${doc.name}`);
  if (!hit) throw new DomainError('internal', 'template_error', `文档「${doc.title}」的模板没有通过配置检查`);
  return hit;
}

/** The compiled HTML template of a document, from the runtime's config snapshot. */
export function documentTemplate(runtime: AppRuntime, doc: DocumentConfig): Handlebars.TemplateDelegate {
  const html = compiled(runtime, doc).html;
  if (!html) throw new DomainError('internal', 'template_error', `文档「${doc.title}」的模板不是 HTML 模板`);
  return html;
}

/** The checked xlsx layout of a document, from the runtime's config snapshot. */
export function documentLayout(runtime: AppRuntime, doc: DocumentConfig): XlsxLayout {
  const layout = compiled(runtime, doc).layout;
  if (!layout) throw new DomainError('internal', 'template_error', `文档「${doc.title}」的模板不是 xlsx 布局`);
  return layout;
}

const cache = new WeakMap<typeof Handlebars, Map<string, Handlebars.TemplateDelegate>>();

/**
 * A compiled Handlebars template for a text of a layout (cells, conditions); `raw` turns HTML
 * escaping off. Every such text was compiled and checked when the config was loaded.
 */
export function compile(hb: typeof Handlebars, source: string, raw = false): Handlebars.TemplateDelegate {
  let texts = cache.get(hb);
  if (!texts) cache.set(hb, (texts = new Map()));
  const key = (raw ? 'r:' : 'h:') + source;
  let fn = texts.get(key);
  if (!fn) {
    const problems: string[] = [];
    fn = compileChecked(hb, source, '模板', problems, raw);
    if (!fn) throw new DomainError('internal', 'template_error', `模板有误：${problems.join('；')}`);
    if (texts.size > 5000) texts.clear();
    texts.set(key, fn);
  }
  return fn;
}
