import { loadPdfLib } from '../lazy-modules.js';
import type { AssetServer } from './page-pool.js';
import { fillBody, htmlToPdf, onLoadedPage, printPage, splitBody, type Framed } from './pdf.js';
import { SLOT_TAG, splitSlots } from './slots.js';
import { printForms, type FormLayout } from './form-layer.js';
import { valuesBody, OVERFLOWING, RESTYLED, slotStylesOf, type PlannedSheet } from './values-page.js';
import { mergePdfs, type PrintedPart } from './merge.js';
import { chunkSize, printInParallel } from './batch.js';

/** More distinct forms than this: the rarer ones print whole (each costs a page print). */
const MAX_FORMS = 64;

/** The sheets of a batch as the template renders them. */
export interface BatchSource {
  total: number;
  /** Sheets [from, to), each rendered on its own: a whole document per sheet. */
  each(from: number, to: number): Promise<string[]>;
  /** Sheets [from, to) rendered together: one document (the classic print). */
  together(from: number, to: number): Promise<string>;
}

/**
 * The skeletons shared by at least two of `sheets` (most used first): the forms to print once.
 * None for a template without slots.
 */
export function sharedForms(sheets: Framed[]): string[] {
  const uses = new Map<string, number>();
  for (const s of sheets) {
    const cut = splitSlots(s.body);
    if (cut) uses.set(cut.skeleton, (uses.get(cut.skeleton) ?? 0) + 1);
  }
  return [...uses].filter(([, n]) => n >= 2).sort((a, b) => b[1] - a[1]).slice(0, MAX_FORMS).map(([s]) => s);
}

/**
 * For each form, a sample of each slot's content to learn how its elements look in the sheet: the
 * first sheet's that holds an element there (else the first sheet's).
 */
export function slotSamples(sheets: Framed[], skeletons: string[]): string[][] {
  const samples: (string[] | undefined)[] = skeletons.map(() => undefined);
  const index = new Map(skeletons.map((s, i) => [s, i]));
  for (const s of sheets) {
    const cut = splitSlots(s.body);
    const i = cut ? index.get(cut.skeleton) : undefined;
    if (i === undefined) continue;
    const have = (samples[i] ??= [...cut!.contents]);
    cut!.contents.forEach((c, j) => { if (!have[j].includes('<') && c.includes('<')) have[j] = c; });
  }
  return samples.map((s) => s ?? []);
}

/** Each sheet over its form when one was printed for its skeleton, else whole. */
export function planSheets(sheets: Framed[], forms: Map<string, { index: number; layout: FormLayout }>): PlannedSheet[] {
  return sheets.map((s) => {
    const cut = splitSlots(s.body);
    const form = cut && forms.get(cut.skeleton);
    return form ? { whole: s.body, form: form.index, contents: cut.contents } : { whole: s.body, form: null, contents: [] };
  });
}

/**
 * Prints planned sheets: values over their forms, any sheet whose value does not fit its box
 * (OVERFLOWING) or whose value's elements lost a style the sheet gave them (RESTYLED) whole
 * instead, in the same print.
 */
function printValues(frame: Framed, plan: PlannedSheet[], layouts: (FormLayout | null)[], assets: AssetServer | null): Promise<PrintedPart> {
  return onLoadedPage(frame.head + valuesBody(plan, layouts) + frame.tail, assets, async (page) => {
    const overflowing = await page.evaluate(`(${OVERFLOWING})()`) as number[];
    const restyled = await page.evaluate(`(${RESTYLED})(${JSON.stringify(slotStylesOf(layouts))})`) as number[];
    const whole = new Set([...overflowing, ...restyled]);
    if (whole.size) {
      for (const n of whole) plan[n] = { ...plan[n], form: null };
      await fillBody(page, valuesBody(plan, layouts));
    }
    const pdf = await printPage(page);
    // A sheet printed whole whose content outgrew its page went on over more pages: the pages can
    // no longer be matched to their forms, so the chunk prints every sheet whole (the classic print).
    if (plan.some((s) => s.form === null) && await pageCount(pdf) !== plan.length) {
      await fillBody(page, valuesBody(plan.map((s) => ({ ...s, form: null })), layouts));
      return { pdf: await printPage(page), under: [] };
    }
    return { pdf, under: plan.map((s) => s.form) };
  });
}

/** How many pages a printed part has (read only when a sheet of it printed whole). */
async function pageCount(pdf: Buffer): Promise<number> {
  const { PDFDocument, ParseSpeeds } = await loadPdfLib();
  return (await PDFDocument.load(pdf, { parseSpeed: ParseSpeeds.Fastest, updateMetadata: false })).getPageCount();
}

/**
 * One PDF of a batch whose template marks its values with slots. The forms are the skeletons
 * shared within the first chunk, printed and measured once; then each chunk is rendered while
 * others print, its sheets printed as values over their forms (or whole), and merged over the
 * forms in order. Null when the template has no slots or the first chunk shares no form: the
 * caller prints the classic way.
 */
export async function printOverlay(src: BatchSource, assets: AssetServer | null, progress: (done: number) => void): Promise<Buffer | null> {
  const firstTo = Math.min(src.total, chunkSize(src.total));
  let first: (Framed | null)[] | null = (await src.each(0, firstTo)).map(splitBody);
  const frame = first[0];
  if (!frame || !frame.body.includes(`<${SLOT_TAG}>`)) return null;
  const sameFrame = (sheets: (Framed | null)[]): sheets is Framed[] => sheets.every((s) => s && s.head === frame.head && s.tail === frame.tail);
  const skeletons = sameFrame(first) ? sharedForms(first) : [];
  if (!skeletons.length) return null;
  const printed = await printForms(frame.head, frame.tail, skeletons, slotSamples(first as Framed[], skeletons), assets);
  const { PDFDocument } = await loadPdfLib();
  const formsPdf = await PDFDocument.load(printed.pdf, { updateMetadata: false });
  // A form that took more or less than a page cannot be told from the next: then all print whole.
  const usable = formsPdf.getPageCount() === skeletons.length;
  const forms = new Map(skeletons.flatMap((s, index) => {
    const layout = printed.layouts[index];
    return usable && layout ? [[s, { index, layout }] as const] : [];
  }));
  return mergePdfs(printInParallel(src.total, async (from, to): Promise<PrintedPart> => {
    const sheets = from === 0 && first ? first : (await src.each(from, to)).map(splitBody);
    first = null; // kept only until its chunk prints
    if (!sameFrame(sheets)) return { pdf: await htmlToPdf(await src.together(from, to), assets), under: [] };
    return printValues(frame, planSheets(sheets, forms), printed.layouts, assets);
  }, progress), formsPdf);
}
