import { html } from 'lit';
import { registerWidget } from '../registry.js';
import type { JsonSchema } from '../../api/types.js';

/** The label of one choice: a code's label, a title from x-enumTitles, else the value. */
function labelOf(items: JsonSchema, v: string): string {
  const code = (items['x-codes'] as { code: string; label: string }[] | undefined)?.find((c) => c.code === v);
  return code?.label ?? items['x-enumTitles']?.[v] ?? v;
}

/** An array of choices (items with enum) as a group of checkboxes. */
registerWidget({
  name: 'multi-choice',
  group: true,
  tester: (p) => (p.type === 'array' && Array.isArray(p.items?.enum) ? 10 : 0),
  render: (p) => {
    const chosen = new Set(Array.isArray(p.value) ? (p.value as string[]) : []);
    const items = p.prop.items as JsonSchema;
    const toggle = (v: string, on: boolean) => {
      const next = new Set(chosen);
      if (on) next.add(v); else next.delete(v);
      p.set(next.size ? (items.enum as string[]).filter((x) => next.has(x)) : undefined);
      p.touch();
    };
    return html`<div class="check-group" role="group" aria-labelledby=${p.labelId} aria-describedby=${p.describedBy}>
      ${(items.enum as string[]).map((v, i) => html`<label class="radio"><input type="checkbox" id=${i === 0 ? p.id : `${p.id}-${i}`} value=${v}
        .checked=${chosen.has(v)} ?disabled=${p.disabled} @change=${(e: Event) => toggle(v, (e.target as HTMLInputElement).checked)}>${labelOf(items, v)}</label>`)}
    </div>`;
  },
});
