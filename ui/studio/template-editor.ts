import { html, nothing } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import { keyed } from 'lit/directives/keyed.js';
import { LightElement } from '../components/light-element.js';
import { href } from '../router.js';
import { draftStore } from './draft-store.js';
import { templateDocs, type TemplateDoc } from './template-records.js';
import './template-code.js';
import './template-grid.js';

/**
 * The studio's 打印模板 section: the print templates of the draft's documents, each opened in its
 * editor — a Handlebars sheet in the code editor with its print preview, an xlsx layout
 * (*.xlsx.json) as a grid with its table preview.
 */
@customElement('caiji-studio-templates')
export class StudioTemplateEditor extends LightElement {
  /** The template's file name under templates/ (empty: the list). */
  @property() item = '';
  /** The shell's ?focus=: a line and column (L:C) in a Handlebars sheet, a JSON pointer in a layout. */
  @property() focusPath = '';
  @state() private docs: TemplateDoc[] | null = null;
  private unsubscribe?: () => void;
  private version = -1;

  override connectedCallback() {
    super.connectedCallback();
    this.unsubscribe = draftStore.subscribe(() => void this.refresh());
    void this.refresh();
  }

  override disconnectedCallback() {
    super.disconnectedCallback();
    this.unsubscribe?.();
  }

  /** The documents are read again when the draft changes (a new document, a renamed template). */
  private async refresh() {
    const v = draftStore.view;
    if (!v) {
      this.docs = null;
      this.version = -1;
      return;
    }
    if (v.version === this.version && this.docs) return;
    this.version = v.version;
    this.docs = await templateDocs();
  }

  override render() {
    if (!draftStore.view) return html`<p class="muted">没有打开的草稿：先在草稿栏中打开草稿，再编辑打印模板。</p>`;
    if (!this.docs) return html`<p class="muted">正在读取…</p>`;
    const doc = this.docs.find((d) => d.file === this.item);
    if (!this.item || !doc) {
      return html`${this.item ? html`<p class="tpl-warn">草稿中没有使用模板「${this.item}」的文档。</p>` : nothing}
        <h3>打印模板</h3>
        <ul class="tpl-list">${this.docs.map((d) => html`<li><a href=${href('studio', 'templates', d.file)}>${d.title}</a>
          <span class="muted">${d.collectionTitle} · templates/${d.file} · ${d.formats.join('、')}</span></li>`)}</ul>`;
    }
    const title = html`<h3 class="tpl-title">${doc.title} <span class="muted">templates/${doc.file}（${doc.collectionTitle}）</span></h3>`;
    // Keyed by the file: another template gets a fresh editor, never the last one's text.
    return html`${title}${keyed(doc.file, doc.file.endsWith('.xlsx.json')
      ? html`<caiji-studio-template-grid .doc=${doc} .focusPath=${this.focusPath}></caiji-studio-template-grid>`
      : html`<caiji-studio-template-code .doc=${doc} .focusPath=${this.focusPath}></caiji-studio-template-code>`)}`;
  }
}
