import { html } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import { LightElement, emit } from './light-element.js';
import { api, qs, enc, ApiError } from '../api/client.js';
import { session, type BrowserValidator } from '../api/session.js';
import '../form/record-form.js';
import type { RecordForm } from '../form/record-form.js';
import type { FieldError, FormInfo } from '../api/types.js';
import { dateTime } from '../format.js';

const empty = (v: unknown) => v === undefined || v === null || v === '';

/** GET /api/lookup's `origin`: the stored (or detached) record's node, or who loaded the directory row and when. */
type LookupOrigin =
  | { kind: 'record'; node: string | null; nodeLabel: string | null }
  | { kind: 'detached'; node: string; nodeLabel: string | null; detachedAt: string; detachedBy: string | null }
  | { kind: 'directory'; loadedBy: string | null; loadedByName: string | null; loadedAt: string };

/** Where a lookup's answer came from, in a line the person can judge it by. */
function originLine(o: LookupOrigin | undefined): string {
  if (!o) return '';
  if (o.kind === 'record') return `来源：本系统已有记录${o.nodeLabel ? `（${o.nodeLabel}）` : ''}`;
  if (o.kind === 'detached') return `来源：本系统已有记录（${o.nodeLabel ? `${o.nodeLabel}，` : ''}已于 ${dateTime(o.detachedAt).slice(0, 10)} 解除关联）`;
  return `来源：目录（${o.loadedByName ?? o.loadedBy ?? '命令行'}于 ${dateTime(o.loadedAt).slice(0, 10)} 导入）`;
}

/**
 * The form of a record created by a workflow event (e.g. a record linked to a tree node): the
 * collection's own form and validator. When the collection has lookup keys, a valid key typed
 * in looks the record up and fills the fields that are still empty. Fires `submit-payload`.
 */
@customElement('caiji-linked-record-form')
export class LinkedRecordForm extends LightElement {
  @property() collection = '';
  /** Initial data (e.g. the node field set to the record the event is sent to). */
  @property({ attribute: false }) initial: Record<string, unknown> = {};
  @property({ attribute: false }) errors: FieldError[] = [];
  @property() submitLabel = '保存';
  @property({ type: Boolean }) busy = false;
  @state() private form?: FormInfo;
  @state() private v?: BrowserValidator;
  @state() private data: Record<string, unknown> = {};
  @state() private found = '';
  @state() private origin = '';
  /** Why the key typed cannot be linked again (a stored record already holds it), told at lookup time. */
  @state() private taken = '';
  @state() private showAll = false;
  private looked = new Map<string, string>();
  /** Values a lookup filled in and the person has not changed since: a later lookup may replace them. */
  private filled = new Map<string, unknown>();

  override connectedCallback() {
    super.connectedCallback();
    this.data = { ...this.initial };
    Promise.all([session.form(this.collection), session.validator(this.collection)]).then(([f, v]) => { this.form = f; this.v = v; });
  }

  private async change(next: Record<string, unknown>) {
    this.data = next;
    const keys = session.app?.collections[this.collection]?.lookup?.keys ?? [];
    for (const k of keys) {
      const value = next[k];
      if (this.looked.get(k) === value) continue;
      // Another key typed: what was said of the previous one no longer holds.
      this.taken = '';
      this.looked.delete(k);
      if (typeof value !== 'string' || empty(value)) continue;
      if (this.v!.validate({ [k]: value }).some((e) => e.path === `/${k}`)) continue;
      this.looked.set(k, value);
      try {
        const hit = await api.get<{ found: boolean; data?: Record<string, unknown>; origin?: LookupOrigin; taken?: { message: string } | null }>(`/api/lookup/${enc(this.collection)}${qs({ [k]: value })}`);
        this.origin = originLine(hit.origin);
        this.taken = hit.taken?.message ?? '';
        if (!hit.found || !hit.data) { this.found = `未找到${this.props[k]?.title ?? k}为 ${value} 的记录，请直接填写其他信息项`; continue; }
        const merged = { ...this.data };
        for (const [f, val] of Object.entries(hit.data)) {
          if (f === k || !this.props[f] || this.props[f]['x-widget']) continue;
          if (empty(merged[f]) || (this.filled.has(f) && this.filled.get(f) === merged[f])) {
            merged[f] = val;
            this.filled.set(f, val);
          }
        }
        this.data = merged;
        const titleField = this.form?.titleField;
        this.found = `已按${this.props[k]?.title ?? k}找到：${titleField ? String(hit.data[titleField] ?? '') : ''}，已填入空白信息项`;
      } catch (e) {
        this.origin = '';
        this.taken = '';
        this.found = e instanceof ApiError ? e.message : '';
      }
    }
  }

  private get props() { return this.form?.schema.properties ?? {}; }

  private submit(e: Event) {
    e.preventDefault();
    const f = this.querySelector<RecordForm>('caiji-record-form');
    if (f?.evaluation.blocking.length) {
      this.showAll = true;
      f.updateComplete.then(() => f.focusFirstError());
      return;
    }
    emit(this, 'submit-payload', this.data);
  }

  override render() {
    if (!this.form || !this.v) return html`<p class="muted">正在加载…</p>`;
    return html`<form @submit=${this.submit} novalidate>
      <p class="lookup-status" role="status" aria-live="polite">${this.found}</p>
      ${this.origin ? html`<p class="lookup-origin">${this.origin}</p>` : ''}
      ${this.taken ? html`<p class="form-error lookup-taken" role="alert">${this.taken}</p>` : ''}
      <caiji-record-form .schema=${this.form.schema} .validator=${this.v} .data=${this.data} .serverErrors=${this.errors}
        ?showAll=${this.showAll} essentialLabel=${session.app?.essentialLabel ?? ''}
        @form-change=${(e: CustomEvent<Record<string, unknown>>) => this.change(e.detail)}></caiji-record-form>
      ${this.errors.filter((x) => !x.path).map((x) => html`<p class="form-error" role="alert">${x.message}</p>`)}
      <div class="dialog-actions"><button type="submit" class="btn btn-primary" ?disabled=${this.busy || !!this.taken}>${this.submitLabel}</button></div>
    </form>`;
  }
}
