import { html, nothing } from 'lit';
import { customElement, state } from 'lit/decorators.js';
import { SessionElement } from '../components/session-element.js';
import { api, enc, ApiError } from '../api/client.js';
import { session } from '../api/session.js';
import '../components/record-view.js';
import '../components/action-bar.js';
import '../components/history-panel.js';
import type { FormInfo, RecordJson } from '../api/types.js';

/** Self-service: the account's own record, read-only, with the events its holder may send. */
@customElement('caiji-self-page')
export class SelfPage extends SessionElement {
  @state() private form?: FormInfo;
  @state() private record?: RecordJson;
  @state() private nodePath = '';
  @state() private error = '';

  override connectedCallback() {
    super.connectedCallback();
    this.load();
  }

  private async load() {
    const self = session.selfRecord;
    if (!self) { this.error = '当前账号没有绑定本人信息'; return; }
    try {
      this.form = await session.form(self.collection);
      this.record = await api.get<RecordJson>(`/api/records/${enc(self.collection)}/${enc(self.recordId)}`);
      // A self-service account may not browse the tree; /api/self names the path of its own node.
      const mine = await api.get<{ node: { path: string[] } | null }>('/api/self');
      this.nodePath = mine.node?.path.join('>>') ?? '—';
    } catch (e) {
      this.error = e instanceof ApiError ? e.message : String(e);
    }
  }

  override render() {
    if (this.error) return html`<section class="panel"><h1 tabindex="-1">我的信息</h1><p class="form-error" role="alert">${this.error}</p></section>`;
    const r = this.record;
    if (!r || !this.form) return html`<section class="panel"><p class="muted">正在加载…</p></section>`;
    const col = session.app!.collections[r.collection];
    const nodeField = col?.nodeField ?? '';
    const essential = session.app!.essentialLabel;
    return html`<div class="record-layout">
      <section class="panel grow">
        <div class="record-head"><h1 tabindex="-1">我的信息</h1>
          ${r.state ? html`<span class=${session.stateClass(r.collection, r.state)}>${session.stateTitle(r.collection, r.state)}</span>` : nothing}</div>
        <p class="hint self-hint">${essential ? html`<span class="essential-sample">红色</span>为${essential}。` : nothing}${session.selfHint(r.collection, r.state) || '请核对以下信息。'}</p>
        <div class="toolbar"><caiji-action-bar .collection=${r.collection} .recordId=${r.id} .version=${r.version} @sent=${() => this.load()}></caiji-action-bar></div>
        <caiji-record-view .schema=${this.form.schema} .data=${r.data} .overrides=${nodeField && this.nodePath ? { [nodeField]: this.nodePath } : {}}></caiji-record-view>
      </section>
      <aside class="panel side-right"><caiji-history .collection=${r.collection} .recordId=${r.id} .schema=${this.form.schema} .version=${r.version}></caiji-history></aside>
    </div>`;
  }
}
