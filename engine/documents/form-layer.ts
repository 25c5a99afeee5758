import type { Page } from 'puppeteer-core';
import type { AssetServer } from './page-pool.js';
import { onLoadedPage, printPage } from './pdf.js';
import { SLOT_TAG } from './slots.js';
import { STYLES_OF, type SlotStyles } from './slot-styles.js';

/** Where a slot's values go on its sheet, as the form's own layout put its box. */
export interface SlotBox {
  /** The box's content area, in CSS px from the sheet's top left corner. */
  x: number; y: number; w: number; h: number;
  /** Where the lines sit in the box's height (a table cell's vertical-align; else the top). */
  align: 'start' | 'center' | 'end';
  /** The text properties the values inherit there, as CSS declarations. */
  text: string;
  /** How the elements of a sample of this slot's values look in the sheet (see slot-styles.ts). */
  styles: SlotStyles;
}

/** A form (one skeleton) laid out: the sheet's size and every slot's box, in slot order. */
export interface FormLayout { width: number; height: number; slots: SlotBox[] }

/** Comment put before each skeleton, so the page finds the sheets' roots. */
const MARK = 'print-form';

/** Inherited text properties copied onto a slot's values (line-height apart: a number must stay one). */
const TEXT = [
  'color', 'direction', 'font-family', 'font-feature-settings', 'font-kerning', 'font-size', 'font-size-adjust',
  'font-stretch', 'font-style', 'font-variant', 'font-variation-settings', 'font-weight', 'hyphens', 'letter-spacing',
  'line-break', 'overflow-wrap', 'print-color-adjust', 'tab-size', 'text-align', 'text-align-last', 'text-indent',
  'text-rendering', 'text-shadow', 'text-transform', 'visibility', 'white-space', 'word-break', 'word-spacing',
  '-webkit-text-stroke-color', '-webkit-text-stroke-width', '-webkit-text-fill-color',
];

/** Source of a page function: the sheet roots (the element after each MARK comment), in order. */
const ROOTS = `() => {
  const roots = [];
  for (const n of document.body.childNodes) {
    if (n.nodeType !== 8 || n.data !== ${JSON.stringify(MARK)}) continue;
    let e = n.nextSibling;
    while (e && e.nodeType !== 1) e = e.nextSibling;
    roots.push(e);
  }
  return roots;
}`;

/**
 * Run in the page after the forms were measured: each form's slots filled with sample values (in
 * the sheet's own structure, as the whole sheet has them), and the styles of their elements.
 */
const SAMPLE_STYLES = `(samples) => {
  const stylesOf = ${STYLES_OF};
  return (${ROOTS})().map((root, i) => root && [...root.querySelectorAll(${JSON.stringify(SLOT_TAG)})].map((slot, j) => {
    slot.innerHTML = samples[i][j] ?? '';
    return stylesOf(slot);
  }));
}`;

/**
 * Run in the page after the forms were printed: for each sheet root (the element after a MARK
 * comment), every slot's box relative to the root. A form is refused (null) when its slots are
 * not the ones the server cut out, its root has margins of its own or does not begin the body,
 * or a slot's box could change with its content, is drawn transformed or translucent, or its
 * text would take a decoration from an ancestor: its sheets then print whole. Table cells are
 * measured with probes (their collapsed borders are not in the computed style) at vertical-align
 * top and then bottom, two layouts for all forms at once; the page is refilled before its next use.
 */
