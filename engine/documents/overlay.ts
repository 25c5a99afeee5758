import { loadPdfLib } from '../lazy-modules.js';
import type { AssetServer } from './page-pool.js';
import { fillBody, onLoadedPage, printPage, type Framed } from './pdf.js';
import { splitSlots } from './slots.js';
import { printForms } from './form-layer.js';
import { valuesBody, OVERFLOWING, type PlannedSheet } from './values-page.js';
import { mergePdfs, type PrintedPart } from './merge.js';
import { printInParallel } from './batch.js';

/** More distinct forms than this in one batch: the rarer ones print whole (each costs a page print). */
const MAX_FORMS = 64;

/** A batch cut into shared forms: each sheet's plan, and the skeletons (with their slot counts) to print once. */
export interface OverlayPlan { sheets: PlannedSheet[]; skeletons: string[]; counts: number[] }

/**
 * Groups sheets by skeleton. A form shared by at least two sheets is printed once and those
 * sheets print only their values; any other sheet prints whole. Null when no form is shared
 * (a template without slots, or every sheet different): the batch prints the classic way.
 */
export function planOverlay(bodies: string[]): OverlayPlan | null {
  const cut = bodies.map(splitSlots);
  const uses = new Map<string, number>();
  for (const c of cut) if (c) uses.set(c.skeleton, (uses.get(c.skeleton) ?? 0) + 1);
  const shared = [...uses].filter(([, n]) => n >= 2).sort((a, b) => b[1] - a[1]).slice(0, MAX_FORMS).map(([s]) => s);
  if (!shared.length) return null;
  const index = new Map(shared.map((s, k) => [s, k]));
  const counts = new Array<number>(shared.length).fill(0);
  const sheets = bodies.map((whole, i): PlannedSheet => {
    const k = cut[i] ? index.get(cut[i]!.skeleton) : undefined;
    if (k === undefined) return { whole, form: null, contents: [] };
    counts[k] = cut[i]!.contents.length;
    return { whole, form: k, contents: cut[i]!.contents };
  });
  return { sheets, skeletons: shared, counts };
}

/**
 * Prints sheets [from, to) of the plan: values over their forms, any sheet whose value does not
 * fit its box (OVERFLOWING) whole instead, in the same print.
 */
function printValues(frame: Framed, plan: PlannedSheet[], layouts: Parameters<typeof valuesBody>[1], assets: AssetServer | null): Promise<PrintedPart> {
  return onLoadedPage(frame.head + valuesBody(plan, layouts) + frame.tail, assets, async (page) => {
    const overflowing = await page.evaluate(`(${OVERFLOWING})()`) as number[];
    if (overflowing.length) {
      for (const n of overflowing) plan[n] = { ...plan[n], form: null };
      await fillBody(page, valuesBody(plan, layouts));
    }
    return { pdf: await printPage(page), under: plan.map((s) => s.form) };
  });
}

/**
 * One PDF of the planned sheets: the shared forms printed and measured once, then the values
 * printed in chunks on all warm pages and merged over the forms while later chunks print.
 * `frame` is the template's document around one sheet (every sheet's is the same).
 */
export async function printOverlay(
  frame: Framed, plan: OverlayPlan, assets: AssetServer | null, progress: (done: number) => void,
): Promise<Buffer> {
  const { pdf, layouts } = await printForms(frame.head, frame.tail, plan.skeletons, plan.counts, assets);
  const { PDFDocument } = await loadPdfLib();
  const forms = await PDFDocument.load(pdf, { updateMetadata: false });
  // A form that took more or less than a page cannot be told apart from the next: all print whole.
  const usable = forms.getPageCount() === plan.skeletons.length;
  const sheets = plan.sheets.map((s) => (s.form !== null && usable && layouts[s.form] ? s : { ...s, form: null }));
  return mergePdfs(printInParallel(sheets.length, (from, to) => printValues(frame, sheets.slice(from, to), layouts, assets), progress), forms);
}
