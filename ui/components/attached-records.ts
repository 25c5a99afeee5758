import { html } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import { LightElement, emit } from './light-element.js';
import { api, qs, enc, ApiError } from '../api/client.js';
import { latestOnly } from '../api/latest.js';
import { session } from '../api/session.js';
import { rowEventCollection } from './row-events.js';
import { toast } from './toast.js';
import './record-table.js';
import type { EventsAnswer, FormInfo, Page } from '../api/types.js';

interface Attached { name: string; title: string; form: FormInfo; page: Page }

/**
 * On a tree node's page: the records of other collections hanging directly on it (e.g. the
 * units it sits in), with the node's per-row workflow events (e.g. 删除) on each row. Collections
 * tracked for completeness are large lists and get their own list page instead.
 */
@customElement('caiji-attached-records')
export class AttachedRecords extends LightElement {
  @property() nodeId = '';
  @property({ type: Number }) version = 0;
  @state() private lists: Attached[] = [];
  @state() private events?: EventsAnswer;
  @state() private error = '';
  private loaded = '';
  private latest = latestOnly();

  override updated() {
    const key = `${this.nodeId}@${this.version}`;
    if (this.nodeId && key !== this.loaded) {
      // Another node's lists are not shown under this one while its own load.
      if (!this.loaded.startsWith(`${this.nodeId}@`)) { this.lists = []; this.events = undefined; }
      this.loaded = key;
      this.load();
    }
  }

  private async load() {
    const app = session.app!;
    const tree = app.tree.collection;
    const names = Object.entries(app.collections).filter(([n, c]) => n !== tree && c.nodeField && !c.completeness);
    const current = this.latest();
    try {
      const lists = await Promise.all(names.map(async ([name, c]) => ({
        name, title: c.title, form: await session.form(name),
        page: await api.get<Page>(`/api/records/${enc(name)}${qs({ node: this.nodeId, limit: 200 })}`),
      })));
      const events = app.collections[tree].workflow
        ? await api.get<EventsAnswer>(`/api/records/${enc(tree)}/${enc(this.nodeId)}/events`).catch(() => undefined)
        : undefined;
      if (!current()) return;
      this.lists = lists;
      this.events = events;
      this.error = '';
    } catch (e) {
      // Said in the page, never left as an uncaught rejection.
      if (current()) this.error = e instanceof ApiError ? e.message : String(e);
    }
  }

  private async send(type: string, title: string, field: string, id: string, label: string) {
    if (!confirm(`确定对“${label}”执行「${title}」吗？`)) return;
    try {
      await api.post(`/api/records/${enc(session.app!.tree.collection)}/${enc(this.nodeId)}/events`, { type, [field]: id });
      toast(`已${title}`);
      emit(this, 'changed');
    } catch (e) {
      toast(e instanceof ApiError ? e.message : String(e), 'error');
    }
  }

  override render() {
    if (this.error) return html`<p class="form-error" role="alert">${this.error}</p>`;
    return html`${this.lists.map((l) => {
      const rowEvents = (this.events?.events ?? []).map((e) => ({ e, target: rowEventCollection(e) })).filter((x) => x.target?.collection === l.name);
      const titleField = session.app!.collections[l.name].titleField ?? '';
      return html`<section class="attached" aria-labelledby=${`att-${l.name}`}>
        <h3 class="group-title" id=${`att-${l.name}`}>所在${l.title}信息 <span class="muted">（${l.page.total}）</span></h3>
        <caiji-record-table .collection=${l.name} .schema=${l.form.schema} .columns=${session.app!.collections[l.name].listColumns} .items=${l.page.items}
          .actions=${rowEvents.length ? (r: any) => rowEvents.map(({ e, target }) => html`<button type="button" class="btn btn-small btn-danger-link"
            aria-label=${`${e.title}：${String(r.data[titleField] ?? '')}`}
            @click=${() => this.send(e.type, e.title, target!.field, r.id, String(r.data[titleField] ?? ''))}>${e.title}</button>`) : undefined}></caiji-record-table>
      </section>`;
    })}`;
  }
}
