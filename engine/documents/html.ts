import type { AppRuntime } from '../runtime/runtime.js';
import type { DocumentConfig } from './config.js';
import type { SheetContext } from './context.js';
import { documentTemplate } from './templates.js';
import { assetUrls } from './assets.js';

/**
 * Renders a Handlebars HTML template. The template is a whole HTML document and receives
 * `sheets` (one context per record, one printed sheet each) plus the first sheet's fields at the
 * top level, so a single-record template may ignore `sheets`. `assets.<name>` is the URL of a
 * declared asset folder as seen from `origin` ('' in the user's browser, PRINT_ORIGIN in the printer).
 */
export function renderHtml(rt: AppRuntime, doc: DocumentConfig, sheets: SheetContext[], origin = ''): string {
  return htmlRenderer(rt, doc, origin)(sheets);
}

/** renderHtml with the template looked up once: for a batch that renders every sheet on its own. */
export function htmlRenderer(rt: AppRuntime, doc: DocumentConfig, origin = ''): (sheets: SheetContext[]) => string {
  // Compiled when the config was loaded: a refused edit of the template is never seen here.
  const template = documentTemplate(rt, doc);
  const common = { document: { name: doc.name, title: doc.title }, assets: assetUrls(doc, origin) };
  return (sheets) => template({ ...(sheets[0] ?? {}), sheets, ...common });
}
