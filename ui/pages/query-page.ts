import { html, nothing } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import { SessionElement } from '../components/session-element.js';
import { api, enc, ApiError } from '../api/client.js';
import { latestOnly } from '../api/latest.js';
import { Task } from '@lit/task';
import { href, navigate } from '../router.js';
import { toast } from '../components/toast.js';
import { readableScopes, queryableCollections } from '../components/scope-picker.js';
import type { Cond, CondError, OperatorInfo, QueryFieldInfo } from '../components/condition-editor.js';
import '../components/condition-editor.js';
import '../components/export-button.js';

interface FieldsAnswer { fields: QueryFieldInfo[]; operators: OperatorInfo[]; listColumns: string[] }
interface QueryAnswer { columns: { name: string; title: string; kind: string }[]; items: { id: string; data: Record<string, unknown>; labels: Record<string, unknown> }[]; more: boolean }
interface Saved { id: string; name: string; kind: string; spec: any; mine: boolean; shared: boolean; ownerName: string }

const SIZE = 20;

/**
 * 查询: conditions on any field of a collection (by the form's titles), in a subtree the user
 * reads; the result as a list with chosen columns, sorting and paging; saved and shared queries;
 * the whole result exported as a workbook.
 */
@customElement('caiji-query-page')
export class QueryPage extends SessionElement {
  @property() collection = '';
  @property() nodeId = '';
  @state() private info?: FieldsAnswer;
  @state() private where: Cond = { op: 'and', items: [] };
  @state() private columns: string[] = [];
  @state() private sort = '';
  @state() private desc = false;
  @state() private offset = 0;
  @state() private result?: QueryAnswer;
  @state() private total: number | null = null;
  @state() private error = '';
  /** The refusal's details that point into the condition tree: shown at each condition. */
  @state() private condErrors: CondError[] = [];
  @state() private busy = false;
  @state() private saved: Saved[] = [];
  private loadedNode = '';
  private latest = latestOnly();

  private get col() { return this.collection || queryableCollections()[0]?.[0] || ''; }
  private get node() { return this.nodeId || readableScopes()[0]?.node || ''; }

  /** The fields of the collection the address names (a new collection starts a new query), and its saved queries. */
  private fieldsTask = new Task(this, {
    task: ([col], { signal }) => (col ? api.get<FieldsAnswer>(`/api/query/${enc(col)}/fields`, signal) : Promise.resolve(undefined)),
    args: () => [this.col],
    onComplete: (info) => {
      if (!info) return;
      this.info = info; this.columns = info.listColumns.filter((c) => info.fields.some((f) => f.name === c));
      this.where = { op: 'and', items: [] }; this.result = undefined; this.total = null;
      this.loadSaved();
    },
    onError: (e) => { this.error = e instanceof ApiError ? e.message : String(e); },
  });

  override updated() {
    // Another scope: the result shown was of the old one.
    if (this.node !== this.loadedNode) { this.loadedNode = this.node; this.result = undefined; this.total = null; }
  }

  private loadSaved() {
    api.get<{ items: Saved[] }>(`/api/query/saved/${enc(this.col)}`).then((r) => { this.saved = r.items.filter((q) => q.kind === 'query'); }).catch(() => { this.saved = []; });
  }

  private spec(offset = this.offset) {
    return { node: this.node, where: this.where, columns: this.columns, ...(this.sort ? { sort: { field: this.sort, desc: this.desc } } : {}), limit: SIZE, offset };
  }

  /** A refusal: messages about conditions go to the conditions, the rest above the result. */
  private refused(e: unknown) {
    const details = e instanceof ApiError ? e.details.filter((d) => d.path.startsWith('/where')) : [];
    this.condErrors = details;
    this.error = details.length ? '查询条件有误，请按标出的提示修改后再查询' : e instanceof ApiError ? e.message : String(e);
  }

  private async run(offset = 0) {
    this.busy = true; this.error = ''; this.condErrors = [];
    const current = this.latest();
    try {
      const result = await api.post<QueryAnswer>(`/api/query/${enc(this.col)}`, this.spec(offset));
      if (!current()) return;
      this.result = result; this.offset = offset;
      if (offset === 0) {
        this.total = null;
        api.post<{ total: number }>(`/api/query/${enc(this.col)}/count`, this.spec(0)).then((r) => { if (current()) this.total = r.total; }).catch(() => {});
      }
    } catch (e) {
      if (current()) { this.refused(e); this.result = undefined; }
    } finally {
      if (current()) this.busy = false;
    }
  }

