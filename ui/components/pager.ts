import { html } from 'lit';
import { customElement, property } from 'lit/decorators.js';
import { LightElement, emit } from './light-element.js';

/** Cursor paging: 上一页 / 下一页 and where we are; fires `page` with -1 or +1. `busy` marks a page on its way (the buttons stay enabled so keyboard focus is kept; the list ignores clicks meanwhile). */
@customElement('caiji-pager')
export class Pager extends LightElement {
  @property({ type: Number }) total = 0;
  @property({ type: Number }) page = 1;
  @property({ type: Number }) size = 50;
  @property({ type: Boolean }) hasNext = false;
  @property({ type: Boolean }) busy = false;

  override render() {
    const pages = Math.max(1, Math.ceil(this.total / this.size));
    return html`<nav class="pager" aria-label="分页" aria-busy=${this.busy ? 'true' : 'false'}>
      <span>共 ${this.total} 条，第 ${this.page} / ${pages} 页</span>
      <button type="button" class="btn btn-small" ?disabled=${this.page <= 1} @click=${() => emit(this, 'page', -1)}>上一页</button>
      <button type="button" class="btn btn-small" ?disabled=${!this.hasNext} @click=${() => emit(this, 'page', 1)}>下一页</button>
    </nav>`;
  }
}
