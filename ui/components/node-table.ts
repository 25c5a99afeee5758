import { html, nothing } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import { SessionElement } from './session-element.js';
import { Task } from '@lit/task';
import { api, qs, enc } from '../api/client.js';
import { session } from '../api/session.js';
import { href } from '../router.js';
import { displayValue, percent } from '../format.js';
import type { FormInfo, Page, TreeNode } from '../api/types.js';

/**
 * Tree nodes as a table: the tree collection's list columns, then per other collection either
 * the records hanging on the node (e.g. the units it sits in) or, for completeness-tracked
 * collections, the subtree's completeness and a link to its list.
 */
@customElement('caiji-node-table')
export class NodeTable extends SessionElement {
  @property({ attribute: false }) nodes: TreeNode[] = [];
  @state() private form?: FormInfo;
  /**
   * Per collection and node, the titles of the records hanging on it, with the nodes they were
   * asked for; asked again for new nodes. The rows are shown only with this column: arriving
   * after them, it laid the table out again and moved the link a person was about to click.
   */
  private attached = new Task(this, {
    task: ([nodes], { signal }) => this.loadAttached(nodes, signal),
    args: () => [this.nodes],
  });

  override connectedCallback() {
    super.connectedCallback();
    // Refused (the session ended elsewhere: the shell shows the login page) or failed: the
    // table stays "loading" and the page beside it shows its own error.
    session.form(session.treeCollection).then((f) => { this.form = f; }, () => {});
  }

  private get others() {
    const app = session.app!;
    return Object.entries(app.collections).filter(([name, c]) => name !== app.tree.collection && c.nodeField);
  }

  /** Titles of the records of non-tracked collections hanging directly on each node. */
  private async loadAttached(nodes: TreeNode[], signal: AbortSignal): Promise<{ nodes: TreeNode[]; titles: Map<string, Map<string, string[]>> }> {
    const out = new Map<string, Map<string, string[]>>();
    await Promise.all(this.others.filter(([, c]) => !c.completeness).map(async ([name, c]) => {
      const byNode = new Map<string, string[]>();
      await Promise.all(nodes.map(async (n) => {
        // A failed request counts as answered: that node's cell stays empty.
        const page = await api.get<Page>(`/api/records/${enc(name)}${qs({ node: n.id, limit: 20 })}`, signal).catch(() => null);
        byNode.set(n.id, (page?.items ?? []).map((r) => String(r.data[c.titleField ?? ''] ?? r.id)));
      }));
      out.set(name, byNode);
    }));
    return { nodes, titles: out };
  }

  override render() {
    const app = session.app!;
    const tree = app.collections[app.tree.collection];
    // Headers and code values need the tree's form: until it is here, show that it is coming rather than raw field names.
    // The same for the rows until the records hanging on these very nodes are here (another node's
    // rows are not shown under this one), so nothing already on screen is laid out twice.
    const shown = this.attached.value;
    if (!this.form || shown?.nodes !== this.nodes) return html`<p class="muted" aria-busy="true">加载中…</p>`;
    const props = this.form.schema.properties ?? {};
    const cols = tree.listColumns.length ? tree.listColumns : [app.tree.labelField];
    // Records hanging on each node first (e.g. the units it sits in), then the tracked collections.
    const others = [...this.others.filter(([, c]) => !c.completeness), ...this.others.filter(([, c]) => c.completeness)];
    return html`<div class="table-wrap"><table class="data-table">
      <thead><tr>
        ${cols.map((c) => html`<th scope="col">${props[c]?.title ?? c}</th>`)}
        ${others.map(([, c]) => c.completeness
          ? html`<th scope="col">${c.title}信息完整度</th><th scope="col">下级${c.title}</th>`
          : html`<th scope="col">所在${c.title}</th>`)}
      </tr></thead>
      <tbody>${shown.nodes.map((n) => html`<tr>
        ${cols.map((c, i) => i === 0
          ? html`<th scope="row"><a href=${href('record', app.tree.collection, n.id)}>${displayValue(props[c], n.data[c]) || n.label || '（未命名）'}</a></th>`
          : html`<td>${displayValue(props[c], n.data[c])}</td>`)}
        ${others.map(([name, c]) => {
          if (c.completeness) {
            const st = n.stats.find((s) => s.collection === name);
            return html`<td class="num">${st?.total ? percent(st.completeness) : '—'}</td>
              <td><a href=${href('list', name, n.id)} aria-label=${`查看${n.label ?? ''}的下级${c.title}`}>查看</a>${st?.total ? html` <span class="muted">(${st.total})</span>` : nothing}</td>`;
          }
          const titles = shown.titles.get(name)?.get(n.id) ?? [];
          return html`<td>${titles.map((t) => html`<div>${t}</div>`)}</td>`;
        })}
      </tr>`)}</tbody>
    </table></div>`;
  }
}
