/**
 * Value slots: a template marks where a sheet's values go with `{{#slot}}…{{/slot}}`, which wraps
 * them in a <print-slot> element (inline, no style of its own; the HTML preview shows it as plain
 * text). The slot's box is its parent element. A batch print draws the form without the values
 * once per distinct "skeleton" and prints per sheet only the values (overlay.ts).
 */
export const SLOT_TAG = 'print-slot';
const OPEN = `<${SLOT_TAG}>`;
const CLOSE = `</${SLOT_TAG}>`;

/** What the `slot` helper puts around a slot's content. */
export const slotMarkup = (content: string) => OPEN + content + CLOSE;

/**
 * Stands in for a slot's content in the skeleton: an empty inline-block makes a line box, which
 * takes its height and baseline from the box's own font as the text's line would (an inline-block
 * with a line has its baseline there, an empty one at its bottom), so the form keeps the layout it
 * has with the values in. It has no text, so the form's text holds only the form's words.
 */
const STRUT = '<print-strut style="display:inline-block"></print-strut>';

/** Replaced elements and line breaks make a line box even without text. */
const LINE_MAKERS = /<(img|svg|br|input|canvas|video|object|iframe|embed|picture|math)\b/i;

/** Whether the content makes a line box (text or a replaced element), i.e. is not blank. */
export const hasLine = (html: string) => /\S/.test(html.replace(/<[^>]*>/g, '')) || LINE_MAKERS.test(html);

/** One sheet's body cut into its skeleton (slots emptied) and the slots' contents, in order. */
export interface SlottedSheet {
  skeleton: string;
  contents: string[];
}

/**
 * Cuts a sheet's HTML into skeleton and slot contents (string work: slots do not nest). Null when
 * there is no slot, a slot is not closed or one holds another: such a sheet prints as a whole.
 * Two sheets whose skeletons are equal share one printed form.
 */
export function splitSlots(body: string): SlottedSheet | null {
  const contents: string[] = [];
  let skeleton = '';
  let at = 0;
  for (let open = body.indexOf(OPEN); open >= 0; open = body.indexOf(OPEN, at)) {
    const start = open + OPEN.length;
    const close = body.indexOf(CLOSE, start);
    if (close < 0) return null;
    const content = body.slice(start, close);
    if (content.includes(OPEN)) return null;
    contents.push(content);
    skeleton += body.slice(at, start) + (hasLine(content) ? STRUT : '') + CLOSE;
    at = close + CLOSE.length;
  }
  return contents.length ? { skeleton: skeleton + body.slice(at), contents } : null;
}
