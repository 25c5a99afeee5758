import { html, nothing } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import { SessionElement } from '../components/session-element.js';
import { Task, TaskStatus } from '@lit/task';
import { deepArrayEquals } from '@lit/task/deep-equals.js';
import { api, qs, enc, messageOf } from '../api/client.js';
import '../components/export-button.js';
import { session } from '../api/session.js';
import { href, navigate } from '../router.js';
import '../components/bread-crumb.js';
import '../components/record-table.js';
import '../components/pager.js';
import '../components/batch-actions.js';
import '../components/batch-accounts.js';
import '../components/batch-print.js';
import type { FormInfo, Page, RecordJson, TreeAnswer } from '../api/types.js';

const SIZE = 50;

/** A collection's records on a node (and below): search, state filter, multi-select, paging. */
@customElement('caiji-list-page')
export class ListPage extends SessionElement {
  @property() collection = '';
  @property() nodeId = '';
  @property({ attribute: false }) query: Record<string, string> = {};
  @state() private selected = new Set<string>();
  /** The cursors that lead to the page asked for (the one shown has its own, in its answer). */
  @state() private asked: string[] = [''];
  /** The collection, node and filters the selection and paging belong to. */
  private listKey = '';
  private form = new Task(this, { task: ([collection]) => session.form(collection), args: () => [this.collection] });
  /** The node's breadcrumb and label. */
  private place = new Task(this, {
    task: ([nodeId], { signal }) => (nodeId ? api.get<TreeAnswer>(`/api/tree/${enc(nodeId)}`, signal) : Promise.resolve(undefined)),
    args: () => [this.nodeId],
  });
  /** The page asked for, with the cursors that led to it: its number is their count. */
  private list = new Task(this, {
    task: async ([collection, nodeId, query, cursors], { signal }) => {
      const page = await api.get<Page>(`/api/records/${enc(collection)}${qs({
        node: nodeId, deep: query.deep === '0' ? undefined : 1, state: query.state, q: query.q, limit: SIZE, cursor: cursors[cursors.length - 1],
      })}`, signal);
      return { page, cursors };
    },
    args: () => [this.collection, this.nodeId, this.query, this.asked],
    // The same filters read from the address again are no new question.
    argsEqual: deepArrayEquals,
  });

  /** Another collection, node or filter starts from its first page with nothing selected. */
  override willUpdate() {
    const key = `${this.collection}|${this.nodeId}|${JSON.stringify(this.query)}`;
    if (key === this.listKey) return;
    this.listKey = key;
    this.selected = new Set();
    this.asked = [''];
  }

  private get loading() { return this.list.status === TaskStatus.PENDING; }

  /** Paging is refused while a page is on its way: a second click would follow the old page's cursor again. */
  private go(delta: number) {
    if (this.loading) return;
    const shown = this.list.value;
    let cursors: string[];
    if (delta > 0 && shown?.page.nextCursor) cursors = [...shown.cursors, shown.page.nextCursor];
    else if (delta < 0 && shown && shown.cursors.length > 1) cursors = shown.cursors.slice(0, -1);
    else return;
    this.selected = new Set();
    this.asked = cursors;
  }

  private filter(e: Event) {
    e.preventDefault();
    const f = e.target as HTMLFormElement;
    const get = (n: string) => (f.elements.namedItem(n) as HTMLInputElement | HTMLSelectElement).value;
    const deep = (f.elements.namedItem('deep') as HTMLInputElement).checked;
    navigate(href('list', this.collection, this.nodeId, { q: get('q') || undefined, state: get('state') || undefined, deep: deep ? undefined : '0' }));
  }

  override render() {
    const app = session.app!;
    const col = app.collections[this.collection];
    if (!col) return html`<section class="panel"><h1 tabindex="-1">页面不存在</h1></section>`;
    const tree = app.collections[app.tree.collection];
    const form = this.form.value;
    const t = this.place.value;
    const shown = this.list.value;
    const error = this.list.status === TaskStatus.ERROR ? messageOf(this.list.error) : '';
    const searchTitles = col.search.map((s) => form?.schema.properties?.[s]?.title ?? s).join('、');
    const states = session.states(this.collection);
    const items = shown?.page.items ?? [];
    const titles = new Map(items.map((r: RecordJson) => [r.id, String(r.data[col.titleField ?? ''] ?? r.id)]));
    return html`<section class="panel">
      ${t ? html`<caiji-breadcrumb .items=${t.breadcrumb} linkLast></caiji-breadcrumb>` : nothing}
      <h1 tabindex="-1">${t ? `${t.node.label} · ` : ''}${col.title}列表</h1>
      <form class="filters" role="search" @submit=${this.filter}>
        <label for="list-q">查找</label>
        <input id="list-q" name="q" type="search" .value=${this.query.q ?? ''} placeholder=${searchTitles ? `按${searchTitles}查找` : '查找'}>
        ${col.workflow ? html`<label for="list-state">审核状态</label>
          <select id="list-state" name="state">
            <option value="">全部</option>
            ${states.map((s) => html`<option value=${s.id} ?selected=${this.query.state === s.id}>${s.title}</option>`)}
          </select>` : html`<input type="hidden" name="state" value="">`}
        <label class="inline"><input type="checkbox" name="deep" ?checked=${this.query.deep !== '0'}>含下级${tree.title}</label>
        <button class="btn" type="submit">查询</button>
        <span class="spacer"></span>
        ${session.can('write') && (!col.direct || col.direct.includes('create')) ? html`<a class="btn" href=${href('new', this.collection, { node: this.nodeId || undefined })}>新增${col.title}</a>` : nothing}
      </form>
<div class="list-actions">      ${col.workflow ? html`<caiji-batch-actions .collection=${this.collection} .ids=${[...this.selected]} .titles=${titles}
        @done=${() => { this.selected = new Set(); void this.list.run(); }}></caiji-batch-actions>` : nothing}
      <caiji-batch-print .collection=${this.collection} .ids=${[...this.selected]}></caiji-batch-print>
      ${session.can('grant') && Object.values(session.app!.roles).some((r) => r.self === this.collection)
        ? html`<caiji-batch-accounts .ids=${[...this.selected]}></caiji-batch-accounts>` : nothing}
      ${col.nodeField && !col.isTree ? html`<span class="spacer"></span><caiji-export-button .label=${'导出 Excel'}
        .hint=${`按当前筛选导出${col.title}，格式同导入模板${session.can('write') ? '：修改后可在批量维护中上传' : ''}`}
        .href=${`/api/import/${enc(this.collection)}/export.xlsx${qs({ node: this.nodeId, deep: this.query.deep === '0' ? 0 : 1, state: this.query.state, q: this.query.q })}`}></caiji-export-button>` : nothing}</div>
      ${error ? html`<p class="form-error" role="alert">${error}</p>` : nothing}
      ${form ? html`<caiji-record-table .collection=${this.collection} .schema=${form.schema} .columns=${col.listColumns}
        .items=${items} ?selectable=${!!col.workflow} .selected=${this.selected}
        @selection-change=${(e: CustomEvent<Set<string>>) => { this.selected = new Set(e.detail); }}></caiji-record-table>` : nothing}
      <caiji-pager .total=${shown?.page.total ?? 0} .page=${shown?.cursors.length ?? 1} .size=${SIZE} ?hasNext=${!!shown?.page.nextCursor} ?busy=${this.loading}
        @page=${(e: CustomEvent<number>) => this.go(e.detail)}></caiji-pager>
    </section>`;
  }
}
