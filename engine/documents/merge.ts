import type { PDFDocument, PDFName, PDFPage, PDFRef } from 'pdf-lib';
import { loadPdfLib } from '../lazy-modules.js';

/** A printed part of a batch and, for each of its pages, the form to draw under it (null: none). */
export interface PrintedPart { pdf: Buffer; under: (number | null)[] }

type PdfLib = Awaited<ReturnType<typeof loadPdfLib>>;

/**
 * A form embedded once (a Form XObject) and the one content stream that draws it, shared by all
 * its pages: a stream per page would be deflated once per page on saving, a few hundred kB of
 * buffers each time.
 */
interface SharedForm { name: PDFName; xobject: PDFRef; draw: PDFRef }

async function embedForms(lib: PdfLib, out: PDFDocument, forms: PDFDocument): Promise<SharedForm[]> {
  const embedded = await out.embedPages(forms.getPages());
  return embedded.map((form, k) => {
    const name = lib.PDFName.of(`SharedForm${k}`);
    const ops = [lib.pushGraphicsState(), lib.drawObject(name), lib.popGraphicsState()];
    return { name, xobject: form.ref, draw: out.context.register(lib.PDFContentStream.of(out.context.obj({}), ops, false)) };
  });
}

/** Draws `form` under what `page` already shows: its stream goes before the page's own, so the values come on top. */
function drawUnder(lib: PdfLib, page: PDFPage, form: SharedForm): void {
  page.node.setXObject(form.name, form.xobject);
  const contents = page.node.Contents();
  if (!(contents instanceof lib.PDFArray)) throw new Error('page contents not normalised');
  contents.insert(0, form.draw);
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
  const shared = forms ? await embedForms(lib, out, forms) : [];
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
      if (form !== null && form !== undefined) drawUnder(lib, p, shared[form]);
    });
  }
  // Without object streams: saving is a third faster and the file only a little larger.
  return Buffer.from(await out.save({ useObjectStreams: false, objectsPerTick: Infinity }));
}
