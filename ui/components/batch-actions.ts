import { html, nothing } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import { LightElement, emit } from './light-element.js';
import { api, enc, ApiError } from '../api/client.js';
import { toast } from './toast.js';
import type { EventInfo, EventsAnswer } from '../api/types.js';

interface BatchResult { id: string; ok: boolean; state?: string; stateTitle?: string; error?: { message: string } | string }

/**
 * The events the workflow allows now on every selected record (asked per record, so the
 * answer is the user's and the records' own), sent as one batch. Fires `done` afterwards.
 */
@customElement('caiji-batch-actions')
export class BatchActions extends LightElement {
  @property() collection = '';
  @property({ attribute: false }) ids: string[] = [];
  @property({ attribute: false }) titles = new Map<string, string>();
  @state() private events: EventInfo[] = [];
  @state() private busy = false;
  @state() private failures: string[] = [];
  private askedFor = '';

  override updated() {
    const key = this.ids.join(',');
    if (key !== this.askedFor) {
      this.askedFor = key;
      this.load(key);
    }
  }

  private async load(key: string) {
    if (!this.ids.length) { this.events = []; return; }
    const answers = await Promise.all(this.ids.slice(0, 100).map((id) =>
      api.get<EventsAnswer>(`/api/records/${enc(this.collection)}/${enc(id)}/events`).catch(() => null)));
    if (key !== this.askedFor) return;
    let common: EventInfo[] | null = null;
    for (const a of answers) {
      const evs = (a?.events ?? []).filter((e) => !e.payload && !e.form);
      common = common === null ? evs : common.filter((e) => evs.some((x) => x.type === e.type));
    }
    this.events = common ?? [];
  }

  private async send(e: EventInfo) {
    this.busy = true;
    this.failures = [];
    try {
      const res = await api.post<{ results: BatchResult[] }>(`/api/records/${enc(this.collection)}/events`, { type: e.type, ids: this.ids });
      const bad = res.results.filter((r) => !r.ok);
      this.failures = bad.map((r) => `${this.titles.get(r.id) ?? r.id}：${typeof r.error === 'string' ? r.error : r.error?.message ?? '未成功'}`);
      if (bad.length) toast(`「${e.title}」：${res.results.length - bad.length} 条成功，${bad.length} 条未成功`, 'error');
      else toast(`已${e.title} ${res.results.length} 条`);
    } catch (err) {
      const details = err instanceof ApiError ? (err.body?.results ?? []).filter((r: BatchResult) => !r.ok) : [];
      this.failures = details.map((r: BatchResult) => `${this.titles.get(r.id) ?? r.id}：${typeof r.error === 'string' ? r.error : r.error?.message ?? ''}`);
      toast(err instanceof ApiError ? err.message : String(err), 'error');
    } finally {
      this.busy = false;
      this.askedFor = '';
      emit(this, 'done');
    }
  }

  override render() {
    const n = this.ids.length;
    return html`<div class="batch-bar" role="group" aria-label="批量操作">
      <span class="muted">${n ? `已选 ${n} 条` : '勾选记录后可批量操作'}</span>
      ${this.events.map((e) => html`<button type="button" class="btn btn-primary" ?disabled=${this.busy || !n} @click=${() => this.send(e)}>${e.title}</button>`)}
      ${this.failures.length ? html`<ul class="form-error" role="alert">${this.failures.map((f) => html`<li>${f}</li>`)}</ul>` : nothing}
    </div>`;
  }
}
