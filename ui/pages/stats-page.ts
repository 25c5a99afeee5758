import { html, nothing } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import { SessionElement } from '../components/session-element.js';
import { api, enc, ApiError } from '../api/client.js';
import { latestOnly } from '../api/latest.js';
import { Task } from '@lit/task';
import { href, navigate } from '../router.js';
import { readableScopes, queryableCollections } from '../components/scope-picker.js';
import type { Cond, CondError, OperatorInfo, QueryFieldInfo } from '../components/condition-editor.js';
import '../components/condition-editor.js';
import '../components/stats-chart.js';
import '../components/export-button.js';

/** A field as the stats page reads it: a date field also says what the years since it are (the schema's x-dateBands). */
type StatsField = QueryFieldInfo & { bands?: 'age' | 'elapsed' | 'none' };
/** What the years since a date are called, for the axis offered and the reference date's label. */
const BAND_WORDS = { age: '年龄', elapsed: '距今年数' } as const;

interface Table { title: string; rowTitle: string; colTitle: string | null; rows: { key: string; label: string }[]; cols: { key: string; label: string }[]; cells: number[][]; rowTotals: number[]; colTotals: number[]; total: number }

const pct = (n: number, of: number) => (of ? `${((n / of) * 100).toFixed(1)}%` : '—');

/**
 * 统计: counts of a collection in a subtree the user reads, by one axis or cross-tabbed by two —
 * a code field (or its top level), the sub-organizations, a date field's year or age band — with
 * shares and totals, a bar or pie chart, and the table as a workbook.
 */
@customElement('caiji-stats-page')
export class StatsPage extends SessionElement {
  @property() collection = '';
  @property() nodeId = '';
  @state() private fields: StatsField[] = [];
  @state() private operators: OperatorInfo[] = [];
  @state() private rows = 'children';
  @state() private cols = '';
  @state() private at = '';
  @state() private where: Cond = { op: 'and', items: [] };
  @state() private table?: Table;
  @state() private chart: 'bar' | 'pie' = 'bar';
  @state() private error = '';
  @state() private condErrors: CondError[] = [];
  @state() private busy = false;
  private loadedNode = '';
  private latest = latestOnly();

  private get col() { return this.collection || queryableCollections()[0]?.[0] || ''; }
  private get node() { return this.nodeId || readableScopes()[0]?.node || ''; }

  /** The fields of the collection the address names, to group and filter by. */
  private fieldsTask = new Task(this, {
    task: ([col], { signal }) => (col ? api.get<{ fields: StatsField[]; operators: OperatorInfo[] }>(`/api/query/${enc(col)}/fields`, signal) : Promise.resolve(undefined)),
    args: () => [this.col],
    onComplete: (r) => { if (r) { this.fields = r.fields; this.operators = r.operators; this.table = undefined; } },
    onError: (e) => { this.error = e instanceof ApiError ? e.message : String(e); },
  });

  override updated() {
    if (this.node !== this.loadedNode) { this.loadedNode = this.node; this.table = undefined; }
  }

  /**
   * The axes offered: the node's children, each code field (and its top level when it has one), each
   * date field's year and bands of the years since it — an age for a birth date, years elapsed
   * for another date, none where the config says they mean nothing.
   */
  private axes(): [string, string][] {
    const out: [string, string][] = [['children', '下级组织']];
    for (const f of this.fields) {
      if (f.kind === 'code') {
        out.push([`code:${f.name}`, f.title]);
        if (f.codes?.some((c) => c.parent)) out.push([`top:${f.name}`, `${f.title}（大类）`]);
      }
      if (f.kind === 'date') {
        out.push([`year:${f.name}`, `${f.title}（年份）`]);
        const bands = f.bands ?? 'elapsed';
        if (bands !== 'none') out.push([`age:${f.name}`, `${f.title}（${bands === 'age' ? '年龄段' : '距今年数'}）`]);
      }
    }
    return out;
  }

  private dim(v: string) {
    if (v === 'children') return { by: 'children' };
    const [by, field] = v.split(':');
    return { by, field, ...(by === 'age' && this.at ? { at: this.at } : {}) };
  }

  private spec() {
    return { node: this.node, rows: this.dim(this.rows), ...(this.cols ? { cols: this.dim(this.cols) } : {}), ...((this.where as { items: Cond[] }).items.length ? { where: this.where } : {}) };
  }

  private async run() {
    this.busy = true; this.error = ''; this.condErrors = [];
    const current = this.latest();
    try {
      const t = await api.post<Table>(`/api/stats/${enc(this.col)}`, this.spec());
      if (current()) this.table = t;
    } catch (e) {
      if (current()) {
        // Messages about conditions go to the conditions (opened), the rest above the table.
        this.condErrors = e instanceof ApiError ? e.details.filter((d) => d.path.startsWith('/where')) : [];
        this.error = this.condErrors.length ? '条件有误，请按标出的提示修改后再统计' : e instanceof ApiError ? e.message : String(e);
        this.table = undefined;
      }
    } finally {
      if (current()) this.busy = false;
    }
  }

