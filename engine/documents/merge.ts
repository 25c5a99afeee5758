import type { PDFDocument, PDFEmbeddedPage, PDFPage } from 'pdf-lib';
import { loadPdfLib } from '../lazy-modules.js';

/** A printed part of a batch and, for each of its pages, the form to draw under it (null: none). */
export interface PrintedPart { pdf: Buffer; under: (number | null)[] }

type PdfLib = Awaited<ReturnType<typeof loadPdfLib>>;

/**
 * Draws `form` under what `page` already shows: a content stream of its own put before the
 * page's, so the values printed on the page come on top of the form's lines and labels.
 */
function drawUnder(lib: PdfLib, out: PDFDocument, page: PDFPage, form: PDFEmbeddedPage): void {
  const key = page.node.newXObject('SharedForm', form.ref);
  const ops = [lib.pushGraphicsState(), lib.drawObject(key), lib.popGraphicsState()];
  const under = out.context.register(out.context.contentStream(ops));
  const contents = page.node.Contents();
  if (!(contents instanceof lib.PDFArray)) throw new Error('page contents not normalised');
  contents.insert(0, under);
}

/**
 * Joins PDFs into one, pages in order. Parts may still be printing: each is copied as soon as
 * it and those before it are there, so only the last copy and the save come after printing.
 * `forms` holds the blank forms a part's pages name in `under`: each is embedded once, as one
 * Form XObject every page of that form draws.
 */
export async function mergePdfs(parts: Promise<Buffer | PrintedPart>[], forms?: PDFDocument): Promise<Buffer> {
  if (parts.length === 1 && !forms) return parts[0] as Promise<Buffer>;
  const lib = await loadPdfLib();
  const out = await lib.PDFDocument.create();
  const embedded = forms ? await out.embedPages(forms.getPages()) : [];
  for (const part of parts) {
    const got = await part;
    const { pdf, under } = Buffer.isBuffer(got) ? { pdf: got, under: [] } : got;
    // pdf-lib pauses every 100 objects by default (a 125-sheet part has ~5 000): half its time.
    const src = await lib.PDFDocument.load(pdf, { parseSpeed: lib.ParseSpeeds.Fastest, updateMetadata: false });
    if (under.length && under.length !== src.getPageCount()) throw new Error(`printed ${src.getPageCount()} pages for ${under.length} sheets`);
    const pages = await out.copyPages(src, src.getPageIndices());
    pages.forEach((p, i) => {
      out.addPage(p);
      const form = under[i];
      if (form !== null && form !== undefined) drawUnder(lib, out, p, embedded[form]);
    });
  }
  // Without object streams: saving is a third faster and the file only a little larger.
  return Buffer.from(await out.save({ useObjectStreams: false, objectsPerTick: Infinity }));
}
