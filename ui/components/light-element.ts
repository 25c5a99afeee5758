import { LitElement } from 'lit';

/**
 * Components render into light DOM so one application stylesheet styles them all and labels,
 * inputs and their error messages stay in one accessibility tree.
 */
export class LightElement extends LitElement {
  protected override createRenderRoot() {
    return this;
  }
}

/** Dispatches a bubbling custom event. */
export function emit<T>(el: HTMLElement, name: string, detail?: T) {
  el.dispatchEvent(new CustomEvent(name, { detail, bubbles: true, composed: true }));
}
