import { html } from 'lit';
import { registerWidget, is } from '../registry.js';
import '../../components/code-select.js';

/** Code tables as a searchable select showing label and code. */
registerWidget({
  name: 'code-select',
  tester: (p) => (is.codes(p) ? 5 : 0),
  render: (p) => html`<caiji-code-select .codes=${p.prop['x-codes']} .value=${(p.value as string) ?? ''} .inputId=${p.id}
    .describedBy=${p.describedBy} .invalid=${p.invalid} .required=${p.required} .disabled=${p.disabled}
    @value-change=${(e: CustomEvent<string>) => { p.set(e.detail || undefined); p.touch(); }}></caiji-code-select>`,
});
