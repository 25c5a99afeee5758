import type { Collection } from '../config/types.js';
import { DomainError, domainNotFound } from '../errors.js';
import { own } from '../own.js';

/** An output format a document may be produced in. */
export type DocumentFormat = 'html' | 'pdf' | 'xlsx';

/** Records of another collection a document shows beside its own record. */
export interface RelatedConfig {
  collection: string;
  /** "node": records hanging on the document record's tree node (for a tree record: the record itself). */
  on: 'node';
}

/** One entry of a collection's `documents` block in forms/app.json. */
export interface DocumentConfig {
  name: string;
  /** The collection whose records it prints. */
  collection: string;
  title: string;
  /** File in templates/: a Handlebars HTML template, or an xlsx layout (`*.xlsx.json`). */
  template: string;
  formats: DocumentFormat[];
  /** Workflow states in which the document may be produced as final; absent → any state. */
  allowedStates?: (string | null)[];
  /** States in which it may be produced only as a marked draft (e.g. for offline confirmation). */
  draftStates?: (string | null)[];
  /** Text shown on a draft print. */
  draftWatermark?: string;
  related?: Record<string, RelatedConfig>;
  /**
   * Files the template loads besides its HTML (web fonts and the stylesheets declaring them), by
   * name: "npm:<package>[/folder]" or a folder inside templates/. The template reaches them as
   * `{{assets.<name>}}/<file>` (see assets.ts).
   */
  assets?: Record<string, string>;
}

const FORMATS: DocumentFormat[] = ['html', 'pdf', 'xlsx'];

const states = (v: unknown) => v === undefined || (Array.isArray(v) && v.every((s) => s === null || typeof s === 'string'));

/**
 * A document entry of collection `c` checked as a whole when the config is loaded: each problem
 * starts with its place under the entry (".formats: …"); `config` is what a render uses.
 */
export function documentProblems(c: Collection, name: string, collections?: Map<string, Collection>): { config?: DocumentConfig; problems: string[] } {
  const raw = (c.documents ?? {})[name] as Partial<DocumentConfig> | undefined;
  if (!raw || typeof raw !== 'object' || Array.isArray(raw)) return { problems: [': 应为对象 {...}'] };
  const problems: string[] = [];
  if (!/^[\w-]+$/.test(name)) problems.push(': 文档名称只能由字母、数字、- 和 _ 组成');
  if (raw.title !== undefined && typeof raw.title !== 'string') problems.push('.title: 应为文字');
  const xlsx = typeof raw.template === 'string' && raw.template.endsWith('.xlsx.json');
  if (typeof raw.template !== 'string' || !/^[\w.-]+$/.test(raw.template) || raw.template.startsWith('.')) {
    problems.push('.template: 应为 templates/ 中的文件名（如 "sheet.hbs" 或 "sheet.xlsx.json"）');
  }
  const formats = raw.formats ?? ['html'];
  if (!Array.isArray(formats) || formats.some((f) => !FORMATS.includes(f))) problems.push(`.formats: 应为 ${FORMATS.map((f) => `"${f}"`).join('、')} 组成的数组`);
  else if (formats.some((f) => (f === 'xlsx') !== xlsx)) problems.push('.formats: "xlsx" 需要 *.xlsx.json 布局，"html"、"pdf" 需要 .hbs 模板');
  if (!states(raw.allowedStates)) problems.push('.allowedStates: 应为状态名（或 null）的数组');
  if (!states(raw.draftStates)) problems.push('.draftStates: 应为状态名（或 null）的数组');
  if (raw.draftWatermark !== undefined && typeof raw.draftWatermark !== 'string') problems.push('.draftWatermark: 应为文字');
  for (const [key, rel] of Object.entries<any>(raw.related ?? {})) {
    if (!rel || (collections && !collections.has(rel.collection))) problems.push(`.related.${key}.collection: 集合 "${rel?.collection}" 不存在`);
    if (rel?.on !== 'node') problems.push(`.related.${key}.on: 应为 "node"`);
  }
  const assets = raw.assets ?? {};
  if (typeof assets !== 'object' || Array.isArray(assets) || Object.entries(assets).some(([k, v]) => !/^[\w-]+$/.test(k) || typeof v !== 'string')) {
    problems.push('.assets: 应为 {名称: "npm:包名" 或 templates/ 中的文件夹}，名称只能由字母、数字、- 和 _ 组成');
  }
  if (problems.length) return { problems };
  return { problems, config: { ...raw, name, collection: c.name, title: raw.title ?? name, template: raw.template!, formats, assets } as DocumentConfig };
}

/** The document `name` of collection `c` (checked when the config was loaded); 404 when not declared. */
export function documentConfig(c: Collection, name: string): DocumentConfig {
  if (!Object.prototype.hasOwnProperty.call(c.documents ?? {}, name)) throw domainNotFound('文档模板');
  const { config, problems } = documentProblems(c, name);
  if (!config) throw new DomainError('internal', 'bad_document_config', `文档「${name}」的配置无效${problems[0] ?? ''}`);
  return config;
}

/** Checks that the document is offered in `format`; 404 otherwise. */
export function requireFormat(doc: DocumentConfig, format: string): DocumentFormat {
  if (!doc.formats.includes(format as DocumentFormat)) throw domainNotFound(`文档「${doc.title}」的 ${format} 格式`);
  return format as DocumentFormat;
}

/** How a record in `state` may be printed: final, as a marked draft, or not at all (409). */
export function printMode(doc: DocumentConfig, state: string | null, stateTitle: string | null): 'final' | 'draft' {
  if (!doc.allowedStates || doc.allowedStates.includes(state)) return 'final';
  if (doc.draftStates?.includes(state)) return 'draft';
  throw new DomainError('conflict', 'wrong_state', `记录当前状态为「${stateTitle ?? state ?? '无'}」，不能打印「${doc.title}」`);
}
