import { html } from 'lit';
import { registerWidget, is } from '../registry.js';

/** Multi-line text (x-widget: textarea). */
registerWidget({
  name: 'textarea',
  tester: (p) => (is.widget('textarea')(p) ? 10 : 0),
  render: (p) => html`<textarea id=${p.id} name=${p.name} rows="2" .value=${String(p.value ?? '')}
    maxlength=${p.prop.maxLength ?? 2000} ?required=${p.required} aria-invalid=${p.invalid ? 'true' : 'false'}
    aria-describedby=${p.describedBy} ?disabled=${p.disabled}
    @input=${(e: Event) => p.set((e.target as HTMLTextAreaElement).value)} @blur=${p.touch}></textarea>`,
});
