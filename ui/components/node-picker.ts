import { html, nothing } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import { LightElement, emit } from './light-element.js';
import { api, qs, enc } from '../api/client.js';
import { session } from '../api/session.js';
import type { Page, RecordJson, TreeAnswer } from '../api/types.js';

/**
 * Picks a node of the tree: shows the current node's path (a >> b >> c) and offers a search
 * among the nodes the user may see. Fires `value-change` with the node's record id.
 */
@customElement('caiji-node-picker')
export class NodePicker extends LightElement {
  @property() value = '';
  @property() inputId = 'node-picker';
  @property() describedBy = '';
  @property({ type: Boolean }) invalid = false;
  @property({ type: Boolean }) disabled = false;
  @state() private path = '';
  @state() private editing = false;
  @state() private hits: RecordJson[] = [];
  private loaded = '';

  override updated() {
    if (this.value !== this.loaded) {
      this.loaded = this.value;
      this.path = '';
      if (this.value) {
        api.get<TreeAnswer>(`/api/tree/${enc(this.value)}`)
          .then((t) => { this.path = t.breadcrumb.map((b) => b.label ?? '').join('>>'); })
          .catch(() => { this.path = this.value; });
      }
    }
  }

  private async search(q: string) {
    const tree = session.app!.tree;
    const page = await api.get<Page>(`/api/records/${enc(tree.collection)}${qs({ q, limit: 20 })}`);
    this.hits = page.items;
  }

  private pick(r: RecordJson) {
    this.editing = false;
    this.value = r.id;
    emit(this, 'value-change', r.id);
  }

  override render() {
    const tree = session.app?.tree;
    if (!this.editing) {
      return html`<div class="node-picker"><span class="node-path" id=${`${this.inputId}-path`}>${this.path || (this.value ? '…' : '未选择')}</span>
        ${this.disabled ? nothing : html`<button type="button" class="btn btn-small" id=${this.inputId} aria-describedby="${`${this.inputId}-path`} ${this.describedBy}"
          @click=${() => { this.editing = true; this.search(''); this.updateComplete.then(() => this.querySelector('input')?.focus()); }}>选择…</button>`}</div>`;
    }
    return html`<div class="node-picker editing">
      <input type="search" id=${this.inputId} placeholder="输入名称查找" aria-describedby=${this.describedBy} aria-controls=${`${this.inputId}-hits`}
        @input=${(e: Event) => this.search((e.target as HTMLInputElement).value)}
        @keydown=${(e: KeyboardEvent) => { if (e.key === 'Escape') this.editing = false; }}>
      <button type="button" class="btn btn-small" @click=${() => { this.editing = false; }}>取消</button>
      <ul class="pick-list" id=${`${this.inputId}-hits`}>
        ${this.hits.map((r) => html`<li><button type="button" class="link" @click=${() => this.pick(r)}>
          ${r.data[tree!.labelField] ?? r.id}<span class="muted"> ${tree!.fullNameField ? r.data[tree!.fullNameField] ?? '' : ''}</span></button></li>`)}
      </ul>
    </div>`;
  }
}