  private async save(e: Event) {
    e.preventDefault();
    const form = e.target as HTMLFormElement;
    const name = (form.elements.namedItem('name') as HTMLInputElement).value.trim();
    const shared = (form.elements.namedItem('shared') as HTMLInputElement).checked;
    try {
      await api.post(`/api/query/saved/${enc(this.col)}`, { name, kind: 'query', shared, node: this.node, spec: { where: this.where, columns: this.columns, ...(this.sort ? { sort: { field: this.sort, desc: this.desc } } : {}) } });
      toast(`已保存查询「${name}」${shared ? '（已共享）' : ''}`);
      form.reset();
      this.loadSaved();
    } catch (err) {
      if (err instanceof ApiError && err.details.some((d) => d.path.startsWith('/spec/where'))) {
        this.refused(new ApiError(err.status, err.code, err.message, err.details.map((d) => ({ ...d, path: d.path.replace(/^\/spec/, '') }))));
      } else toast(err instanceof ApiError ? err.message : String(err), 'error');
    }
  }

  private load(q: Saved) {
    this.condErrors = [];
    this.where = q.spec.where ?? { op: 'and', items: [] };
    this.columns = q.spec.columns ?? this.columns;
    this.sort = q.spec.sort?.field ?? ''; this.desc = !!q.spec.sort?.desc;
    void this.run(0);
  }

  private async removeSaved(q: Saved) {
    if (!confirm(`删除已保存的查询「${q.name}」？`)) return;
    try { await api.del(`/api/query/saved/${enc(this.col)}/${enc(q.id)}`); this.loadSaved(); } catch (err) { toast(err instanceof ApiError ? err.message : String(err), 'error'); }
  }

  private cell(row: QueryAnswer['items'][0], c: QueryAnswer['columns'][0]) {
    const v = row.data[c.name];
    if (v === undefined || v === null) return '';
    if (c.kind === 'node') return String(row.labels[c.name] ?? v);
    if (c.kind === 'boolean') return v ? '是' : '否';
    if (c.kind === 'code') return this.info?.fields.find((f) => f.name === c.name)?.codes?.find((x) => x.code === v)?.label ?? String(v);
    // A child table's rows: the server puts them in words (as in the workbook), never the row objects.
    if (c.kind === 'table') return String(row.labels[c.name] ?? '');
    return String(v);
  }

  /** A column header sorts by its column: once ascending, again descending. */
  private sortBy(name: string) {
    if (this.sort === name) this.desc = !this.desc; else { this.sort = name; this.desc = false; }
    void this.run(0);
  }

  private renderResult(r: QueryAnswer) {
    const pages = this.total === null ? null : Math.max(1, Math.ceil(this.total / SIZE));
    return html`<p class="muted" aria-live="polite">${this.total === null ? '正在统计条数…' : `共 ${this.total} 条`}，第 ${this.offset / SIZE + 1}${pages ? ` / ${pages}` : ''} 页</p>
      <div class="table-wrap"><table class="data-table query-result">
        <thead><tr>${r.columns.map((c) => (c.kind === 'table' ? html`<th scope="col">${c.title}</th>` : html`<th scope="col" aria-sort=${this.sort === c.name ? (this.desc ? 'descending' : 'ascending') : 'none'}>
          <button type="button" class="link" title="按此列排序" @click=${() => this.sortBy(c.name)}>${c.title}${this.sort === c.name ? (this.desc ? ' ▼' : ' ▲') : ''}</button></th>`))}<th scope="col">操作</th></tr></thead>
        <tbody>${r.items.length ? r.items.map((row) => html`<tr data-id=${row.id}>${r.columns.map((c) => html`<td>${c.kind === 'table' ? html`<div class="table-rows" style="white-space:pre-line;min-width:16em;max-width:36em">${this.cell(row, c)}</div>` : this.cell(row, c)}</td>`)}
          <td><a href=${href('record', this.col, row.id)}>查看</a></td></tr>`) : html`<tr><td colspan=${r.columns.length + 1} class="empty">没有符合条件的记录：可放宽条件或扩大范围</td></tr>`}</tbody>
      </table></div>
      <div class="toolbar">
        <button type="button" class="btn" ?disabled=${this.offset === 0 || this.busy} @click=${() => this.run(Math.max(0, this.offset - SIZE))}>上一页</button>
        <button type="button" class="btn" ?disabled=${!r.more || this.busy} @click=${() => this.run(this.offset + SIZE)}>下一页</button>
      </div>`;
  }

