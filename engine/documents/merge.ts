import { loadPdfLib } from '../lazy-modules.js';

/**
 * Joins PDFs into one, pages in order. Parts may still be printing: each is copied as soon as
 * it and those before it are there, so only the last copy and the save come after printing.
 */
export async function mergePdfs(parts: Promise<Buffer>[]): Promise<Buffer> {
  if (parts.length === 1) return parts[0];
  const { PDFDocument, ParseSpeeds } = await loadPdfLib();
  const out = await PDFDocument.create();
  for (const part of parts) {
    // pdf-lib pauses every 100 objects by default (a 125-sheet part has ~5 000): half its time.
    const src = await PDFDocument.load(await part, { parseSpeed: ParseSpeeds.Fastest, updateMetadata: false });
    const pages = await out.copyPages(src, src.getPageIndices());
    for (const p of pages) out.addPage(p);
  }
  // Without object streams: saving is a third faster and the file only a little larger.
  return Buffer.from(await out.save({ useObjectStreams: false, objectsPerTick: Infinity }));
}
