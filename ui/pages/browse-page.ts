import { html, nothing } from 'lit';
import { customElement, property } from 'lit/decorators.js';
import { SessionElement } from '../components/session-element.js';
import { Task, TaskStatus } from '@lit/task';
import { api, enc, messageOf } from '../api/client.js';
import { session } from '../api/session.js';
import { href, navigate } from '../router.js';
import { homeOf } from './home.js';
import '../components/tree-view.js';
import '../components/bread-crumb.js';
import '../components/node-table.js';
import type { TreeAnswer, CollectionInfo } from '../api/types.js';

/** Collections whose records can be imported in bulk: hung on tree nodes, created by plain writes. */
export function importable(): [string, CollectionInfo][] {
  return Object.entries(session.app?.collections ?? {}).filter(([, c]) => !c.isTree && c.nodeField && (!c.direct || c.direct.includes('create')));
}

/** Browsing the tree: the tree of the user's grants, the node's path and its node list. */
@customElement('caiji-browse-page')
export class BrowsePage extends SessionElement {
  @property() nodeId = '';
  /**
   * The node, its path and its children; the previous node's stay until they come. The table's
   * rows are made once per answer: a new array would have the table ask for their records again.
   */
  private tree = new Task(this, {
    task: ([nodeId], { signal }) => (nodeId
      ? api.get<TreeAnswer>(`/api/tree/${enc(nodeId)}`, signal).then((t) => ({ ...t, rows: [t.node, ...t.children] }))
      : Promise.resolve(undefined)),
    args: () => [this.nodeId],
  });

  override updated() {
    if (!this.nodeId) navigate(homeOf(), true);
  }

  override render() {
    const app = session.app!;
    const tree = app.collections[app.tree.collection];
    const t = this.tree.value;
    const error = this.tree.status === TaskStatus.ERROR ? messageOf(this.tree.error) : '';
    return html`<div class="split">
      <aside class="panel side" aria-label="${tree.title}树"><h2 class="panel-title">${tree.title}树</h2><caiji-tree .selected=${this.nodeId} label="${tree.title}树"></caiji-tree></aside>
      <section class="panel grow">
        <h1 tabindex="-1">${tree.title}信息</h1>
        ${error ? html`<p class="form-error" role="alert">${error}</p>` : nothing}
        ${t ? html`<caiji-breadcrumb .items=${t.breadcrumb}></caiji-breadcrumb>
          <div class="toolbar"><span>当前${tree.title}：<strong>${t.node.label}</strong></span>
            <span class="spacer"></span>
            ${session.can('write') ? html`<a class="btn" href=${href('new', app.tree.collection, { node: t.node.id })}>新增下级${tree.title}</a>` : nothing}
            ${Object.values(app.collections).some((c) => c.completeness) ? html`<a class="btn" href=${href('progress', t.node.id)}>进度统计</a>` : nothing}
            ${session.can('grant') ? html`<a class="btn" href=${href('grants', t.node.id)}>职务与权限一览</a>` : nothing}
            ${session.can('write') ? html`<a class="btn" href=${href('recode', t.node.id)}>需重新录入</a>
              ${importable().map(([name, c]) => html`<a class="btn" href=${href('import', name, t.node.id)}>批量维护${importable().length > 1 ? `（${c.title}）` : ''}</a>`)}` : nothing}
          </div>
          <caiji-node-table .nodes=${t.rows}></caiji-node-table>` : error ? nothing : html`<p class="muted">正在加载…</p>`}
      </section>
    </div>`;
  }
}
