import { html, nothing } from 'lit';
import { customElement, property } from 'lit/decorators.js';
import { LightElement } from './light-element.js';
import { href } from '../router.js';

export interface Crumb { id: string; label: string | null; readable: boolean }

/** The path of a tree node: a>>b>>c, readable ancestors as links to their page. */
@customElement('caiji-breadcrumb')
export class BreadCrumb extends LightElement {
  @property({ attribute: false }) items: Crumb[] = [];
  /** Route the links lead to (browse by default). */
  @property() route = 'browse';
  /** Also link the last item. */
  @property({ type: Boolean }) linkLast = false;

  override render() {
    if (!this.items.length) return nothing;
    return html`<nav class="breadcrumb" aria-label="所在位置"><ol>${this.items.map((c, i) => {
      const last = i === this.items.length - 1;
      const label = c.label ?? '（未命名）';
      return html`<li>${i ? html`<span class="sep" aria-hidden="true">&gt;&gt;</span>` : nothing}${c.readable && (!last || this.linkLast) ? html`<a href=${href(this.route, c.id)}>${label}</a>`
        : html`<span aria-current=${last ? 'location' : nothing}>${label}</span>`}</li>`;
    })}</ol></nav>`;
  }
}