const MEASURE = `(counts) => {
  const roots = (${ROOTS})();
  const TEXT = ${JSON.stringify(TEXT)};
  const BOXES = ['block', 'inline-block', 'table-cell', 'flow-root', 'list-item'];
  const px = (v) => parseFloat(v) || 0;
  // Up to <html>: a decoration (underline, line-through) drawn by any ancestor reaches the
  // values' text in the whole sheet, but is no inherited property the values layer could copy.
  const plain = (el) => {
    for (let a = el; a; a = a.parentElement) {
      const cs = getComputedStyle(a);
      if (cs.transform !== 'none' || cs.opacity !== '1' || cs.filter !== 'none' || cs.mixBlendMode !== 'normal' || cs.writingMode !== 'horizontal-tb' || cs.textDecorationLine !== 'none') return false;
    }
    return true;
  };
  const bs = getComputedStyle(document.body);
  const bodyTop = document.body.getBoundingClientRect().top + px(bs.borderTopWidth) + px(bs.paddingTop);
  const forms = roots.map((root, i) => {
    if (!root) return null;
    const slots = [...root.querySelectorAll(${JSON.stringify(SLOT_TAG)})];
    const r = root.getBoundingClientRect();
    const rs = getComputedStyle(root);
    // A values sheet is a margin-less box at the start of its page: so must the root be.
    if (slots.length !== counts[i] || px(rs.marginTop) || px(rs.marginLeft) || (i === 0 && Math.abs(r.top - bodyTop) > 0.01)) return null;
    const boxes = [];
    for (const slot of slots) {
      const box = slot.parentElement;
      const cs = getComputedStyle(box);
      if (!BOXES.includes(cs.display) || !plain(box)) return null;
      const sc = getComputedStyle(slot);
      const lh = slot.computedStyleMap().get('line-height');
      const text = TEXT.map((p) => p + ':' + sc.getPropertyValue(p)).join(';')
        + ';line-height:' + (lh && lh.unit === 'number' ? lh.value : sc.lineHeight);
      const b = box.getBoundingClientRect();
      const cell = cs.display === 'table-cell';
      const align = cell && cs.verticalAlign === 'middle' ? 'center' : cell && cs.verticalAlign === 'bottom' ? 'end' : 'start';
      boxes.push({ box, cell, text, align, x: b.left + px(cs.borderLeftWidth) + px(cs.paddingLeft) - r.left,
        y: b.top + px(cs.borderTopWidth) + px(cs.paddingTop) - r.top,
        w: b.width - px(cs.borderLeftWidth) - px(cs.borderRightWidth) - px(cs.paddingLeft) - px(cs.paddingRight),
        h: b.height - px(cs.borderTopWidth) - px(cs.borderBottomWidth) - px(cs.paddingTop) - px(cs.paddingBottom) });
    }
    return { root, r, boxes };
  });
  const cells = forms.flatMap((f) => (f ? f.boxes.filter((b) => b.cell).map((b) => ({ b, r: f.r })) : []));
  const probe = ({ b }, align, first) => {
    b.box.style.verticalAlign = align;
    const p = document.createElement('div');
    p.style.cssText = 'display:block;height:0;margin:0;padding:0;border:0';
    if (first) b.box.prepend(p); else b.box.append(p);
    return p;
  };
  const tops = cells.map((c) => probe(c, 'top', true));
  tops.forEach((p, i) => {
    const { b, r } = cells[i], q = p.getBoundingClientRect();
    b.x = q.left - r.left; b.w = q.width; b.y = q.top - r.top;
  });
  tops.forEach((p) => p.remove());
  const bottoms = cells.map((c) => probe(c, 'bottom', false));
  bottoms.forEach((p, i) => { const { b, r } = cells[i]; b.h = p.getBoundingClientRect().top - r.top - b.y; });
  bottoms.forEach((p) => p.remove());
  return forms.map((f) => f && { width: f.r.width, height: f.r.height,
    slots: f.boxes.map(({ x, y, w, h, align, text }) => ({ x, y, w, h, align, text })) });
}`;

/**
 * Prints each skeleton as one page of a PDF (the blank forms, in order) and measures their slots.
 * `head` and `tail` are the template's document around the body; `samples` holds, per form, a
 * sample content for each of its slots (one that has elements, when a sheet had one).
 */
export function printForms(
  head: string, tail: string, skeletons: string[], samples: string[][], assets: AssetServer | null,
): Promise<{ pdf: Buffer; layouts: (FormLayout | null)[] }> {
  const html = head + skeletons.map((s) => `<!--${MARK}-->${s}`).join('') + tail;
  return onLoadedPage(html, assets, async (page: Page) => {
    const pdf = await printPage(page);
    const counts = samples.map((s) => s.length);
    const measured = await page.evaluate(`(${MEASURE})(${JSON.stringify(counts)})`) as (Omit<FormLayout, 'slots'> & { slots: Omit<SlotBox, 'styles'>[] } | null)[];
    const styles = await page.evaluate(`(${SAMPLE_STYLES})(${JSON.stringify(samples)})`) as (SlotStyles[] | null)[];
    const layouts = measured.map((m, i) => m && { ...m, slots: m.slots.map((slot, j) => ({ ...slot, styles: styles[i]?.[j] ?? {} })) });
    return { pdf, layouts };
  });
}
