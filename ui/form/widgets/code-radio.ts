import { html } from 'lit';
import { registerWidget, is } from '../registry.js';
import type { CodeEntry } from '../../api/types.js';

/** A short code table as radio buttons (x-widget: radio). */
registerWidget({
  name: 'code-radio',
  group: true,
  tester: (p) => (is.codes(p) && p['x-widget'] === 'radio' ? 10 : 0),
  render: (p) => {
    const codes = (p.prop['x-codes'] as CodeEntry[]).filter((c) => !c.deprecated || c.code === p.value);
    return html`<div class="radio-group" role="radiogroup" aria-labelledby=${p.labelId} aria-describedby=${p.describedBy}
        aria-invalid=${p.invalid ? 'true' : 'false'} aria-required=${p.required ? 'true' : 'false'}>
      ${codes.map((c, i) => html`<label class="radio"><input type="radio" name=${p.name} id=${i === 0 ? p.id : `${p.id}-${i}`}
        .checked=${p.value === c.code} ?disabled=${p.disabled || !!c.deprecated} @change=${() => { p.set(c.code); p.touch(); }}>${c.label}${c.deprecated ? html`<span class="tag tag-off">已停用</span>` : ''}</label>`)}
    </div>`;
  },
});
