import type { Collection } from '../config/types.js';
import { HttpError, notFound } from '../http/errors.js';
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

/** The document `name` of collection `c`, checked enough to render; 404 when not declared. */
export function documentConfig(c: Collection, name: string): DocumentConfig {
  const raw = own(c.documents, name) as Partial<DocumentConfig> | undefined;
  if (!raw || typeof raw !== 'object') throw notFound('文档模板');
  if (typeof raw.template !== 'string' || !/^[\w.-]+$/.test(raw.template) || raw.template.startsWith('.')) {
    throw new HttpError(500, 'bad_document_config', `文档「${name}」的 template 配置无效`);
  }
  const formats = (raw.formats ?? ['html']).filter((f): f is DocumentFormat => FORMATS.includes(f as DocumentFormat));
  const assets = raw.assets ?? {};
  if (typeof assets !== 'object' || Object.entries(assets).some(([k, v]) => !/^[\w-]+$/.test(k) || typeof v !== 'string')) {
    throw new HttpError(500, 'bad_document_config', `文档「${name}」的 assets 配置无效`);
  }
  return { ...raw, name, collection: c.name, title: raw.title ?? name, template: raw.template, formats, assets } as DocumentConfig;
}

/** Checks that the document is offered in `format`; 404 otherwise. */
export function requireFormat(doc: DocumentConfig, format: string): DocumentFormat {
  if (!doc.formats.includes(format as DocumentFormat)) throw notFound(`文档「${doc.title}」的 ${format} 格式`);
  return format as DocumentFormat;
}

/** How a record in `state` may be printed: final, as a marked draft, or not at all (409). */
export function printMode(doc: DocumentConfig, state: string | null, stateTitle: string | null): 'final' | 'draft' {
  if (!doc.allowedStates || doc.allowedStates.includes(state)) return 'final';
  if (doc.draftStates?.includes(state)) return 'draft';
  throw new HttpError(409, 'wrong_state', `记录当前状态为「${stateTitle ?? state ?? '无'}」，不能打印「${doc.title}」`);
}
