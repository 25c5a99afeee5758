import { html, nothing } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import { SessionElement } from '../components/session-element.js';
import { api, enc, ApiError } from '../api/client.js';
import { Task } from '@lit/task';
import { session } from '../api/session.js';
import { href } from '../router.js';
import { toast } from '../components/toast.js';
import '../components/bread-crumb.js';
import '../components/modal-dialog.js';
import type { TreeAnswer } from '../api/types.js';

interface Group {
  /** `place`: the field (「<field title>」) or a child table's column (「<table title>」「<column title>」). */
  collection: string; collectionTitle: string; field: string; fieldTitle: string; childTable?: string; place: string; table: string;
  code: string; label: string; deprecated: string; replacedBy: { code: string; label: string }[]; count: number;
  /** `where`: the field, or the table, its rows and the column, in words. */
  records: { id: string; title: string; node: string | null; where: string }[];
}
interface Report { total: number; groups: Group[] }
/** `states`: per collection, state before and after, how many records; `stateSummary`: the same in words (titles from the workflow). */
interface ReplaceAnswer {
  dryRun: boolean; from: { code: string; label: string }; to: { code: string; label: string }; count: number;
  records: { id: string; collection: string; title: string; where: string[] }[];
  states: { collection: string; from: string; fromTitle: string; to: string; toTitle: string; count: number }[]; stateSummary: string;
}

/**
 * 需重新录入: the records of a subtree that still hold deprecated codes, per field and code. A code
 * with exactly one replacement can be replaced in bulk (a dry run first, then confirmed); one with
 * several replacements must be chosen per record in its form.
 */
@customElement('caiji-recode-page')
export class RecodePage extends SessionElement {
  @property() nodeId = '';
  @state() private t?: TreeAnswer;
  @state() private report?: Report;
  @state() private error = '';
  /** The dry run shown for confirmation, with its group. */
  @state() private pending?: { group: Group; run: ReplaceAnswer };
  @state() private busy = '';
  /** The node's breadcrumb, for the node the address names. */
  private node = new Task(this, {
    task: ([nodeId], { signal }) => (nodeId ? api.get<TreeAnswer>(`/api/tree/${enc(nodeId)}`, signal) : Promise.resolve(undefined)),
    args: () => [this.nodeId],
    onComplete: (t) => { this.t = t; },
  });

  /** The report of the node's subtree; run again after a replacement. */
  private reports = new Task(this, {
    task: ([nodeId], { signal }) => (nodeId ? api.get<Report>(`/api/reports/deprecated-codes?node=${enc(nodeId)}`, signal) : Promise.resolve(undefined)),
    args: () => [this.nodeId],
    onComplete: (report) => { this.report = report; this.error = ''; },
    onError: (e) => { this.error = e instanceof ApiError ? e.message : String(e); },
  });

  private load() {
    return this.reports.run();
  }

  private key(g: Group) { return `${g.collection}/${g.childTable ? `${g.childTable}/` : ''}${g.field}/${g.code}`; }

  private async dryRun(g: Group) {
    this.busy = this.key(g);
    try {
      const run = await api.post<ReplaceAnswer>(`/api/codes/${enc(g.table)}/replace`, { code: g.code, node: this.nodeId, dryRun: true });
      this.pending = { group: g, run };
    } catch (e) {
      toast(e instanceof ApiError ? e.message : String(e), 'error');
    } finally {
      this.busy = '';
    }
  }

  private async apply() {
    const p = this.pending!;
    this.busy = 'apply';
    try {
      const run = await api.post<ReplaceAnswer>(`/api/codes/${enc(p.group.table)}/replace`, { code: p.group.code, node: this.nodeId, dryRun: false });
      this.pending = undefined;
      toast(`已将 ${run.count} 条记录中的“${run.from.label}”改为“${run.to.label}”。${run.stateSummary}`);
      session.invalidateForms();
      await this.load();
    } catch (e) {
      toast(e instanceof ApiError ? e.message : String(e), 'error');
    } finally {
      this.busy = '';
    }
  }

