import type { Principal } from '../auth/principal.js';
import type { Collection } from '../config/types.js';
import type { StoredRecord } from '../ports.js';
import type { RecordService } from '../records/service.js';
import { actorOf } from '../auth/actor.js';
import { domainNotFound } from '../errors.js';
import { documentConfig, requireFormat, type DocumentConfig } from './config.js';
import { ContextBuilder, type SheetSource } from './context.js';
import { htmlRenderer, renderHtml } from './html.js';
import { htmlToPdf } from './pdf.js';
import { printOverlay } from './overlay.js';
import { renderXlsx } from './xlsx.js';
import { mergePdfs } from './merge.js';
import { printAssets, PRINT_ORIGIN } from './assets.js';
import { printInParallel } from './batch.js';

/** A produced file, ready to send. */
export interface RenderedDocument {
  body: Buffer | string;
  contentType: string;
  /** File name (without directory) to offer for download. */
  filename: string;
  /** Shown in the browser (HTML preview) rather than downloaded. */
  inline: boolean;
}

const TYPES = {
  html: 'text/html; charset=utf-8',
  pdf: 'application/pdf',
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
};

/** Splits "member-sheet.pdf" into the document name and format; 404 for anything else. */
export function parseDocumentFile(file: string): { name: string; format: string } {
  const m = /^([\w-]+)\.(html|pdf|xlsx)$/.exec(file);
  if (!m) throw domainNotFound('文档');
  return { name: m[1], format: m[2] };
}

/** What one record's document is rendered from: the sheet source, and the record service that reads the record under the user's grants. */
export interface DocumentSource extends SheetSource {
  readonly records: Pick<RecordService, 'read'>;
}

const safeName = (s: string) => s.replace(/[\\/:*?"<>|\s]+/g, '_').slice(0, 80);

/** One record's document in one format, read through the permission predicate (404 when out of scope). */
export async function renderRecordDocument(src: DocumentSource, user: Principal, collection: string, id: string, file: string): Promise<RenderedDocument> {
  const { name, format } = parseDocumentFile(file);
  const c = src.runtime.collection(collection);
  const doc = documentConfig(c, name);
  const fmt = requireFormat(doc, format);
  const record = await src.records.read(actorOf(user), c.name, id);
  const ctx = await new ContextBuilder(src, user, doc).build(c, record);
  const title = safeName(`${doc.title}-${String(record.data[c.titleField ?? ''] ?? record.id)}`);
  if (fmt === 'xlsx') return { body: await renderXlsx(src.runtime, doc, ctx), contentType: TYPES.xlsx, filename: `${title}.xlsx`, inline: false };
  if (fmt === 'html') return { body: renderHtml(src.runtime, doc, [ctx]), contentType: TYPES.html, filename: `${title}.html`, inline: true };
  const pdf = await htmlToPdf(renderHtml(src.runtime, doc, [ctx], PRINT_ORIGIN), printAssets(src.runtime.config.source, doc));
  return { body: pdf, contentType: TYPES.pdf, filename: `${title}.pdf`, inline: false };
}

/**
 * One PDF for many records, one sheet each, printed in chunks on all warm pages at once and
 * merged in record order; `progress` hears the number of records done after every chunk. A
 * template that marks its values with slots has each distinct form printed once and per sheet
 * only the values (overlay.ts); each sheet is then rendered on its own, so such a template must
 * not depend on the other sheets of the batch.
 */
export async function renderBatchPdf(
  src: SheetSource, user: Principal, c: Collection, doc: DocumentConfig, records: StoredRecord[],
  progress: (done: number) => void = () => undefined,
): Promise<Buffer> {
  const builder = new ContextBuilder(src, user, doc);
  const assets = printAssets(src.runtime.config.source, doc);
  const contexts = async (from: number, to: number) => {
    const sheets = [];
    for (const r of records.slice(from, to)) sheets.push(await builder.build(c, r));
    return sheets;
  };
  const render = htmlRenderer(src.runtime, doc, PRINT_ORIGIN);
  const together = async (from: number, to: number) => render(await contexts(from, to));
  const each = async (from: number, to: number) => (await contexts(from, to)).map((ctx) => render([ctx]));
  const overlay = records.length > 1 ? await printOverlay({ total: records.length, each, together }, assets, progress) : null;
  return overlay ?? mergePdfs(printInParallel(records.length, async (from, to) => htmlToPdf(await together(from, to), assets), progress));
}