  private renderTable(t: Table) {
    const two = t.colTitle !== null;
    return html`<div class="table-wrap"><table class="data-table stats-table">
      <caption class="muted" style="text-align:left">${t.title}</caption>
      <thead><tr><th scope="col">${two ? `${t.rowTitle} \\ ${t.colTitle}` : t.rowTitle}</th>
        ${two ? t.cols.map((c) => html`<th scope="col">${c.label}</th>`) : html`<th scope="col">人数</th>`}${two ? html`<th scope="col">合计</th>` : nothing}<th scope="col">占比</th></tr></thead>
      <tbody>${t.rows.map((r, i) => html`<tr><th scope="row">${r.label}</th>
        ${two ? t.cells[i].map((n) => html`<td class="num">${n}</td>`) : html`<td class="num">${t.cells[i][0]}</td>`}
        ${two ? html`<td class="num">${t.rowTotals[i]}</td>` : nothing}<td class="num">${pct(t.rowTotals[i], t.total)}</td></tr>`)}
        <tr class="total-row"><th scope="row">合计</th>${two ? t.colTotals.map((n) => html`<td class="num">${n}</td>`) : nothing}
          <td class="num">${t.total}</td><td class="num">${pct(t.total, t.total)}</td></tr></tbody>
    </table></div>`;
  }

  override render() {
    const axes = this.axes();
    // The reference date's label names what it counts: 年龄, 距今年数 or both.
    const banded = [this.rows, this.cols].filter((v) => v.startsWith('age:'))
      .map((v) => BAND_WORDS[this.fields.find((f) => f.name === v.slice(4))?.bands === 'age' ? 'age' : 'elapsed']);
    const usesAge = banded.length > 0;
    const conditions = (this.where as { items: Cond[] }).items.length;
    return html`<section class="panel">
      <h1 tabindex="-1">查询统计</h1>
      <nav class="qs-tabs" aria-label="查询或统计"><a href=${href('query', this.col, this.node)}>查询</a><a href=${href('stats', this.col, this.node)} aria-current="page">统计</a></nav>
      <form @submit=${(e: Event) => { e.preventDefault(); void this.run(); }}>
      <div class="filters">
        <label for="s-collection">统计对象</label>
        <select id="s-collection" @change=${(e: Event) => navigate(href('stats', (e.target as HTMLSelectElement).value, this.node))}>
          ${queryableCollections().map(([name, c]) => html`<option value=${name} ?selected=${name === this.col}>${c.title}</option>`)}</select>
        <label for="s-scope">范围</label>
        <select id="s-scope" style="width:auto" @change=${(e: Event) => navigate(href('stats', this.col, (e.target as HTMLSelectElement).value))}>
          ${readableScopes().map((s) => html`<option value=${s.node} ?selected=${s.node === this.node}>${s.label}及下级</option>`)}</select>
        <label for="s-rows">按（行）</label>
        <select id="s-rows" style="width:auto" @change=${(e: Event) => { this.rows = (e.target as HTMLSelectElement).value; if (this.cols === this.rows) this.cols = ''; }}>
          ${axes.map(([v, l]) => html`<option value=${v} ?selected=${v === this.rows}>${l}</option>`)}</select>
        <label for="s-cols">交叉（列）</label>
        <select id="s-cols" style="width:auto" @change=${(e: Event) => { this.cols = (e.target as HTMLSelectElement).value; }}>
          <option value="" ?selected=${!this.cols}>（不交叉）</option>${axes.filter(([v]) => v !== this.rows).map(([v, l]) => html`<option value=${v} ?selected=${v === this.cols}>${l}</option>`)}</select>
        ${usesAge ? html`<label for="s-at">${[...new Set(banded)].join('、')}计算截至</label><input id="s-at" type="date" style="width:auto" .value=${this.at} @change=${(e: Event) => { this.at = (e.target as HTMLInputElement).value; }}><span class="muted">不填为今天</span>` : nothing}
      </div>
      <details ?open=${conditions > 0 || this.condErrors.length > 0}><summary>条件（可选）${conditions ? `：${conditions} 项` : ''}</summary>
        <caiji-condition-editor .fields=${this.fields} .operators=${this.operators} .value=${this.where} .errors=${this.condErrors} @conditions-change=${(e: CustomEvent<Cond>) => { this.where = e.detail; this.condErrors = []; }}></caiji-condition-editor>
      </details>
      <div class="toolbar">
        <button type="submit" class="btn btn-primary" ?disabled=${this.busy}>${this.busy ? '正在统计…' : '统计'}</button>
        ${this.table ? html`<caiji-export-button .label=${'导出 Excel'} .hint=${'本表导出为 Excel'} .href=${`/api/stats/${enc(this.col)}/export.xlsx?spec=${enc(JSON.stringify(this.spec()))}`}></caiji-export-button>
          <span class="spacer"></span><label for="s-chart">图表</label>
          <select id="s-chart" style="width:auto" @change=${(e: Event) => { this.chart = (e.target as HTMLSelectElement).value as 'bar' | 'pie'; }}>
            <option value="bar" ?selected=${this.chart === 'bar'}>柱状图</option><option value="pie" ?selected=${this.chart === 'pie'}>饼图${this.table.colTitle ? '（按行合计）' : ''}</option></select>` : nothing}
      </div>
      </form>
      ${this.error ? html`<p class="form-error" role="alert">${this.error}</p>` : nothing}
      ${this.table ? html`${this.renderTable(this.table)}<caiji-stats-chart .table=${this.table} .kind=${this.chart}></caiji-stats-chart>`
        : !this.error ? html`<p class="muted">选择按什么统计（可再选一项交叉），点「统计」。</p>` : nothing}
    </section>`;
  }
}
