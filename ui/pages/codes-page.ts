import { html, nothing } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import { LightElement } from '../components/light-element.js';
import { api, enc, ApiError } from '../api/client.js';
import { href } from '../router.js';
import { session } from '../api/session.js';
import type { CodeEntry } from '../api/types.js';

interface TableInfo { table: string; title: string; version: number; size: number; provisional: number; deprecated: number }
interface CodeTable { table: string; title: string; version: number; source?: string; codes: CodeEntry[] }

/** The code tables (代码表) for config admins: every table, and one table's codes with search. */
@customElement('caiji-codes-page')
export class CodesPage extends LightElement {
  @property() table = '';
  @state() private tables: TableInfo[] = [];
  @state() private current?: CodeTable;
  @state() private q = '';
  /** Records using each code (config admins only). */
  @state() private usage?: Map<string, number>;
  @state() private error = '';
  private loaded?: string;

  override updated() {
    if (this.table === this.loaded) return;
    this.loaded = this.table;
    this.error = '';
    this.q = '';
    this.usage = undefined;
    if (this.table && session.can('config')) {
      api.get<{ items: { code: string; count: number }[] }>(`/api/codes/${enc(this.table)}/usage`).then((u) => {
        const m = new Map<string, number>();
        for (const x of u.items) m.set(x.code, (m.get(x.code) ?? 0) + x.count);
        this.usage = m;
      }).catch(() => {});
    }
    const p = this.table
      ? api.get<CodeTable>(`/api/codes/${enc(this.table)}`).then((t) => { this.current = t; })
      : api.get<{ items: TableInfo[] }>('/api/codes').then((r) => { this.tables = r.items; this.current = undefined; });
    p.catch((e) => { this.error = e instanceof ApiError ? e.message : String(e); });
  }

  override render() {
    if (this.error) return html`<section class="panel"><h1 tabindex="-1">代码表</h1><p class="form-error" role="alert">${this.error}</p></section>`;
    return this.table ? this.one() : this.all();
  }

  private all() {
    return html`<section class="panel"><h1 tabindex="-1">代码表</h1>
      <div class="table-wrap"><table class="data-table">
        <thead><tr><th scope="col">名称</th><th scope="col">标识</th><th scope="col">版本</th><th scope="col">代码数</th><th scope="col">已停用</th><th scope="col">待核实</th></tr></thead>
        <tbody>${this.tables.map((t) => html`<tr>
          <th scope="row"><a href=${href('codes', t.table)}>${t.title}</a></th><td><code>${t.table}</code></td><td class="num">${t.version}</td>
          <td class="num">${t.size}</td><td class="num">${t.deprecated || ''}</td><td class="num">${t.provisional ? html`<span class="tag tag-warn">${t.provisional}</span>` : ''}</td>
        </tr>`)}</tbody>
      </table></div></section>`;
  }

  private one() {
    const t = this.current;
    if (!t) return html`<section class="panel"><p class="muted">正在加载…</p></section>`;
    const q = this.q.trim().toLowerCase();
    const codes = q ? t.codes.filter((c) => c.code.toLowerCase().includes(q) || c.label.toLowerCase().includes(q)) : t.codes;
    const label = (code: string) => t.codes.find((c) => c.code === code)?.label ?? '';
    return html`<section class="panel">
      <nav class="breadcrumb" aria-label="所在位置"><ol><li><a href=${href('codes')}>代码表</a></li><li><span class="sep" aria-hidden="true">&gt;&gt;</span><span aria-current="location">${t.title}</span></li></ol></nav>
      <h1 tabindex="-1">${t.title} <small class="muted">${t.table} · 第 ${t.version} 版${t.source ? ` · ${t.source}` : ''}</small></h1>
      <div class="filters"><label for="code-q">查找</label><input id="code-q" type="search" placeholder="代码或名称" .value=${this.q}
        @input=${(e: Event) => { this.q = (e.target as HTMLInputElement).value; }}><span class="muted">共 ${codes.length} 项</span></div>
      <div class="table-wrap"><table class="data-table">
        <thead><tr><th scope="col">代码</th><th scope="col">名称</th><th scope="col">上级代码</th><th scope="col">状态</th>${this.usage ? html`<th scope="col">使用记录数</th>` : nothing}<th scope="col">说明</th></tr></thead>
        <tbody>${codes.map((c) => html`<tr class=${c.deprecated ? 'off' : ''}>
          <td><code>${c.code}</code></td><td>${c.label}</td><td>${c.parent ?? ''}</td>
          <td>${c.deprecated ? html`<span class="tag tag-off">已停用</span> ${c.deprecated}${c.replacedBy?.length ? html`，改用 ${c.replacedBy.map((r) => `${label(r)}（${r}）`).join('、')}` : nothing}` : nothing}
            ${c.provisional ? html`<span class="tag tag-warn">待核实</span>` : nothing}</td>
          ${this.usage ? html`<td class="num">${c.deprecated && this.usage.get(c.code) ? html`<strong class="warn" title="已停用但仍有记录使用，须重新选择">${this.usage.get(c.code)}</strong>` : this.usage.get(c.code) ?? 0}</td>` : nothing}
          <td>${c.note ?? ''}</td>
        </tr>`)}</tbody>
      </table></div></section>`;
  }
}
