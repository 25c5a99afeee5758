import type { FormLayout } from './form-layer.js';
import { SAME_STYLES, STYLES_OF } from './slot-styles.js';

/**
 * One sheet of a batch as planned for printing: its whole HTML, and when a shared form is drawn
 * under it, that form's index and the slots' contents (then only those are printed).
 */
export interface PlannedSheet {
  whole: string;
  form: number | null;
  contents: string[];
}

const px = (n: number) => `${Math.round(n * 1e4) / 1e4}px`;
const JUSTIFY = { start: 'flex-start', center: 'center', end: 'flex-end' } as const;

/**
 * The values layer must not paint a page of its own (the template's white body, printed with
 * backgrounds, would cover the form under it). A values sheet is a box of the form's sheet size;
 * each slot's content sits in its box's content area with the text properties it had there.
 */
const BASE = 'html,body{background:none!important}'
  + '.pv-sheet{position:relative;overflow:hidden;contain:strict;margin:0;padding:0;border:0;break-after:page;page-break-after:always}'
  + '.pv-sheet:last-child{break-after:auto;page-break-after:auto}'
  + '.pv-box{position:absolute;display:flex;flex-direction:column;margin:0;padding:0;border:0;box-sizing:border-box}'
  + '.pv-in{flex:none;display:block;margin:0;padding:0;border:0}';

function formCss(k: number, form: FormLayout): string {
  let css = `.pv-f${k}{width:${px(form.width)};height:${px(form.height)}}`;
  form.slots.forEach((s, i) => {
    css += `.pv-f${k}-${i}{left:${px(s.x)};top:${px(s.y)};width:${px(s.w)};height:${px(s.h)};justify-content:${JUSTIFY[s.align]};${s.text}}`;
  });
  return css;
}

/** The body of a values print: for each sheet either its values over a shared form, or the whole sheet. */
export function valuesBody(sheets: PlannedSheet[], layouts: (FormLayout | null)[]): string {
  const used = new Set(sheets.map((s) => s.form).filter((k): k is number => k !== null));
  let out = `<style>${BASE}${[...used].map((k) => formCss(k, layouts[k]!)).join('')}</style>`;
  sheets.forEach((s, n) => {
    if (s.form === null) {
      out += s.whole;
      return;
    }
    out += `<div class="pv-sheet pv-f${s.form}" data-pv="${n}" data-f="${s.form}">`;
    s.contents.forEach((c, i) => {
      if (c.trim()) out += `<div class="pv-box pv-f${s.form}-${i}"${c.includes('<') ? ` data-s="${i}"` : ''}><div class="pv-in">${c}</div></div>`;
    });
    out += '</div>';
  });
  return out;
}

/**
 * Run in the page holding a values print: the sheets (their data-pv numbers) with a slot whose
 * content does not fit its box — taller than it, or wider on either side. In the whole sheet such
 * a value would have grown a row or pushed its neighbours, so that sheet must print whole.
 */
export const OVERFLOWING = `() => {
  const E = 0.05, bad = [];
  for (const sheet of document.querySelectorAll('.pv-sheet')) {
    for (const box of sheet.children) {
      const inner = box.firstElementChild, b = box.getBoundingClientRect();
      const range = document.createRange();
      range.selectNodeContents(inner);
      const t = range.getBoundingClientRect();
      if (inner.getBoundingClientRect().height > b.height + E || (t.width + t.height > 0 && (t.left < b.left - E || t.right > b.right + E))) {
        bad.push(Number(sheet.dataset.pv));
        break;
      }
    }
  }
  return bad;
}`;

/**
 * Run in the page holding a values print, given each form's slot styles (FormLayout): the sheets
 * with a slot whose elements do not look as they do in the sheet itself (slot-styles.ts). Only
 * boxes whose content has elements are looked at (data-s).
 */
export const RESTYLED = `(forms) => {
  const stylesOf = ${STYLES_OF}, same = ${SAME_STYLES}, bad = [];
  for (const sheet of document.querySelectorAll('.pv-sheet')) {
    const form = forms[Number(sheet.dataset.f)];
    for (const box of sheet.querySelectorAll(':scope > [data-s]')) {
      if (!same(stylesOf(box.firstElementChild), form && form[Number(box.dataset.s)])) {
        bad.push(Number(sheet.dataset.pv));
        break;
      }
    }
  }
  return bad;
}`;

/** What RESTYLED needs of the layouts: per form, its slots' styles. */
export const slotStylesOf = (layouts: (FormLayout | null)[]) => layouts.map((l) => l && l.slots.map((s) => s.styles));
