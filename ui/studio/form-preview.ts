import { html, nothing } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import { LightElement } from '../components/light-element.js';
import { api, enc, ApiError } from '../api/client.js';
import type { BrowserValidator } from '../api/session.js';
import type { JsonSchema, RecordJson } from '../api/types.js';
import '../form/record-form.js';
import type { RecordForm } from '../form/record-form.js';
import { isEmpty } from '../form/model.js';

interface DraftForm { schema: JsonSchema; essentialLabel: string | null; titleField: string; draftVersion: number }

/**
 * The designer's live preview: the product's own record form over the draft's schema, validating
 * with the draft's compiled validator (GET /api/config/draft/forms/:collection[/validator.js]),
 * over a blank record or one the admin picks from the stored ones. It follows every draft save.
 */
@customElement('caiji-studio-form-preview')
export class StudioFormPreview extends LightElement {
  @property() collection = '';
  /** The draft's version: a new one reloads schema and validator. */
  @property({ type: Number }) draftVersion = 0;
  @state() private form?: DraftForm;
  @state() private validator?: BrowserValidator;
  @state() private error = '';
  @state() private errorDetails: string[] = [];
  @state() private records: RecordJson[] = [];
  @state() private picked = '';
  @state() private data: Record<string, unknown> = {};
  @state() private previous?: Record<string, unknown>;
  @state() private showAll = false;
  @state() private summary = '';
  private loaded = '';
  private query = '';

  override updated(changed: Map<string, unknown>) {
    const key = `${this.collection}|${this.draftVersion}`;
    if (this.collection && key !== this.loaded) {
      this.loaded = key;
      void this.load(key);
    }
    if (changed.has('collection')) void this.findRecords();
    this.updateSummary();
  }

  private async load(key: string) {
    const c = enc(this.collection);
    try {
      const form = await api.get<DraftForm>(`/api/config/draft/forms/${c}`);
      const mod = (await import(/* @vite-ignore */ `/api/config/draft/forms/${c}/validator.js?v=${this.draftVersion}`)) as { default: BrowserValidator };
      if (key !== this.loaded) return;
      this.form = form;
      this.validator = mod.default;
      this.error = '';
      this.errorDetails = [];
    } catch (e) {
      if (key !== this.loaded) return;
      this.error = e instanceof ApiError ? e.message : '预览加载失败';
      this.errorDetails = e instanceof ApiError ? e.details.map((d) => d.message) : [];
    }
  }

  private async findRecords() {
    if (!this.collection) return;
    try {
      const q = this.query ? `&q=${encodeURIComponent(this.query)}` : '';
      const page = await api.get<{ items: RecordJson[] }>(`/api/records/${enc(this.collection)}?limit=30${q}`);
      this.records = page.items;
    } catch {
      this.records = [];
    }
  }

  private pick(id: string) {
    this.picked = id;
    const r = this.records.find((x) => x.id === id);
    this.data = r ? { ...r.data } : {};
    this.previous = r ? { ...r.data } : undefined;
  }

  private updateSummary() {
    const f = this.querySelector<RecordForm>('caiji-record-form');
    if (!f?.schema || !f.validator) return;
    const ev = f.evaluation;
    // A required field left empty is not yet wrong (the form shows its error once touched or on
    // save): a blank record is told what is missing, not that it has errors.
    const missing = [...ev.fields].filter(([name, st]) => st.blocking && st.required && isEmpty(this.data[name])).length;
    const wrong = ev.blocking.length - missing;
    const s = wrong ? `有 ${wrong} 处错误${missing ? `，${missing} 项必填尚未填写` : ''}，不能保存`
      : missing ? `${missing} 项必填尚未填写，不能保存`
      : ev.incomplete.length ? `可以保存，尚不完整（${ev.incomplete.length} 项）` : '可以保存，信息完整';
    if (s !== this.summary) this.summary = s;
  }

  private titleOf(r: RecordJson) {
    const field = this.form?.titleField;
    return String((field && r.data[field]) ?? r.id);
  }

  override render() {
    return html`<section class="form-preview" aria-label="表单预览">
      <div class="preview-head">
        <h3 class="panel-title">预览（草稿第 ${this.draftVersion} 稿）</h3>
        <div class="preview-pick">
          <label for="preview-q">记录</label>
          <input id="preview-q" type="search" placeholder="查找记录" @change=${(e: Event) => { this.query = (e.target as HTMLInputElement).value; void this.findRecords(); }} />
          <select id="preview-record" aria-label="预览的记录" .value=${this.picked} @change=${(e: Event) => this.pick((e.target as HTMLSelectElement).value)}>
            <option value="">（空白记录）</option>
            ${this.records.map((r) => html`<option value=${r.id} ?selected=${r.id === this.picked}>${this.titleOf(r)}</option>`)}
          </select>
          <label class="inline"><input type="checkbox" .checked=${this.showAll} @change=${(e: Event) => { this.showAll = (e.target as HTMLInputElement).checked; }} /> 显示全部错误</label>
        </div>
        <p class="preview-summary" role="status">${this.error ? '' : this.summary}</p>
      </div>
      ${this.error ? html`<div class="error-text" role="alert"><p>${this.error}</p>${this.errorDetails.length ? html`<ul>${this.errorDetails.map((d) => html`<li>${d}</li>`)}</ul>` : nothing}</div>` : nothing}
      ${this.form && this.validator && !this.error ? html`<caiji-record-form .schema=${this.form.schema} .validator=${this.validator} .data=${this.data}
          .previous=${this.previous} ?showAll=${this.showAll} essentialLabel=${this.form.essentialLabel ?? ''}
          @form-change=${(e: CustomEvent) => { this.data = e.detail; }}></caiji-record-form>` : this.error ? nothing : html`<p class="muted">正在加载预览…</p>`}
    </section>`;
  }
}