  override render() {
    const t = this.t;
    const r = this.report;
    return html`<section class="panel">
      ${t ? html`<caiji-breadcrumb .items=${t.breadcrumb} route="recode" linkLast></caiji-breadcrumb>` : nothing}
      <h1 tabindex="-1">需重新录入${t ? `：${t.node.label}` : ''}</h1>
      <p class="hint">以下记录仍使用已停用的代码。只有一个替代代码的，可以批量替换（先预览，确认后执行）；有多个替代代码的，须打开每条记录在表单中重新选择。</p>
      ${this.error ? html`<p class="form-error" role="alert">${this.error}</p>` : nothing}
      ${r ? (r.groups.length
        ? html`<p>共 <strong>${r.total}</strong> 处需重新录入。</p>${r.groups.map((g) => this.group(g))}`
        : html`<p class="notice" role="status">本范围内没有使用已停用代码的记录。</p>`) : this.error ? nothing : html`<p class="muted">正在加载…</p>`}
      ${this.pending ? this.confirm(this.pending) : nothing}
    </section>`;
  }

  private group(g: Group) {
    const one = g.replacedBy.length === 1;
    const canWrite = session.can('write');
    const replacements = g.replacedBy.map((x) => `${x.label}（${x.code}）`).join('、');
    return html`<section class="recode-group" data-code=${g.code} aria-labelledby=${`g-${this.key(g)}`}>
      <h2 class="group-title" id=${`g-${this.key(g)}`}>${g.collectionTitle}${g.place}：${g.label}（${g.code}）<span class="tag tag-off">已停用</span>
        <small class="muted">${g.deprecated} 起</small></h2>
      <p>替代代码：${replacements || html`<span class="muted">未指定</span>`}；涉及 <strong class="recode-count">${g.count}</strong> 条记录。</p>
      ${one && canWrite
        ? html`<p><button type="button" class="btn btn-primary" ?disabled=${!!this.busy} @click=${() => this.dryRun(g)}>
            ${this.busy === this.key(g) ? '正在预览…' : `批量替换为“${g.replacedBy[0].label}”`}</button></p>`
        : !one ? html`<p class="notice notice-warn">“${g.label}”对应多个新代码（${replacements}），系统无法替您选择：请打开下列每条记录，在表单中重新选择${g.place}。</p>` : nothing}
      <ul class="record-links">${g.records.map((x) => html`<li><a href=${href('record', g.collection, x.id)}>${x.title}</a>${g.childTable ? html` <small class="muted recode-where">${x.where}</small>` : nothing}</li>`)}
        ${g.count > g.records.length ? html`<li class="muted">…另有 ${g.count - g.records.length} 条</li>` : nothing}</ul>
    </section>`;
  }

  private confirm(p: { group: Group; run: ReplaceAnswer }) {
    const { run } = p;
    // Records sent to another state are what a person must not miss: said first, as a warning.
    const moves = run.states.some((o) => o.from !== o.to);
    const body = html`<p class="dry-run-summary">预览：将把 <strong>${run.count}</strong> 条记录中的“${run.from.label}（${run.from.code}）”改为“${run.to.label}（${run.to.code}）”。尚未修改任何记录。</p>
      ${run.stateSummary ? html`<p class=${`dry-run-states notice${moves ? ' notice-warn' : ''}`} role=${moves ? 'alert' : 'status'}>${run.stateSummary}</p>` : nothing}
      ${run.count ? html`<ul class="record-links">${run.records.slice(0, 100).map((x) => html`<li><a href=${href('record', x.collection, x.id)} target="_blank">${x.title}</a> <small class="muted">${x.where.join('；')}</small></li>`)}
        ${run.records.length > 100 ? html`<li class="muted">…共 ${run.records.length} 条</li>` : nothing}</ul>` : html`<p class="muted">您有权修改的记录中没有需要替换的。</p>`}`;
    const footer = html`<button type="button" class="btn" @click=${() => { this.pending = undefined; }}>取消</button>
      <button type="button" class="btn btn-primary" ?disabled=${!run.count || !!this.busy} @click=${() => this.apply()}
        title=${run.stateSummary}>${this.busy === 'apply' ? '正在替换…' : `确认替换 ${run.count} 条${moves ? `（${run.states.filter((o) => o.from !== o.to).reduce((n, o) => n + o.count, 0)} 条状态将改变）` : ''}`}</button>`;
    return html`<caiji-dialog heading="批量替换" .body=${body} .footer=${footer} @close=${() => { this.pending = undefined; }}></caiji-dialog>`;
  }
}
