import { html, nothing } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import { LightElement } from '../components/light-element.js';
import { api, qs, enc, ApiError } from '../api/client.js';
import '../components/export-button.js';
import { latestOnly } from '../api/latest.js';
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
export class ListPage extends LightElement {
  @property() collection = '';
  @property() nodeId = '';
  @property({ attribute: false }) query: Record<string, string> = {};
  @state() private form?: FormInfo;
  @state() private t?: TreeAnswer;
  @state() private page?: Page;
  /** The cursors that led to the page shown: its number is their count. Changed only when that page arrives. */
  @state() private cursors: string[] = [''];
  @state() private loading = false;
  private latest = latestOnly();
  /** The form and breadcrumb of the collection and node last asked for. */
  private latestPlace = latestOnly();
  @state() private selected = new Set<string>();
  @state() private error = '';
  private loadedKey = '';

  override updated() {
    const key = `${this.collection}|${this.nodeId}|${JSON.stringify(this.query)}`;
    if (key !== this.loadedKey) {
      this.loadedKey = key;
      this.selected = new Set();
      const current = this.latestPlace();
      session.form(this.collection).then((f) => { if (current()) this.form = f; });
      if (this.nodeId) api.get<TreeAnswer>(`/api/tree/${enc(this.nodeId)}`).then((t) => { if (current()) this.t = t; });
      this.fetch(['']);
    }
  }

  private async fetch(cursors = this.cursors) {
    const current = this.latest();
    const q = this.query;
    this.loading = true;
    try {
      const page = await api.get<Page>(`/api/records/${enc(this.collection)}${qs({
        node: this.nodeId, deep: q.deep === '0' ? undefined : 1, state: q.state, q: q.q, limit: SIZE, cursor: cursors[cursors.length - 1],
      })}`);
      if (!current()) return;
      this.page = page;
      this.cursors = cursors;
      this.error = '';
    } catch (e) {
      if (!current()) return;
      this.error = e instanceof ApiError ? e.message : String(e);
    } finally {
      if (current()) this.loading = false;
    }
  }

  /** Paging is refused while a page is on its way: a second click would follow the old page's cursor again. */
  private go(delta: number) {
    if (this.loading) return;
    let cursors: string[];
    if (delta > 0 && this.page?.nextCursor) cursors = [...this.cursors, this.page.nextCursor];
    else if (delta < 0 && this.cursors.length > 1) cursors = this.cursors.slice(0, -1);
    else return;
    this.selected = new Set();
    this.fetch(cursors);
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
    const searchTitles = col.search.map((s) => this.form?.schema.properties?.[s]?.title ?? s).join('、');
    const states = session.states(this.collection);
    const items = this.page?.items ?? [];
    const titles = new Map(items.map((r: RecordJson) => [r.id, String(r.data[col.titleField ?? ''] ?? r.id)]));
    return html`<section class="panel">
      ${this.t ? html`<caiji-breadcrumb .items=${this.t.breadcrumb} linkLast></caiji-breadcrumb>` : nothing}
      <h1 tabindex="-1">${this.t ? `${this.t.node.label} · ` : ''}${col.title}列表</h1>
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
        @done=${() => { this.selected = new Set(); this.fetch(); }}></caiji-batch-actions>` : nothing}
      <caiji-batch-print .collection=${this.collection} .ids=${[...this.selected]}></caiji-batch-print>
      ${session.can('grant') && Object.values(session.app!.roles).some((r) => r.self === this.collection)
        ? html`<caiji-batch-accounts .ids=${[...this.selected]}></caiji-batch-accounts>` : nothing}
      ${col.nodeField && !col.isTree ? html`<span class="spacer"></span><caiji-export-button .label=${'导出 Excel'}
        .hint=${`按当前筛选导出${col.title}，格式同导入模板${session.can('write') ? '：修改后可在批量维护中上传' : ''}`}
        .href=${`/api/import/${enc(this.collection)}/export.xlsx${qs({ node: this.nodeId, deep: this.query.deep === '0' ? 0 : 1, state: this.query.state, q: this.query.q })}`}></caiji-export-button>` : nothing}</div>
      ${this.error ? html`<p class="form-error" role="alert">${this.error}</p>` : nothing}
      ${this.form ? html`<caiji-record-table .collection=${this.collection} .schema=${this.form.schema} .columns=${col.listColumns}
        .items=${items} ?selectable=${!!col.workflow} .selected=${this.selected}
        @selection-change=${(e: CustomEvent<Set<string>>) => { this.selected = new Set(e.detail); }}></caiji-record-table>` : nothing}
      <caiji-pager .total=${this.page?.total ?? 0} .page=${this.cursors.length} .size=${SIZE} ?hasNext=${!!this.page?.nextCursor} ?busy=${this.loading}
        @page=${(e: CustomEvent<number>) => this.go(e.detail)}></caiji-pager>
    </section>`;
  }
}
