/** The element the template's {{#slot}} helper wraps a value in (engine/documents/slots.ts). */
const SLOT_TAG = 'print-slot';

/** What batch printing will make of a template, read from its rendered preview. */
export interface SlotReport {
  /** How many value slots one sheet has. */
  slots: number;
  /** Slots whose box makes the whole sheet print the classic (slow) way, with the reason. */
  whole: { slot: number; value: string; why: string }[];
  /** Text that differs between two records outside any slot: each such value makes forms differ. */
  outside: string[];
}

const boxWhy = (box: Element, view: Window): string | null => {
  const style = view.getComputedStyle(box);
  if (box.closest(`${SLOT_TAG} ${SLOT_TAG}`) || box.tagName.toLowerCase() === SLOT_TAG) return '值槽套在另一个值槽里';
  if (style.display === 'inline') return `值槽所在的 <${box.tagName.toLowerCase()}> 是行内元素，宽度随文字变化（应为表格单元格、块或有宽度的 inline-block）`;
  if (style.transform && style.transform !== 'none') return '值槽所在的元素有 transform（旋转、缩放）';
  for (let el: Element | null = box; el && el !== box.ownerDocument.body; el = el.parentElement) {
    if (view.getComputedStyle(el).textDecorationLine !== 'none') return '值槽所在的元素或其上层有下划线等文字装饰（text-decoration）';
  }
  return null;
};

/**
 * Checks each slot of a rendered sheet as the batch printer will (engine/documents/slots.ts,
 * overlay.ts): its box (the slot's parent) must keep its size whatever the value, and slots may
 * not nest; a slot failing that makes its sheet print whole.
 */
export function checkSlots(doc: Document): Pick<SlotReport, 'slots' | 'whole'> {
  const view = doc.defaultView!;
  const slots = [...doc.querySelectorAll(SLOT_TAG)];
  const whole: SlotReport['whole'] = [];
  slots.forEach((slot, i) => {
    const why = slot.parentElement ? boxWhy(slot.parentElement, view) : null;
    if (why) whole.push({ slot: i + 1, value: (slot.textContent ?? '').trim(), why });
  });
  return { slots: slots.length, whole };
}

/** The sheet's text with every slot's content left out: what all records share when slots are right. */
function formText(html: string): string[] {
  const doc = new DOMParser().parseFromString(html, 'text/html');
  doc.querySelectorAll(`${SLOT_TAG}, style, script, title`).forEach((el) => el.remove());
  const out: string[] = [];
  const walk = doc.createTreeWalker(doc.body, NodeFilter.SHOW_TEXT);
  for (let n = walk.nextNode(); n; n = walk.nextNode()) if (n.textContent?.trim()) out.push(n.textContent.trim());
  return out;
}

/**
 * A dry render of two records compared: the form's lines that differ between them hold values
 * printed outside any slot, which makes their sheets' forms differ (fewer shared, slower batches).
 */
export function valuesOutsideSlots(a: string, b: string): string[] {
  const left = formText(a);
  const right = new Set(formText(b));
  return [...new Set(left.filter((line) => !right.has(line)))].slice(0, 8);
}
