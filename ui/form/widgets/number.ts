import { html } from 'lit';
import { registerWidget } from '../registry.js';

/** Numbers and integers. */
registerWidget({
  name: 'number',
  tester: (p) => (p.type === 'number' || p.type === 'integer' ? 2 : 0),
  render: (p) => html`<input type="number" id=${p.id} name=${p.name} .value=${p.value === undefined ? '' : String(p.value)}
    step=${p.prop.type === 'integer' ? '1' : 'any'} ?required=${p.required} aria-invalid=${p.invalid ? 'true' : 'false'}
    aria-describedby=${p.describedBy} ?disabled=${p.disabled}
    @input=${(e: Event) => { const v = (e.target as HTMLInputElement).value; p.set(v === '' ? undefined : Number(v)); }} @blur=${p.touch}>`,
});
