import { html, nothing } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import { LightElement } from '../components/light-element.js';
import { api, enc, ApiError } from '../api/client.js';
import { latestOnly } from '../api/latest.js';
import { session } from '../api/session.js';
import { href } from '../router.js';
import { usernameWithState } from '../components/account-actions.js';
import '../components/bread-crumb.js';
import type { TreeAnswer } from '../api/types.js';

interface OverviewItem {
  node: string; nodeLabel: string | null; username: string; displayName: string; role: string; roleTitle: string;
  /** The record the holder's account is bound to (a member's own record), if any. */
  record: { collection: string; id: string } | null; locked: boolean; mustChangePassword: boolean;
}
interface Overview { node: string; items: OverviewItem[]; truncated: boolean }

/**
 * 职务与权限一览: every role held anywhere below a node, with the holder's account state — to see
 * at a glance which nodes have no admin, whose first password is still unchanged, which accounts
 * are locked. Each row opens its node, where the roles are granted and the accounts kept.
 */
@customElement('caiji-grants-page')
export class GrantsPage extends LightElement {
  @property() nodeId = '';
  @state() private t?: TreeAnswer;
  @state() private data?: Overview;
  @state() private error = '';
  @state() private roleFilter = '';
  @state() private q = '';
  private loaded = '';
  private latest = latestOnly();

  override updated() {
    if (this.nodeId && this.nodeId !== this.loaded) {
      this.loaded = this.nodeId;
      const current = this.latest();
      Promise.all([
        api.get<TreeAnswer>(`/api/tree/${enc(this.nodeId)}/path`),
        api.get<Overview>(`/api/grants/overview?node=${enc(this.nodeId)}`),
      ]).then(([t, data]) => { if (current()) { this.t = t as TreeAnswer; this.data = data; this.error = ''; } })
        .catch((e) => { if (current()) this.error = e instanceof ApiError ? e.message : String(e); });
    }
  }

  private shown(): OverviewItem[] {
    const q = this.q.trim();
    return (this.data?.items ?? []).filter((g) => (!this.roleFilter || g.role === this.roleFilter)
      && (!q || [g.nodeLabel ?? '', g.displayName, g.username].some((s) => s.includes(q))));
  }

  override render() {
    const app = session.app!;
    const tree = app.collections[app.tree.collection];
    const crumbs = this.t?.breadcrumb ?? [];
    const here = crumbs.at(-1)?.label ?? '';
    const roles = [...new Map((this.data?.items ?? []).map((g) => [g.role, g.roleTitle])).entries()];
    const rows = this.shown();
    return html`<section class="panel">
      ${crumbs.length ? html`<caiji-breadcrumb .items=${crumbs} route="grants" linkLast></caiji-breadcrumb>` : nothing}
      <h1 tabindex="-1">职务与权限一览${here ? `：${here}` : ''}</h1>
      ${this.error ? html`<p class="form-error" role="alert">${this.error}</p>` : nothing}
      ${this.data ? html`
        <form class="filters" role="search" @submit=${(e: Event) => e.preventDefault()}>
          <label for="grants-q">查找</label>
          <input id="grants-q" type="search" placeholder=${`按${tree.title}、姓名或用户名查找`} .value=${this.q} @input=${(e: Event) => { this.q = (e.target as HTMLInputElement).value; }}>
          <label for="grants-role">职务</label>
          <select id="grants-role" @change=${(e: Event) => { this.roleFilter = (e.target as HTMLSelectElement).value; }}>
            <option value="">全部</option>
            ${roles.map(([id, title]) => html`<option value=${id} ?selected=${this.roleFilter === id}>${title}</option>`)}
          </select>
          <span class="muted" role="status">共 ${rows.length} 项</span>
        </form>
        ${this.data.truncated ? html`<p class="muted">只列出前 ${this.data.items.length} 项，请从下级${tree.title}查看其余。</p>` : nothing}
        <div class="table-wrap"><table class="data-table grants-overview">
          <thead><tr><th scope="col">${tree.title}</th><th scope="col">人员</th><th scope="col">账号</th><th scope="col">职务</th><th scope="col">操作</th></tr></thead>
          <tbody>
            ${rows.length ? nothing : html`<tr><td class="empty" colspan="99">没有符合条件的职务</td></tr>`}
            ${rows.map((g) => html`<tr data-username=${g.username}>
              <th scope="row">${g.nodeLabel ?? g.node}</th>
              <td>${g.record ? html`<a href=${href('record', g.record.collection, g.record.id)}>${g.displayName}</a>` : g.displayName}</td>
              <td>${usernameWithState(g)}</td>
              <td>${g.roleTitle}</td>
              <td><a href=${href('record', app.tree.collection, g.node)}>管理</a></td>
            </tr>`)}
          </tbody></table></div>` : this.error ? nothing : html`<p class="muted">正在加载…</p>`}
    </section>`;
  }
}
