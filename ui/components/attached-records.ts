import { html, nothing } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import { emit } from './light-element.js';
import { SessionElement } from './session-element.js';
import { Task, TaskStatus } from '@lit/task';
import { api, qs, enc, messageOf } from '../api/client.js';
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
export class AttachedRecords extends SessionElement {
  @property() nodeId = '';
  @property({ type: Number }) version = 0;
  /** The node's lists and its events, reloaded when the node or its version changes. */
  private attached = new Task(this, {
    task: async ([nodeId], { signal }) => {
      if (!nodeId) return undefined;
      const app = session.app!;
      const tree = app.tree.collection;
      const lists: Attached[] = await Promise.all(this.collections.map(async ([name, c]) => ({
        name, title: c.title, form: await session.form(name),
        page: await api.get<Page>(`/api/records/${enc(name)}${qs({ node: nodeId, limit: 200 })}`, signal),
      })));
      const events = app.collections[tree].workflow
        ? await api.get<EventsAnswer>(`/api/records/${enc(tree)}/${enc(nodeId)}/events`, signal).catch(() => undefined)
        : undefined;
      return { nodeId, lists, events };
    },
    args: () => [this.nodeId, this.version],
  });

  /** The collections listed here: known at once, so their frames are shown before their records. */
  private get collections() {
    const app = session.app!;
    return Object.entries(app.collections).filter(([n, c]) => n !== app.tree.collection && c.nodeField && !c.completeness);
  }

  private async send(type: string, title: string, field: string, id: string, label: string) {
    if (!confirm(`确定对“${label}”执行「${title}」吗？`)) return;
    try {
      await api.post(`/api/records/${enc(session.app!.tree.collection)}/${enc(this.nodeId)}/events`, { type, [field]: id });
      toast(`已${title}`);
      emit(this, 'changed');
    } catch (e) {
      toast(messageOf(e), 'error');
    }
  }

  /**
   * Each list's frame and heading at once, its records in a box of fixed height (scrolling when
   * long): the panels below keep their place while the records, an error or a reload arrive, and a
   * button aimed at below is not moved away from under the pointer.
   */
  override render() {
    // The node's previous lists stay while it reloads; another node's are not shown under this one.
    const shown = this.attached.value?.nodeId === this.nodeId ? this.attached.value : undefined;
    // Said in the page, never left as an uncaught rejection.
    const error = this.attached.status === TaskStatus.ERROR ? messageOf(this.attached.error) : '';
    if (!this.nodeId) return nothing;
    return html`${this.collections.map(([name, c]) => {
      const l = shown?.lists.find((x) => x.name === name);
      return html`<section class="attached" aria-labelledby=${`att-${name}`} aria-busy=${l || error ? 'false' : 'true'}>
        <h3 class="group-title" id=${`att-${name}`}>所在${c.title}信息 <span class="muted">（${l ? l.page.total : '…'}）</span></h3>
        <div class="attached-body">${error ? html`<p class="form-error" role="alert">${error}</p>`
          : l ? this.list(l, shown!.events) : html`<p class="muted">加载中…</p>`}</div>
      </section>`;
    })}`;
  }

  private list(l: Attached, events: EventsAnswer | undefined) {
    const rowEvents = (events?.events ?? []).map((e) => ({ e, target: rowEventCollection(e) })).filter((x) => x.target?.collection === l.name);
    const titleField = session.app!.collections[l.name].titleField ?? '';
    return html`<caiji-record-table .collection=${l.name} .schema=${l.form.schema} .columns=${session.app!.collections[l.name].listColumns} .items=${l.page.items}
      .actions=${rowEvents.length ? (r: any) => rowEvents.map(({ e, target }) => html`<button type="button" class="btn btn-small btn-danger-link"
        aria-label=${`${e.title}：${String(r.data[titleField] ?? '')}`}
        @click=${() => this.send(e.type, e.title, target!.field, r.id, String(r.data[titleField] ?? ''))}>${e.title}</button>`) : undefined}></caiji-record-table>`;
  }
}
