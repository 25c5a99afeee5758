import { html } from 'lit';
import { registerWidget } from '../registry.js';

/** Today in UTC+8 as YYYY-MM-DD (the users' calendar, as the server's x-notFuture check). */
const today = () => new Date(Date.now() + 8 * 3600 * 1000).toISOString().slice(0, 10);

/** Dates (format: date) as the browser's date input; x-notFuture caps it at today. */
registerWidget({
  name: 'date',
  tester: (p) => (p.format === 'date' ? 5 : 0),
  render: (p) => html`<input type="date" id=${p.id} name=${p.name} .value=${String(p.value ?? '')}
    max=${p.prop['x-notFuture'] ? today() : '9999-12-31'} min="1900-01-01" ?required=${p.required}
    aria-invalid=${p.invalid ? 'true' : 'false'} aria-describedby=${p.describedBy} ?disabled=${p.disabled}
    @input=${(e: Event) => p.set((e.target as HTMLInputElement).value)} @change=${p.touch} @blur=${p.touch}>`,
});