  override render() {
    const scopes = readableScopes();
    const info = this.info;
    const r = this.result;
    const scopeLabel = scopes.find((s) => s.node === this.node)?.label ?? '';
    return html`<section class="panel">
      <h1 tabindex="-1">查询统计</h1>
      <nav class="qs-tabs" aria-label="查询或统计"><a href=${href('query', this.col, this.node)} aria-current="page">查询</a><a href=${href('stats', this.col, this.node)}>统计</a></nav>
      <div class="filters">
        <label for="q-collection">查询对象</label>
        <select id="q-collection" @change=${(e: Event) => navigate(href('query', (e.target as HTMLSelectElement).value, this.node))}>
          ${queryableCollections().map(([name, c]) => html`<option value=${name} ?selected=${name === this.col}>${c.title}</option>`)}</select>
        <label for="q-scope">范围</label>
        <select id="q-scope" style="width:auto" @change=${(e: Event) => navigate(href('query', this.col, (e.target as HTMLSelectElement).value))}>
          ${scopes.map((s) => html`<option value=${s.node} ?selected=${s.node === this.node}>${s.label}及下级</option>`)}</select>
      </div>
      ${info ? html`
        ${this.saved.length ? html`<div class="saved-queries"><span>已保存的查询：</span>${this.saved.map((q) => html`<span class="saved-query">
          <button type="button" class="btn-link" @click=${() => this.load(q)} title=${q.mine ? '运行此查询' : `${q.ownerName} 共享，运行此查询`}>${q.name}${q.shared ? (q.mine ? '（已共享）' : `（${q.ownerName} 共享）`) : ''}</button>
          ${q.mine ? html`<button type="button" class="btn-danger-link" aria-label=${`删除查询「${q.name}」`} title="删除" @click=${() => this.removeSaved(q)}>×</button>` : nothing}</span>`)}</div>` : nothing}
        <form @submit=${(e: Event) => { e.preventDefault(); void this.run(0); }}>
          <h2 class="group-title">条件</h2>
          <caiji-condition-editor .fields=${info.fields} .operators=${info.operators} .value=${this.where} .errors=${this.condErrors} @conditions-change=${(e: CustomEvent<Cond>) => { this.where = e.detail; this.condErrors = []; }}></caiji-condition-editor>
          <details><summary>显示列与排序</summary>
            <fieldset class="qs-options" style="border:none"><legend>显示列</legend>
              ${info.fields.map((f) => html`<label class="inline"><input type="checkbox" name="column" value=${f.name} .checked=${this.columns.includes(f.name)}
                @change=${(e: Event) => { const on = (e.target as HTMLInputElement).checked; this.columns = on ? info.fields.map((x) => x.name).filter((n) => n === f.name || this.columns.includes(n)) : this.columns.filter((n) => n !== f.name); }}>${f.title}</label>`)}
            </fieldset>
            <div class="qs-options">
              <label for="q-sort">排序</label>
              <select id="q-sort" @change=${(e: Event) => { this.sort = (e.target as HTMLSelectElement).value; }}>
                <option value="">按组织，再按录入顺序</option>${info.fields.filter((f) => f.kind !== 'table').map((f) => html`<option value=${f.name} ?selected=${f.name === this.sort}>${f.title}</option>`)}</select>
              <label class="inline"><input type="checkbox" .checked=${this.desc} @change=${(e: Event) => { this.desc = (e.target as HTMLInputElement).checked; }}>降序</label>
            </div>
          </details>
          <div class="toolbar">
            <button type="submit" class="btn btn-primary" ?disabled=${this.busy || !this.columns.length}>${this.busy ? '正在查询…' : '查询'}</button>
            <caiji-export-button .label=${'导出 Excel'} .hint=${'导出全部符合条件的记录（所选列）'} .href=${`/api/query/${enc(this.col)}/export.xlsx?spec=${enc(JSON.stringify({ ...this.spec(0), limit: undefined, offset: undefined }))}`}></caiji-export-button>
            ${this.columns.length ? nothing : html`<span class="field-error">请至少选择一列显示</span>`}
          </div>
        </form>
        <form class="filters query-save" @submit=${this.save}>
          <label for="q-name">保存当前查询为</label><input id="q-name" type="text" name="name" required maxlength="100" placeholder="查询名称">
          <label class="inline"><input type="checkbox" name="shared">共享给「${scopeLabel}」及下级的查阅人员</label>
          <button class="btn" type="submit">保存查询</button>
        </form>` : nothing}
      ${this.error ? html`<p class="form-error" role="alert">${this.error}</p>` : nothing}
      ${r ? this.renderResult(r) : info && !this.error ? html`<p class="muted">设置条件（不设条件即范围内全部记录）后点「查询」。</p>` : nothing}
    </section>`;
  }
}
