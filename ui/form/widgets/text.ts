import { html } from 'lit';
import { registerWidget, is, type WidgetProps } from '../registry.js';

/**
 * The input's text normalised in place as the user types (e.g. upper case), keeping the caret
 * where it was, then handed to the form.
 */
function onInput(p: WidgetProps, el: HTMLInputElement) {
  const v = p.normalize ? p.normalize(el.value) : el.value;
  if (v !== el.value) {
    const [start, end] = [el.selectionStart, el.selectionEnd];
    el.value = v;
    el.setSelectionRange(start, end);
  }
  p.set(v);
}

/** Single-line text: the default for strings. */
registerWidget({
  name: 'text',
  tester: (p) => (is.string(p) ? 1 : 0),
  render: (p) => html`<input type="text" id=${p.id} name=${p.name} .value=${String(p.value ?? '')}
    maxlength=${p.prop.maxLength ?? 1000} ?required=${p.required} aria-invalid=${p.invalid ? 'true' : 'false'}
    aria-describedby=${p.describedBy} ?disabled=${p.disabled} autocomplete="off"
    @input=${(e: Event) => onInput(p, e.target as HTMLInputElement)} @blur=${p.touch}>`,
});
