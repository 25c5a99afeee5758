import { html } from 'lit';
import { registerWidget } from '../registry.js';

/** Yes/no as two radio buttons: "not answered yet" stays distinguishable from "no". */
registerWidget({
  name: 'boolean-radio',
  group: true,
  tester: (p) => (p.type === 'boolean' ? 3 : 0),
  render: (p) => html`<div class="radio-group" role="radiogroup" aria-labelledby=${p.labelId} aria-describedby=${p.describedBy}
      aria-invalid=${p.invalid ? 'true' : 'false'} aria-required=${p.required ? 'true' : 'false'}>
    ${[true, false].map((v, i) => html`<label class="radio"><input type="radio" name=${p.name} id=${i === 0 ? p.id : `${p.id}-${i}`}
      .checked=${p.value === v} ?disabled=${p.disabled} @change=${() => { p.set(v); p.touch(); }}>${v ? '是' : '否'}</label>`)}
  </div>`,
});

/** A single checkbox (x-widget: checkbox). */
registerWidget({
  name: 'checkbox',
  tester: (p) => (p.type === 'boolean' && p['x-widget'] === 'checkbox' ? 10 : 0),
  render: (p) => html`<input type="checkbox" id=${p.id} name=${p.name} .checked=${p.value === true} ?disabled=${p.disabled}
    aria-describedby=${p.describedBy} @change=${(e: Event) => { p.set((e.target as HTMLInputElement).checked); p.touch(); }}>`,
});
