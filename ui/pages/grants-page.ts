import { html, nothing } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import { SessionElement } from '../components/session-element.js';
import { Task, TaskStatus } from '@lit/task';
import { api, enc, messageOf } from '../api/client.js';
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
export class GrantsPage extends SessionElement {
  @property() nodeId = '';
  @state() private roleFilter = '';
  @state() private q = '';
  /** The node's path and every role held below it; the previous node's stay until they come. */
  private overview = new Task(this, {
    task: async ([nodeId], { signal }) => {
      if (!nodeId) return undefined;
      const [path, data] = await Promise.all([
        api.get<Pick<TreeAnswer, 'breadcrumb'>>(`/api/tree/${enc(nodeId)}/path`, signal),
        api.get<Overview>(`/api/grants/overview?node=${enc(nodeId)}`, signal),
      ]);
      return { crumbs: path.breadcrumb, data };
    },
    args: () => [this.nodeId],
  });

  private shown(): OverviewItem[] {
    const q = this.q.trim();
    return (this.overview.value?.data.items ?? []).filter((g) => (!this.roleFilter || g.role === this.roleFilter)
      && (!q || [g.nodeLabel ?? '', g.displayName, g.username].some((s) => s.includes(q))));
  }

  override render() {
    const app = session.app!;
    const tree = app.collections[app.tree.collection];
    const crumbs = this.overview.value?.crumbs ?? [];
    const data = this.overview.value?.data;
    const error = this.overview.status === TaskStatus.ERROR ? messageOf(this.overview.error) : '';
    const here = crumbs.at(-1)?.label ?? '';
    const roles = [...new Map((data?.items ?? []).map((g) => [g.role, g.roleTitle])).entries()];
    const rows = this.shown();
    return html`<section class="panel">
      ${crumbs.length ? html`<caiji-breadcrumb .items=${crumbs} route="grants" linkLast></caiji-breadcrumb>` : nothing}
      <h1 tabindex="-1">职务与权限一览${here ? `：${here}` : ''}</h1>
      ${error ? html`<p class="form-error" role="alert">${error}</p>` : nothing}
      ${data ? html`
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
        ${data.truncated ? html`<p class="muted">只列出前 ${data.items.length} 项，请从下级${tree.title}查看其余。</p>` : nothing}
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
          </tbody></table></div>` : error ? nothing : html`<p class="muted">正在加载…</p>`}
    </section>`;
  }
}
