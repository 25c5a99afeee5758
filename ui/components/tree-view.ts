import { html, nothing } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import { LightElement } from './light-element.js';
import { api, enc, ApiError, messageOf } from '../api/client.js';
import { toast } from './toast.js';
import { href, navigate } from '../router.js';
import type { TreeAnswer, TreeNode } from '../api/types.js';

/**
 * The tree of the user's grants (ARIA tree): children load when a node opens; the path to the
 * selected node opens by itself. Arrow keys move, Right/Left open and close, Enter selects.
 */
/**
 * A part of the tree that could not be loaded stays as it was, and the user is told why; a 401
 * (the session ended elsewhere) is the shell's to tell: it shows the login page.
 */
function failed(e: unknown) {
  if (!(e instanceof ApiError && e.status === 401)) toast(messageOf(e), 'error');
}

@customElement('caiji-tree')
export class TreeView extends LightElement {
  @property() selected = '';
  @property() label = '组织树';
  @state() private roots: TreeNode[] = [];
  @state() private kids = new Map<string, TreeNode[]>();
  @state() private open = new Set<string>();
  private shownFor = '';

  override connectedCallback() {
    super.connectedCallback();
    api.get<{ roots: TreeNode[] }>('/api/tree').then((r) => { this.roots = r.roots; }, failed);
  }

  override updated() {
    if (this.selected && this.selected !== this.shownFor) {
      this.shownFor = this.selected;
      // The page beside the tree asks for the same node and shows its own error: nothing to add.
      this.reveal(this.selected).catch(() => {});
    }
  }

  private async load(id: string) {
    if (this.kids.has(id)) return;
    const t = await api.get<TreeAnswer>(`/api/tree/${enc(id)}`);
    this.kids = new Map(this.kids).set(id, t.children);
  }

  private async reveal(id: string) {
    const t = await api.get<TreeAnswer>(`/api/tree/${enc(id)}`);
    const path = t.breadcrumb.filter((c) => c.readable).map((c) => c.id);
    const kids = new Map(this.kids).set(id, t.children);
    this.kids = kids;
    for (const a of path.slice(0, -1)) await this.load(a);
    this.open = new Set([...this.open, ...path]);
  }

  private async toggle(id: string, force?: boolean) {
    const next = new Set(this.open);
    const opening = force ?? !next.has(id);
    if (opening) {
      try { await this.load(id); } catch (e) { return failed(e); }
      next.add(id);
    } else next.delete(id);
    this.open = next;
  }

  private onKey(e: KeyboardEvent) {
    const items = [...this.querySelectorAll<HTMLElement>('[role=treeitem] > .tree-row > a')];
    const i = items.indexOf(document.activeElement as HTMLElement);
    if (i < 0) return;
    const id = (items[i].closest('[role=treeitem]') as HTMLElement).dataset.id!;
    const move = (j: number) => { if (items[j]) { e.preventDefault(); items[j].focus(); } };
    if (e.key === 'ArrowDown') move(i + 1);
    else if (e.key === 'ArrowUp') move(i - 1);
    else if (e.key === 'ArrowRight') { e.preventDefault(); this.toggle(id, true); }
    else if (e.key === 'ArrowLeft') { e.preventDefault(); this.toggle(id, false); }
    else if (e.key === 'Home') move(0);
    else if (e.key === 'End') move(items.length - 1);
  }

  override render() {
    return html`<ul class="tree" role="tree" aria-label=${this.label} @keydown=${this.onKey}>${this.roots.map((n) => this.item(n, 1))}</ul>`;
  }

  private item(n: TreeNode, level: number): unknown {
    const isOpen = this.open.has(n.id);
    const children = this.kids.get(n.id);
    // A leaf has nothing to open: no arrow. The server says so (hasChildren) before any child is asked.
    const leaf = children !== undefined ? children.length === 0 : n.hasChildren === false;
    const sel = n.id === this.selected;
    return html`<li role="treeitem" data-id=${n.id} aria-level=${level} aria-expanded=${leaf ? nothing : isOpen ? 'true' : 'false'} aria-selected=${sel ? 'true' : 'false'}>
      <div class="tree-row ${sel ? 'selected' : ''}">
        <button type="button" class="twisty" tabindex="-1" aria-hidden="true" @click=${leaf ? nothing : () => this.toggle(n.id)}>${leaf ? '' : isOpen ? '▾' : '▸'}</button>
        <a href=${href('browse', n.id)} tabindex=${sel || (!this.selected && level === 1) ? '0' : '-1'} @click=${(e: Event) => { e.preventDefault(); navigate(href('browse', n.id)); }}>${n.label ?? n.id}</a>
      </div>
      ${isOpen && children?.length ? html`<ul role="group">${children.map((c) => this.item(c, level + 1))}</ul>` : nothing}
    </li>`;
  }
}
