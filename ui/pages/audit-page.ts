import { html, nothing } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import { SessionElement } from '../components/session-element.js';
import { Task, TaskStatus } from '@lit/task';
import { api, qs, messageOf } from '../api/client.js';
import { session } from '../api/session.js';
import { href } from '../router.js';
import { dateTime } from '../format.js';
import '../components/export-button.js';
import type { Grant } from '../api/types.js';

interface AuditItem {
  id: number; at: string; actor: string | null; actorName: string | null; kind: string; action: string; actionTitle: string;
  collection: string; collectionTitle: string; recordId: string; recordTitle: string | null; recordLive: boolean;
  fromState: string | null; toState: string | null; fromStateTitle: string | null; toStateTitle: string | null; note: string | null;
  payload: { field: string; title: string; value: string }[];
  changes: { field: string; title: string; from: string; to: string }[];
}
interface AuditAnswer { node: { id: string; label: string | null }; items: AuditItem[]; nextCursor: string | null; kinds: { id: string; title: string }[] }

/** The filters the page sends, as the API names them. */
interface Filters { node: string; person: string; from: string; to: string; collection: string; kind: string }

/** Grants in force that open the audit view: both read and write on the node (the server's rule). */
export function auditGrants(): Grant[] {
  const roles = session.app?.roles ?? {};
  return (session.me?.grants ?? []).filter((g) => g.inForce && ['read', 'write'].every((p) => roles[g.role]?.permissions.includes(p)));
}

const PAGE = 50;

/**
 * 系统审核: who changed which record when, in a subtree the user administers — filtered by person,
 * dates, collection and kind of change; the newest first, 更多 reading the next page; 导出 Excel
 * sends every entry the filters select. Each record links to its page while it exists.
 */
@customElement('caiji-audit-page')
export class AuditPage extends SessionElement {
  @property({ attribute: false }) query: Record<string, string> = {};
  @state() private filters: Filters = { node: '', person: '', from: '', to: '', collection: '', kind: '' };
  @state() private items: AuditItem[] = [];
  @state() private kinds: AuditAnswer['kinds'] = [];
  @state() private next: string | null = null;
  private started = false;
  /**
   * A page of entries for the filters as sent: the first (查询) or the one after those shown (更多).
   * It runs when asked, not when the filters are typed; a newer question drops the older answer.
   */
  private page = new Task(this, {
    autoRun: false,
    task: ([params, more]: readonly [string, boolean], { signal }) => api.get<AuditAnswer>(`/api/audit${params}`, signal).then((r) => ({ r, more })),
    onComplete: ({ r, more }) => {
      this.items = more ? [...this.items, ...r.items] : r.items;
      this.next = r.nextCursor;
      this.kinds = r.kinds;
    },
    // A first page that failed leaves no entries of other filters under the error.
    onError: () => { if (!this.askedMore) { this.items = []; this.next = null; } },
  });
  /** Whether the question last sent asked for more. */
  private askedMore = false;

  override connectedCallback() {
    super.connectedCallback();
    if (this.started) return;
    this.started = true;
    const q = this.query;
    this.filters = { node: q.node ?? auditGrants()[0]?.node ?? '', person: q.person ?? '', from: q.from ?? '', to: q.to ?? '', collection: q.collection ?? '', kind: q.kind ?? '' };
    void this.load(false);
  }

  private params(cursor?: string) {
    const f = this.filters;
    return qs({ node: f.node, person: f.person.trim() || undefined, from: f.from || undefined, to: f.to || undefined,
      collection: f.collection || undefined, kind: f.kind || undefined, ...(cursor ? { cursor, limit: PAGE } : { limit: PAGE }) });
  }

  /** The first page for the filters, or (more) the page after the entries shown. */
  private load(more: boolean) {
    this.askedMore = more;
    return this.page.run([this.params(more ? this.next ?? undefined : undefined), more]);
  }

  private get loading() { return this.page.status === TaskStatus.PENDING; }

  private set(key: keyof Filters) {
    return (e: Event) => { this.filters = { ...this.filters, [key]: (e.target as HTMLInputElement).value }; };
  }

  private search(e: Event) {
    e.preventDefault();
    void this.load(false);
  }

  private what(i: AuditItem) {
    const state = i.toState && i.fromState !== i.toState ? html`<span class="tl-state">${i.fromStateTitle ?? '—'} → ${i.toStateTitle}</span>` : nothing;
    return html`<span class="tl-action">${i.actionTitle}</span> ${state}`;
  }

