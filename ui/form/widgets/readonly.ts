import { html } from 'lit';
import { registerWidget } from '../registry.js';
import { displayValue } from '../../format.js';

/** Shown, never edited (x-readOnly: derived values). */
registerWidget({
  name: 'readonly',
  tester: (p) => (p['x-readOnly'] || p.readOnly ? 50 : 0),
  render: (p) => html`<output id=${p.id} class="readonly-value" aria-describedby=${p.describedBy}>${displayValue(p.prop, p.value) || '—'}</output>`,
});

/** Anything no other widget takes: shown read-only rather than broken. */
registerWidget({
  name: 'fallback',
  tester: () => 0.1,
  render: (p) => html`<output id=${p.id} class="readonly-value" aria-describedby=${p.describedBy}>${displayValue(p.prop, p.value) || '—'}</output>`,
});
