import { describe, it, expect } from 'vitest';
import { createHandlebars } from '../../engine/documents/helpers.js';
import { splitSlots, hasLine } from '../../engine/documents/slots.js';
import { sharedForms, planSheets } from '../../engine/documents/overlay.js';
import { splitBody } from '../../engine/documents/pdf.js';

const hb = createHandlebars(new Map());
const sheet = hb.compile('<section><td class="v">{{#slot}}{{name}}{{/slot}}</td><span class="u">{{#slot}}{{y}}{{/slot}}</span>年{{#if draft}}<b>未确认</b>{{/if}}</section>');
const framed = (body: string) => splitBody(`<html><head></head><body>${body}</body></html>`)!;

/** How a sheet is cut into its form (skeleton) and its values, in the server, before any printing. */
describe('value slots', () => {
  it('the slot helper marks its content, escaped as any value', () => {
    expect(sheet({ name: '<张三>', y: 1990 })).toContain('<print-slot>&lt;张三&gt;</print-slot>');
  });

  it('sheets differing only in their values share one skeleton; the contents come out in order', () => {
    const a = splitSlots(sheet({ name: '张三', y: 1990 }))!;
    const b = splitSlots(sheet({ name: '欧阳晓明', y: 2001 }))!;
    expect(a.contents).toEqual(['张三', '1990']);
    expect(b.contents).toEqual(['欧阳晓明', '2001']);
    expect(a.skeleton).toBe(b.skeleton);
    expect(a.skeleton).not.toContain('张三');
  });

  it('what is outside the slots, and whether a slot makes a line at all, are part of the form', () => {
    const plain = splitSlots(sheet({ name: '张三', y: 1990 }))!.skeleton;
    expect(splitSlots(sheet({ name: '张三', y: 1990, draft: true }))!.skeleton).not.toBe(plain);
    // An empty underline box sits lower than one holding a line: not the same form.
    const empty = splitSlots(sheet({ name: '张三', y: '' }))!;
    expect(empty.skeleton).not.toBe(plain);
    expect(empty.contents).toEqual(['张三', '']);
    expect(hasLine('  ')).toBe(false);
    expect(hasLine('<span class="hint"></span>')).toBe(false);
    expect(hasLine('<br>')).toBe(true);
    expect(hasLine('<span>1</span>')).toBe(true);
  });

  it('a sheet without slots, with a slot left open or one inside another prints whole', () => {
    expect(splitSlots('<p>无</p>')).toBeNull();
    expect(splitSlots('<p><print-slot>a</p>')).toBeNull();
    expect(splitSlots('<print-slot>a<print-slot>b</print-slot></print-slot>')).toBeNull();
  });

  it('a form is printed once only for skeletons at least two sheets share; other sheets print whole', () => {
    const sheets = [
      sheet({ name: '甲', y: 1990 }), sheet({ name: '乙', y: 1991, draft: true }), sheet({ name: '丙', y: 1992 }), sheet({ name: '丁', y: 1993 }),
    ].map(framed);
    const forms = sharedForms(sheets);
    expect(forms).toHaveLength(1);
    const plan = planSheets(sheets, new Map([[forms[0], { index: 0, layout: { width: 1, height: 1, slots: [] } }]]));
    expect(plan.map((p) => p.form)).toEqual([0, null, 0, 0]);
    expect(plan[1].whole).toContain('未确认');
    expect(plan[2].contents).toEqual(['丙', '1992']);
    expect(sharedForms([framed('<p>无</p>'), framed('<p>无</p>')])).toEqual([]);
  });
});
