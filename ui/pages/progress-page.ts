import { html, nothing } from 'lit';
import { customElement, property } from 'lit/decorators.js';
import { SessionElement } from '../components/session-element.js';
import { Task, TaskStatus } from '@lit/task';
import { api, enc, messageOf } from '../api/client.js';
import { session } from '../api/session.js';
import { href } from '../router.js';
import { percent } from '../format.js';
import '../components/bread-crumb.js';
import '../components/export-button.js';
import type { TreeAnswer, TreeNode } from '../api/types.js';

/**
 * The collection progress of a subtree: per child node, how many records are in each workflow
 * state and how complete they are — the least complete first, to see whom to chase.
 */
@customElement('caiji-progress-page')
export class ProgressPage extends SessionElement {
  @property() nodeId = '';
  /** The node and its children with their figures; the previous node's stay until they come. */
  private tree = new Task(this, {
    task: ([nodeId], { signal }) => (nodeId ? api.get<TreeAnswer>(`/api/tree/${enc(nodeId)}`, signal) : Promise.resolve(undefined)),
    args: () => [this.nodeId],
  });

  override render() {
    const app = session.app!;
    const t = this.tree.value;
    const error = this.tree.status === TaskStatus.ERROR ? messageOf(this.tree.error) : '';
    const tracked = Object.entries(app.collections).filter(([, c]) => c.completeness);
    return html`<section class="panel">
      ${t ? html`<caiji-breadcrumb .items=${t.breadcrumb} route="progress" linkLast></caiji-breadcrumb>` : nothing}
      <h1 tabindex="-1">进度统计${t ? `：${t.node.label}` : ''}</h1>
      ${t ? html`<div class="toolbar">
        ${session.can('write') ? html`<a class="btn" href=${href('recode', t.node.id)}>需重新录入（已停用代码）</a>` : nothing}
        <caiji-export-button .label=${'导出 Excel'} .hint=${'本页各表导出为 Excel，便于报送'} .href=${`/api/tree/${enc(t.node.id)}/progress.xlsx`}></caiji-export-button>
      </div>` : nothing}
      ${error ? html`<p class="form-error" role="alert">${error}</p>` : nothing}
      ${t ? tracked.map(([name, c]) => this.table(name, c.title, t)) : error ? nothing : html`<p class="muted">正在加载…</p>`}
    </section>`;
  }

  private table(name: string, title: string, t: TreeAnswer) {
    const states = session.states(name);
    const stat = (n: TreeNode) => n.stats.find((s) => s.collection === name);
    const rows = [...t.children].sort((a, b) => (stat(a)?.completeness ?? 2) - (stat(b)?.completeness ?? 2));
    const row = (n: TreeNode, total: boolean) => {
      const s = stat(n);
      const pct = s?.completeness ?? null;
      return html`<tr class=${total ? 'total-row' : ''}>
        <th scope="row">${total ? html`${n.label}（合计）` : html`<a href=${href('progress', n.id)}>${n.label}</a>`}</th>
        <td class="num">${s?.total ?? 0}</td>
        ${states.map((st) => html`<td class="num">${s?.byState[st.id] ? html`<a href=${href('list', name, n.id, { state: st.id })}>${s.byState[st.id]}</a>` : '0'}</td>`)}
        <td class="num"><span class="meter" aria-hidden="true"><span style=${`width:${Math.round((pct ?? 0) * 100)}%`}></span></span> ${percent(pct)}</td>
        <td><a href=${href('list', name, n.id)}>查看</a></td>
      </tr>`;
    };
    return html`<h2 class="group-title">${title}</h2>
      <div class="table-wrap"><table class="data-table progress-table">
        <thead><tr><th scope="col">${session.app!.collections[session.app!.tree.collection].title}</th><th scope="col">${title}人数</th>
          ${states.map((s) => html`<th scope="col">${s.title}</th>`)}<th scope="col">完整度</th><th scope="col">${title}列表</th></tr></thead>
        <tbody>${row(t.node, true)}${rows.map((n) => row(n, false))}</tbody>
      </table></div>`;
  }
}
