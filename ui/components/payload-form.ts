import { html, nothing } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import { LightElement, emit } from './light-element.js';
import { session } from '../api/session.js';
import { fieldsOf, isEmpty } from '../form/model.js';
import { widgetFor } from '../form/registry.js';
import '../form/widgets/index.js';
import type { FieldError, JsonSchema } from '../api/types.js';

let seq = 0;

/**
 * The form of an event's payload (e.g. a reason and the fields concerned), from its JSON
 * Schema. A list marked `"x-widget": "fields"` names fields of the record's collection: shown as
 * checkboxes titled by the fields' titles.
 * The server validates the payload; its errors are shown at the fields.
 */
@customElement('caiji-payload-form')
export class PayloadForm extends LightElement {
  @property({ attribute: false }) schema: JsonSchema = {};
  @property({ attribute: false }) errors: FieldError[] = [];
  @property() recordCollection = '';
  @property() submitLabel = '确定';
  @property({ type: Boolean }) busy = false;
  @state() private data: Record<string, unknown> = {};
  @state() private missing = new Set<string>();
  @state() private fieldTitles: Record<string, string> = {};
  @state() private ready = false;
  private idBase = `p${++seq}`;

  override connectedCallback() {
    super.connectedCallback();
    if (this.recordCollection) {
      session.form(this.recordCollection).then((f) => {
        this.fieldTitles = Object.fromEntries(Object.entries<JsonSchema>(f.schema.properties ?? {}).map(([k, v]) => [k, v.title ?? k]));
        this.ready = true;
      }, () => { this.ready = true; }); // without the titles, the fields are offered by name
    } else this.ready = true;
  }

  /** The schema with field-name lists (`"x-widget": "fields"`) offering the record's fields by title. */
  private get shown(): JsonSchema {
    const props: Record<string, JsonSchema> = {};
    for (const [k, p] of Object.entries<JsonSchema>(this.schema.properties ?? {})) {
      const fieldList = p['x-widget'] === 'fields' && p.type === 'array' && Object.keys(this.fieldTitles).length;
      if (!fieldList) { props[k] = p; continue; }
      const names = Array.isArray(p.items?.enum) ? p.items.enum : Object.keys(this.fieldTitles);
      const { 'x-widget': _marker, ...rest } = p;
      props[k] = { ...rest, items: { ...p.items, enum: names, 'x-enumTitles': this.fieldTitles } };
    }
    return { ...this.schema, properties: props };
  }

  private submit(e: Event) {
    e.preventDefault();
    const required: string[] = this.schema.required ?? [];
    this.missing = new Set(required.filter((f) => isEmpty(this.data[f]) || (Array.isArray(this.data[f]) && !(this.data[f] as unknown[]).length)));
    if (this.missing.size) {
      (this.querySelector(`#${this.idBase}-${[...this.missing][0]}`) as HTMLElement | null)?.focus();
      return;
    }
    emit(this, 'submit-payload', this.data);
  }

  override render() {
    if (!this.ready) return html`<p class="muted">正在加载…</p>`;
    const required = new Set<string>(this.schema.required ?? []);
    return html`<form class="payload-form" @submit=${this.submit} novalidate>
      ${fieldsOf(this.shown).map((f) => {
        const id = `${this.idBase}-${f.name}`;
        const w = widgetFor(f.prop);
        const err = this.errors.find((x) => x.path === `/${f.name}`)?.message ?? (this.missing.has(f.name) ? `「${f.title}」为必填项` : '');
        return html`<div class="field wide ${err ? 'has-error' : ''}">
          <label class="field-label" id=${`${id}-label`} for=${w.group ? nothing : id}>${required.has(f.name) ? html`<span class="req" aria-hidden="true">*</span>` : nothing}${f.title}</label>
          <div class="field-control">${w.render({
            name: f.name, prop: f.prop, value: this.data[f.name], id, describedBy: `${id}-err`, labelId: `${id}-label`,
            required: required.has(f.name), invalid: !!err, disabled: this.busy,
            set: (v) => { const d = { ...this.data }; if (isEmpty(v)) delete d[f.name]; else d[f.name] = v; this.data = d; this.missing.delete(f.name); },
            touch: () => {},
          })}
          ${f.prop.description ? html`<div class="field-help">${f.prop.description}</div>` : nothing}
          <div class="field-error" id=${`${id}-err`} role="status" aria-live="polite">${err}</div></div>
        </div>`;
      })}
      ${this.errors.filter((x) => !x.path).map((x) => html`<p class="form-error" role="alert">${x.message}</p>`)}
      <div class="dialog-actions"><button type="submit" class="btn btn-primary" ?disabled=${this.busy}>${this.submitLabel}</button></div>
    </form>`;
  }
}
