import { html, nothing } from 'lit';
import { customElement, property, state, query } from 'lit/decorators.js';
import { LightElement } from '../components/light-element.js';
import { request, ApiError } from '../api/client.js';
import { draftStore } from './draft-store.js';
import { DraftPreview, draftDocumentUrl, problemLine, type TemplateDoc } from './template-records.js';
import { checkSlots, valuesOutsideSlots, type SlotReport } from './template-slots.js';
import type { TemplateCodeEditor, createTemplateEditor } from './template-codemirror.js';
import './template-records.js';

/** The code editor's bundle (engine/http/routes/ui.ts): loaded on first use, once per page. */
const EDITOR_URL = '/code-editor.js';
let editorModule: Promise<{ createTemplateEditor: typeof createTemplateEditor }> | undefined;
const loadEditor = () => (editorModule ??= import(/* not bundled */ EDITOR_URL as string) as Promise<{ createTemplateEditor: typeof createTemplateEditor }>);

const OWNER = 'caiji-studio-templates';
const setDirty = (dirty: boolean) => draftStore.setDirty(OWNER, dirty);

/**
 * A Handlebars sheet of the draft in a code editor, with its check problems as lint markers, and
 * beside it the sheet printed from the draft for a record the config admin picks (saved edits
 * only: the preview is the draft's own rendering), the PDF one click away, and what batch printing
 * will make of the template's value slots.
 */
@customElement('caiji-studio-template-code')
export class StudioTemplateCode extends LightElement {
  @property({ attribute: false }) doc!: TemplateDoc;
  /** Where the draft bar's link points inside the template (the shell's ?focus=): L:C, or a JSON pointer. */
  @property() focusPath = '';
  @state() private record = '';
  @state() private preview = '';
  @state() private previewError = '';
  @state() private dirty = false;
  @state() private busy = false;
  @state() private message = '';
  @state() private slots: SlotReport | null = null;
  @state() private showSlots = true;
  /** The preview's scale; 0 fits the sheet to the pane's width. */
  @state() private zoom = 0;
  @query('.tpl-code-host') private host!: HTMLElement;
  @query('iframe.tpl-preview') private frame?: HTMLIFrameElement;
  private editor?: TemplateCodeEditor;
  private saved = '';
  private unsubscribe?: () => void;
  private readonly previews = new DraftPreview<string>();

  override connectedCallback() {
    super.connectedCallback();
    this.unsubscribe = draftStore.subscribe(() => void this.follow());
  }

  override disconnectedCallback() {
    super.disconnectedCallback();
    this.unsubscribe?.();
    this.editor?.destroy();
    this.editor = undefined;
    setDirty(false);
  }

  override async firstUpdated() {
    const [{ createTemplateEditor }, text] = await Promise.all([loadEditor(), draftStore.text(this.doc.path)]);
    if (!this.isConnected) return;
    this.saved = text ?? '';
    this.editor = createTemplateEditor(this.host, this.saved, {
      onChange: (t) => { this.dirty = t !== this.saved; setDirty(this.dirty); },
      onSave: () => void this.save(),
    });
    this.showProblems();
    this.focusFromRoute(true);
  }

  /** After any change of the draft (a save here, undo in the draft bar, a publish): text, problems, preview. */
  private async follow() {
    if (!this.editor || !draftStore.view) return;
    const text = (await draftStore.text(this.doc.path)) ?? '';
    if (!this.dirty && text !== this.saved) {
      this.saved = text;
      this.editor.setText(text);
    }
    this.showProblems();
    void this.refreshPreview();
  }

  private get problems() { return draftStore.problemsOf(this.doc.path); }

  private showProblems() {
    this.editor?.setProblems(this.problems.map((p) => ({ ...(problemLine(p.message) ?? { line: 1 }), message: p.message })));
    this.requestUpdate();
  }

  /** `?focus=L:C` (or, without it, the first problem of this file) puts the cursor there. */
  private focusFromRoute(first = false) {
    const focus = this.focusPath;
    const m = /^(\d+)(?::(\d+))?$/.exec(focus);
    const place = m ? { line: Number(m[1]), col: m[2] ? Number(m[2]) : undefined } : this.problems.map((p) => problemLine(p.message)).find(Boolean);
    if (place) this.editor?.focusAt(place.line, place.col);
    else if (first && focus === '') this.editor?.focusAt(1, 1);
  }

  private async save() {
    if (!this.editor || this.busy) return;
    const text = this.editor.text;
    this.busy = true;
    try {
      await draftStore.save(this.doc.path, text);
      this.saved = text;
      this.dirty = false;
      setDirty(false);
      this.message = this.problems.length ? '已保存到草稿，但模板有错误（见左侧红色标记），草稿不能发布' : '已保存到草稿';
      this.showProblems();
      const first = this.problems.map((p) => problemLine(p.message)).find(Boolean);
      if (first) this.editor.focusAt(first.line, first.col);
    } catch (e) {
      this.message = e instanceof ApiError ? e.message : String(e);
    } finally {
      this.busy = false;
    }
  }

  private revert() {
    this.editor?.setText(this.saved);
    this.dirty = false;
    setDirty(false);
  }

  override updated(changed: Map<string, unknown>) {
    if (changed.has('record')) void this.refreshPreview();
    if (changed.has('focusPath') && changed.get('focusPath') !== undefined) this.focusFromRoute();
  }

