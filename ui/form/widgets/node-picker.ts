import { html } from 'lit';
import { registerWidget } from '../registry.js';
import '../../components/node-picker.js';

/** A node of the tree (x-widget: node): its path shown, another chosen by search. */
registerWidget({
  name: 'node',
  tester: (p) => (p['x-widget'] === 'node' ? 10 : 0),
  render: (p) => html`<caiji-node-picker .value=${(p.value as string) ?? ''} .inputId=${p.id} .describedBy=${p.describedBy}
    .invalid=${p.invalid} .disabled=${p.disabled} @value-change=${(e: CustomEvent<string>) => { p.set(e.detail || undefined); p.touch(); }}></caiji-node-picker>`,
});
