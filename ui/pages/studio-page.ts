/**
 * The config studio (配置工作台) at #/studio/<section>/<item>?focus=<JSON pointer>.
 *
 * For the engineers of the sections — how a section plugs into this shell:
 * - The shell renders the section element with `.item=${item}` (a collection, table, workflow or
 *   template file; '' when the route names none) and `.focusPath=${pointer}`: the JSON pointer
 *   inside the item's document that a link of the draft bar (a check error) leads to, e.g.
 *   `#/studio/forms/member?focus=/properties/x` → focusPath '/properties/x'. Honour it when you can
 *   (scroll to that field, state or code, select it, focus its first input); it changes while the
 *   element stays, so react in `updated()`. (It is not called `focus`: that is HTMLElement's method.)
 * - Unsaved edits: call `draftStore.setDirty('<your tag>', true)` when the section holds edits not
 *   saved to the draft yet, and `setDirty('<your tag>', false)` once they are saved or dropped. While
 *   any section is dirty the shell asks before the route leaves the section or item (links, back
 *   button, the top navigation) and before the page is closed, and undo/redo asks too; when the person
 *   leaves anyway it calls `draftStore.clearDirty()` — drop your edits when your item changes.
 * - Re-read your documents on `draftStore.subscribe(…)`: undo/redo and other people's saves change
 *   them under you (keep your own edits while you are dirty).
 */
import { html, nothing } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import { SessionElement } from '../components/session-element.js';
import { api } from '../api/client.js';
import { session } from '../api/session.js';
import { currentRoute } from '../router.js';
import { draftStore } from '../studio/draft-store.js';
import { navItems, SECTIONS, studioHref, MANIFEST, type ManifestDoc, type NavItem } from '../studio/shell-places.js';
import '../studio/draft-bar.js';
import '../studio/versions.js';
import '../studio/manifest-editor.js';
import '../studio/form-designer.js';
import '../studio/code-tables.js';
import '../studio/workflow-designer.js';
import '../studio/template-editor.js';

const LEAVE = '当前页面有未保存的修改，离开将丢失这些修改。确定离开吗？';

/** The studio place on screen (null while the studio is not shown) and its hash, where a refused navigation returns. */
let shown: { section: string; item: string; hash: string } | null = null;

/*
 * The leave guard is registered when this module loads, before the app shell's own hashchange
 * listener (added when the shell connects): it runs first and can stop it, so a refused navigation
 * never re-renders the page and the section keeps its edits.
 */
window.addEventListener('hashchange', (e) => {
  if (!shown) return;
  const next = currentRoute();
  const stays = next.name === 'studio' && (next.args[0] ?? '') === shown.section && (next.args[1] ?? '') === shown.item;
  if (!draftStore.dirty || stays) return;
  if (confirm(LEAVE)) return draftStore.clearDirty();
  e.stopImmediatePropagation();
  history.replaceState(null, '', shown.hash || '#/studio');
});
window.addEventListener('beforeunload', (e) => {
  if (!shown || !draftStore.dirty) return;
  e.preventDefault();
  e.returnValue = LEAVE;
});

/**
 * The studio shell: the draft bar (always in view), the section navigation listing the draft's
 * collections, code tables, workflows, templates and 应用设置, and the element of the route's section
 * (the overview of versions when none). Warns before leaving a section with unsaved edits.
 */
@customElement('caiji-studio-page')
export class StudioPage extends SessionElement {
  @property() section = '';
  @property() item = '';
  @property() focusPath = '';
  @state() private manifest?: ManifestDoc;
  @state() private titles = new Map<string, string>();
  @state() private loaded = false;
  private unsubscribe?: () => void;
  private manifestOf = -1;

  override connectedCallback() {
    super.connectedCallback();
    this.unsubscribe = draftStore.subscribe(() => this.onStore());
    if (session.can('config')) {
      draftStore.load().finally(() => { this.loaded = true; });
      this.loadTitles();
    }
  }

  override disconnectedCallback() {
    super.disconnectedCallback();
    shown = null;
    this.unsubscribe?.();
  }

  private onStore() {
    const v = draftStore.view;
    if (v && v.version !== this.manifestOf) {
      this.manifestOf = v.version;
      draftStore.json<ManifestDoc>(MANIFEST).then((m) => { this.manifest = m; }).catch(() => {});
      this.loadWorkflowTitles();
    }
    this.requestUpdate();
  }

