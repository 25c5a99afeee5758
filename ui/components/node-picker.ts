import { html, nothing } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import { emit } from './light-element.js';
import { SessionElement } from './session-element.js';
import { Task, TaskStatus } from '@lit/task';
import { api, qs, enc } from '../api/client.js';
import { session } from '../api/session.js';
import type { Page, RecordJson, TreeAnswer } from '../api/types.js';

/**
 * Picks a node of the tree: shows the current node's path (a >> b >> c) and offers a search
 * among the nodes the user may see. Fires `value-change` with the node's record id.
 */
@customElement('caiji-node-picker')
export class NodePicker extends SessionElement {
  @property() value = '';
  @property() inputId = 'node-picker';
  @property() describedBy = '';
  @property({ type: Boolean }) invalid = false;
  @property({ type: Boolean }) disabled = false;
  @state() private editing = false;
  /** The nodes found for what was typed last (an earlier search answering late is dropped). */
  private hits = new Task(this, {
    autoRun: false,
    task: ([q]: readonly [string], { signal }) => api.get<Page>(`/api/records/${enc(session.app!.tree.collection)}${qs({ q, limit: 20 })}`, signal).then((p) => p.items),
  });
  /**
   * The chosen node's path (a >> b >> c), and whether it lies above the user's own nodes: the
   * user could not pick it back, and may not move away from it.
   */
  private place = new Task(this, {
    task: ([value], { signal }) => (value
      ? api.get<Pick<TreeAnswer, 'breadcrumb'>>(`/api/tree/${enc(value)}/path`, signal).then(
        (t) => ({ path: t.breadcrumb.map((b) => b.label ?? '').join('>>'), above: !t.breadcrumb.at(-1)?.readable }),
        () => ({ path: '（无法查看）', above: false }))
      : Promise.resolve({ path: '', above: false })),
    args: () => [this.value],
  });

  private search(q: string) {
    void this.hits.run([q]);
  }

  private pick(r: RecordJson) {
    this.editing = false;
    this.value = r.id;
    emit(this, 'value-change', r.id);
  }

  override render() {
    const tree = session.app?.tree;
    if (!this.editing) {
      // Another node's path is not shown while the chosen one's is on its way.
      const { path, above } = this.place.status === TaskStatus.COMPLETE ? this.place.value! : { path: '', above: false };
      // One line from the placeholder on (form.css): the path arriving late moves nothing below it.
      const waiting = !!this.value && this.place.status !== TaskStatus.COMPLETE;
      return html`<div class="node-picker"><span class="node-path" id=${`${this.inputId}-path`} title=${path || nothing}
        aria-busy=${waiting ? 'true' : 'false'}><bdi dir="ltr">${path || (this.value ? '…' : '未选择')}</bdi></span>
        ${above ? html`<span class="muted node-fixed">（不在您的管理范围内，不能更改）</span>` : nothing}
        ${this.disabled || above ? nothing : html`<button type="button" class="btn btn-small" id=${this.inputId} aria-describedby="${`${this.inputId}-path`} ${this.describedBy}"
          @click=${() => { this.editing = true; this.search(''); this.updateComplete.then(() => this.querySelector('input')?.focus()); }}>选择…</button>`}</div>`;
    }
    return html`<div class="node-picker editing">
      <input type="search" id=${this.inputId} placeholder="输入名称查找" aria-describedby=${this.describedBy} aria-controls=${`${this.inputId}-hits`}
        @input=${(e: Event) => this.search((e.target as HTMLInputElement).value)}
        @keydown=${(e: KeyboardEvent) => { if (e.key === 'Escape') this.editing = false; }}>
      <button type="button" class="btn btn-small" @click=${() => { this.editing = false; }}>取消</button>
      <ul class="pick-list" id=${`${this.inputId}-hits`}>
        ${(this.hits.value ?? []).map((r: RecordJson) => html`<li><button type="button" class="link" @click=${() => this.pick(r)}>
          ${r.data[tree!.labelField] ?? r.id}<span class="muted"> ${tree!.fullNameField ? r.data[tree!.fullNameField] ?? '' : ''}</span></button></li>`)}
      </ul>
    </div>`;
  }
}