  private content(i: AuditItem) {
    const payload = i.payload.filter((l) => l.value);
    const note = i.note && !payload.some((l) => l.value === i.note) ? html`<div class="tl-note">说明：${i.note}</div>` : nothing;
    const lines = [
      ...payload.map((l) => html`<li><span class="diff-field">${l.title}</span>：${l.value}</li>`),
      ...i.changes.map((c) => html`<li><span class="diff-field">${c.title}</span>：${c.from ? html`<del>${c.from}</del> → ` : nothing}<ins>${c.to || '空'}</ins></li>`),
    ];
    return html`${note}${lines.length ? html`<ul class="diff">${lines}</ul>` : nothing}`;
  }

  private record(i: AuditItem) {
    const title = i.recordTitle ?? i.recordId;
    return i.recordLive
      ? html`<a href=${href('record', i.collection, i.recordId)}>${title}</a>`
      : html`${title}<span class="muted">（已删除）</span>`;
  }

  override render() {
    const app = session.app!;
    const f = this.filters;
    const nodes = auditGrants();
    const treeTitle = app.collections[app.tree.collection].title;
    return html`<section class="panel audit-page">
      <h1 tabindex="-1">系统审核</h1>
      <form class="filters" role="search" @submit=${this.search}>
        ${nodes.length > 1 ? html`<label for="audit-node">${treeTitle}</label>
          <select id="audit-node" @change=${this.set('node')}>${nodes.map((g) => html`<option value=${g.node} ?selected=${g.node === f.node}>${g.nodeLabel ?? g.node}</option>`)}</select>` : nothing}
        <label for="audit-person">操作人</label>
        <input id="audit-person" type="search" placeholder="用户名或姓名" .value=${f.person} @input=${this.set('person')}>
        <label for="audit-from">开始日期</label>
        <input id="audit-from" type="date" style="width: 150px" .value=${f.from} @input=${this.set('from')}>
        <label for="audit-to">结束日期</label>
        <input id="audit-to" type="date" style="width: 150px" .value=${f.to} @input=${this.set('to')}>
        <label for="audit-collection">数据类别</label>
        <select id="audit-collection" @change=${this.set('collection')}>
          <option value="">全部</option>
          ${Object.entries(app.collections).map(([name, c]) => html`<option value=${name} ?selected=${name === f.collection}>${c.title}</option>`)}
        </select>
        <label for="audit-kind">变更类型</label>
        <select id="audit-kind" @change=${this.set('kind')}>
          <option value="">全部</option>
          ${this.kinds.map((k) => html`<option value=${k.id} ?selected=${k.id === f.kind}>${k.title}</option>`)}
        </select>
        <button type="submit" class="btn btn-primary">查询</button>
        <caiji-export-button .label=${'导出 Excel'} .hint=${'按当前条件导出全部审核记录'} .href=${`/api/audit/export.xlsx${this.params()}`}></caiji-export-button>
      </form>
      ${this.page.status === TaskStatus.ERROR ? html`<p class="form-error" role="alert">${messageOf(this.page.error)}</p>` : nothing}
      <div class="table-wrap"><table class="data-table audit-table">
        <thead><tr><th scope="col">时间</th><th scope="col">操作人</th><th scope="col">数据类别</th><th scope="col">记录</th><th scope="col">操作</th><th scope="col">内容</th></tr></thead>
        <tbody>
          ${!this.items.length && !this.loading ? html`<tr><td class="empty" colspan="99">没有符合条件的审核记录</td></tr>` : nothing}
          ${this.items.map((i) => html`<tr data-id=${i.id} data-actor=${i.actor ?? ''}>
            <td style="white-space: nowrap">${dateTime(i.at)}</td>
            <td title=${i.actor ?? ''}>${i.actorName ?? i.actor ?? '系统'}</td>
            <td>${i.collectionTitle}</td>
            <td>${this.record(i)}</td>
            <td>${this.what(i)}</td>
            <td>${this.content(i)}</td>
          </tr>`)}
        </tbody></table></div>
      <div class="pager">
        ${this.loading ? html`<span class="muted" role="status">正在加载…</span>` : html`<span class="muted" role="status">已显示 ${this.items.length} 条</span>`}
        ${this.next !== null ? html`<button type="button" class="btn audit-more" ?disabled=${this.loading} @click=${() => this.load(true)}>更多</button>` : nothing}
      </div>
    </section>`;
  }
}
