import { html } from 'lit';
import { registerWidget, is } from '../registry.js';

/** Single-line text: the default for strings. */
registerWidget({
  name: 'text',
  tester: (p) => (is.string(p) ? 1 : 0),
  render: (p) => html`<input type="text" id=${p.id} name=${p.name} .value=${String(p.value ?? '')}
    maxlength=${p.prop.maxLength ?? 1000} ?required=${p.required} aria-invalid=${p.invalid ? 'true' : 'false'}
    aria-describedby=${p.describedBy} ?disabled=${p.disabled} autocomplete="off"
    @input=${(e: Event) => p.set((e.target as HTMLInputElement).value)} @blur=${p.touch}>`,
});