  /** Code tables by their titles (as published; a table new in the draft shows its name). */
  private async loadTitles() {
    try {
      const r = await api.get<{ items: { table: string; title: string }[] }>('/api/codes');
      const t = new Map(this.titles);
      for (const x of r.items) t.set(`forms/codes/${x.table}.json`, x.title);
      this.titles = t;
    } catch { /* names stand in for titles */ }
  }

  /** Workflows by the titles of the draft's documents. */
  private async loadWorkflowTitles() {
    const docs = (draftStore.view?.documents ?? []).filter((p) => /^workflows\/[^/]+\.json$/.test(p));
    const found = await Promise.all(docs.map(async (p) => [p, (await draftStore.json<{ meta?: { title?: string } }>(p).catch(() => undefined))?.meta?.title] as const));
    const t = new Map(this.titles);
    for (const [p, title] of found) if (title) t.set(p, title);
    this.titles = t;
  }

  override updated() {
    shown = { section: this.section, item: this.item, hash: location.hash };
  }

  override render() {
    if (!session.can('config')) {
      return html`<section class="panel"><h1 tabindex="-1">配置工作台</h1><p>需要配置管理员权限。</p></section>`;
    }
    const v = draftStore.view;
    const items = v ? navItems(v.documents, this.manifest, this.titles) : [];
    return html`<div class="studio">
      <caiji-studio-draft-bar></caiji-studio-draft-bar>
      <div class="studio-body">
        <nav class="studio-nav" aria-label="配置工作台">
          <a href=${studioHref()} class=${!this.section ? 'current' : ''} aria-current=${!this.section ? 'page' : nothing}>版本与历史</a>
          ${v ? SECTIONS.map(([section, title]) => this.navGroup(section, title, items.filter((i) => i.section === section))) : nothing}
        </nav>
        <div class="studio-main">${this.renderSection()}</div>
      </div>
    </div>`;
  }

  private navGroup(section: string, title: string, items: NavItem[]) {
    if (section === 'manifest') return this.navLink(items[0], title);
    return html`<div class="studio-nav-group"><h2>${title}</h2>${items.length ? items.map((i) => this.navLink(i, i.title)) : html`<span class="muted">（无）</span>`}</div>`;
  }

  private navLink(i: NavItem, title: string) {
    const v = draftStore.view!;
    const current = this.section === i.section && (i.section === 'manifest' || this.item === i.item);
    const problems = draftStore.problemsOf(i.path).length;
    return html`<a href=${studioHref(i.section, i.item || undefined)} class=${current ? 'current' : ''} aria-current=${current ? 'page' : nothing}>
      ${title}${v.changed.includes(i.path) ? html`<span class="studio-changed" title="草稿中已修改">●</span>` : nothing}${problems ? html`<span class="badge warn" title="错误">${problems}</span>` : nothing}</a>`;
  }

  private renderSection() {
    if (!this.section) return html`<caiji-studio-versions></caiji-studio-versions>`;
    if (!draftStore.view) {
      return html`<section class="panel"><h1 tabindex="-1">配置工作台</h1>
        <p>${this.loaded ? '没有打开的草稿。修改配置须先打开草稿（页面上方「打开草稿」），发布后才对所有用户生效。' : '正在读取草稿…'}</p></section>`;
    }
    switch (this.section) {
      case 'forms': return html`<caiji-studio-form-designer .item=${this.item} .focusPath=${this.focusPath}></caiji-studio-form-designer>`;
      case 'codes': return html`<caiji-studio-code-tables .item=${this.item} .focusPath=${this.focusPath}></caiji-studio-code-tables>`;
      case 'workflows': return html`<caiji-studio-workflow .item=${this.item} .focusPath=${this.focusPath}></caiji-studio-workflow>`;
      case 'templates': return html`<caiji-studio-templates .item=${this.item} .focusPath=${this.focusPath}></caiji-studio-templates>`;
      case 'manifest': return html`<caiji-studio-manifest .focusPath=${this.focusPath}></caiji-studio-manifest>`;
      default: return html`<section class="panel"><h1 tabindex="-1">页面不存在</h1></section>`;
    }
  }
}