  /** The sheet printed from the draft for the chosen record; kept as it was while the template is broken. */
  private refreshPreview() {
    return this.previews.ask(this.doc, this.record, '.html', this.problems.length ? '模板有错误：预览仍是上次正确保存的版本。' : null, (text, error, key) => {
      this.previewError = error;
      if (text === undefined) return;
      this.preview = text;
      void this.dryRun(key, text);
    });
  }

  /** A second record rendered too: the form's text that differs between them is printed outside slots. */
  private async dryRun(key: string, first: string) {
    const picker = this.querySelector('caiji-studio-template-record') as (HTMLElement & { others?: () => string[] }) | null;
    const other = picker?.others?.().find((id) => id !== this.record);
    let outside: string[] = [];
    if (other) {
      try {
        outside = valuesOutsideSlots(first, await request<string>('GET', draftDocumentUrl(this.doc, other, '.html')));
      } catch { /* the other record may not print in its state: compare nothing */ }
    }
    if (this.previews.current(key)) this.slots = { ...(this.slots ?? { slots: 0, whole: [] }), outside };
  }

  /** The preview's document laid out: scaled, slots marked, and checked as the batch printer would. */
  private framed() {
    const doc = this.frame?.contentDocument;
    if (!doc?.body) return;
    doc.documentElement.style.zoom = '1';
    const fit = Math.min(1, (this.frame!.clientWidth - 4) / Math.max(1, doc.documentElement.scrollWidth));
    doc.documentElement.style.zoom = String(this.zoom || fit);
    let mark = doc.getElementById('studio-slot-marks');
    if (!mark) {
      mark = doc.createElement('style');
      mark.id = 'studio-slot-marks';
      doc.head.append(mark);
    }
    mark.textContent = this.showSlots ? 'print-slot{background:rgba(255,196,0,.35);outline:1px dashed #b26a00}' : '';
    this.slots = { outside: this.slots?.outside ?? [], ...checkSlots(doc) };
  }

  private renderSlots() {
    const s = this.slots;
    if (!s) return nothing;
    return html`<div class="tpl-slots" aria-live="polite">
      <label><input type="checkbox" .checked=${this.showSlots} @change=${(e: Event) => { this.showSlots = (e.target as HTMLInputElement).checked; this.framed(); }}>
        标出值槽</label>
      <p class="muted">批量打印时，表格的其余部分（表单）只印一次，每条记录只印标黄的值槽（{{#slot}}…{{/slot}}）。本表共 ${s.slots} 个值槽。</p>
      ${s.slots === 0 ? html`<p class="tpl-warn">本模板没有值槽：批量打印时每张表整页打印（较慢）。</p>` : nothing}
      ${s.whole.map((w) => html`<p class="tpl-warn">第 ${w.slot} 个值槽（${w.value || '空'}）：${w.why}——批量打印时整张表按原样打印。</p>`)}
      ${s.outside.length ? html`<p class="tpl-warn">这些文字随记录而变，却不在值槽中，会使各条记录的表单不同（批量打印变慢）：${s.outside.join('、')}</p>` : nothing}
    </div>`;
  }

  override render() {
    const problems = this.problems;
    const pdf = this.record ? draftDocumentUrl(this.doc, this.record, '.pdf') : '';
    return html`<div class="tpl-toolbar">
        <button type="button" class="btn btn-primary" ?disabled=${this.busy || !this.dirty} @click=${() => this.save()}>${this.busy ? '正在保存…' : '保存并预览'}</button>
        <button type="button" class="btn" ?disabled=${!this.dirty} @click=${() => this.revert()}>撤销未保存的修改</button>
        <span class="muted">${this.dirty ? '有未保存的修改（Ctrl+S 保存）' : this.message}</span>
        <span class="tpl-spacer"></span>
        <caiji-studio-template-record .doc=${this.doc} .value=${this.record} @record-change=${(e: CustomEvent<string>) => { this.record = e.detail; }}></caiji-studio-template-record>
        ${this.doc.formats.includes('pdf') && pdf ? html`<a class="btn" href=${pdf} download>下载 PDF（草稿）</a>` : nothing}
      </div>
      ${problems.length ? html`<ul class="tpl-problems" role="alert">${problems.map((p) => html`<li>${p.message}</li>`)}</ul>` : nothing}
      <div class="tpl-split">
        <div class="tpl-code-host"></div>
        <div class="tpl-preview-pane">
          <div class="tpl-preview-bar">
            <span>打印预览（草稿）</span>
            <select aria-label="缩放" @change=${(e: Event) => { this.zoom = Number((e.target as HTMLSelectElement).value); this.framed(); }}>
              ${[0, 0.5, 0.75, 1].map((z) => html`<option value=${z} ?selected=${z === this.zoom}>${z ? `${z * 100}%` : '适应宽度'}</option>`)}
            </select>
          </div>
          ${this.previewError ? html`<p class="tpl-warn" role="status">${this.previewError}</p>` : nothing}
          <iframe class="tpl-preview" title="打印预览" sandbox="allow-same-origin" .srcdoc=${this.preview} @load=${() => this.framed()}></iframe>
          ${this.renderSlots()}
        </div>
      </div>`;
  }
}
