import { html, nothing, type PropertyValues } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import { LightElement, emit } from '../components/light-element.js';
import { fieldsOf, groupsOf, evaluate, isEmpty, type FieldModel, type Evaluation } from './model.js';
import { widgetFor } from './registry.js';
import './widgets/index.js';
import type { BrowserValidator } from '../api/session.js';
import type { TableGrid } from './widgets/table-grid.js';
import type { FieldError, JsonSchema } from '../api/types.js';

let seq = 0;

/**
 * A record's form, rendered from its JSON Schema alone: groups, order, widgets from the
 * registry, live validation by the collection's compiled validator, marks from the same
 * evaluation. `data` is the working copy; `form-change` fires on every edit.
 */
@customElement('caiji-record-form')
export class RecordForm extends LightElement {
  @property({ attribute: false }) schema!: JsonSchema;
  @property({ attribute: false }) validator!: BrowserValidator;
  /** The stored data the user started from (deprecated codes may stay, see the validator). */
  @property({ attribute: false }) previous?: Record<string, unknown>;
  @property({ attribute: false }) data: Record<string, unknown> = {};
  /** Errors the server reported on the last save (shown until the field changes). */
  @property({ attribute: false }) serverErrors: FieldError[] = [];
  /** Show every field's error, not only those the user has touched. */
  @property({ type: Boolean }) showAll = false;
  @property({ type: Boolean }) readonly = false;
  /** Label of x-essential items (from the manifest), for the legend. */
  @property() essentialLabel = '';
  @state() private touched = new Set<string>();
  private idBase = `f${++seq}`;
  private fields: FieldModel[] = [];
  private fieldsOfSchema?: JsonSchema;

  /** The current evaluation (errors, marks), for the page's summary and save button. */
  get evaluation(): Evaluation {
    return evaluate(this.validator, this.fieldList(), this.data, this.previous, this.serverErrors);
  }

  private fieldList() {
    if (this.fieldsOfSchema !== this.schema) {
      this.fields = fieldsOf(this.schema);
      this.fieldsOfSchema = this.schema;
    }
    return this.fields;
  }

  /** The blocking errors the form shows when it shows every error: not those of child-table rows just added. */
  get shownBlocking(): FieldError[] {
    const grids = [...this.querySelectorAll<TableGrid>('caiji-table-grid')];
    return this.evaluation.blocking.filter((e) => !grids.some((g) => g.hides(e.path)));
  }

  /** Child tables show the errors of rows added since (a save was tried, or every error is shown now). */
  private revealRows() {
    for (const g of this.querySelectorAll<TableGrid>('caiji-table-grid')) g.revealAll();
  }

  override willUpdate(changed: PropertyValues<this>) {
    if (changed.has('showAll') && this.showAll) this.revealRows();
  }

  /** Moves focus to the first field with a blocking error (or any error): called when a save was refused. */
  focusFirstError() {
    this.revealRows();
    const ev = this.evaluation;
    const f = this.fieldList().find((x) => ev.fields.get(x.name)?.blocking) ?? this.fieldList().find((x) => ev.fields.get(x.name)?.error);
    if (f) { (this.querySelector(`#${this.idBase}-${f.name}`) as HTMLElement | null)?.focus(); return; }
    // An error inside a field (a child table's cell /family/2/birthDate): the control whose id
    // follows the path, else the nearest one above it (the row, the table).
    const inner = ev.blocking.find((e) => e.path.split('/').length > 2);
    for (let parts = inner?.path.split('/').slice(1) ?? []; parts.length; parts = parts.slice(0, -1)) {
      const el = this.querySelector<HTMLElement>(`[id="${this.idBase}-${parts.join('-')}"]`);
      if (el) { el.focus(); return; }
    }
  }

  private set(name: string, value: unknown) {
    const next = { ...this.data };
    if (isEmpty(value)) delete next[name];
    else next[name] = value;
    this.data = next;
    const mine = (e: FieldError) => e.path === `/${name}` || e.path.startsWith(`/${name}/`);
    if (this.serverErrors.some(mine)) this.serverErrors = this.serverErrors.filter((e) => !mine(e));
    emit(this, 'form-change', next);
  }

  private touch(name: string) {
    if (!this.touched.has(name)) this.touched = new Set([...this.touched, name]);
  }

  override render() {
    if (!this.schema || !this.validator) return nothing;
    const ev = this.evaluation;
    return html`${this.essentialLabel ? html`<p class="legend"><span class="essential-sample">红色</span>为${this.essentialLabel}，<span class="req">*</span> 为当前必填项</p>` : nothing}
      ${groupsOf(this.fieldList()).map((g) => {
        const shown = g.fields.filter((f) => ev.fields.get(f.name)!.visible);
        if (!shown.length) return nothing;
        return html`<section class="form-group" aria-label=${g.title || nothing}>
          ${g.title ? html`<h3 class="group-title">${g.title}</h3>` : nothing}
          <div class="form-grid">${shown.map((f) => this.renderField(f, ev))}</div>
        </section>`;
      })}`;
  }

  private renderField(f: FieldModel, ev: Evaluation) {
    const st = ev.fields.get(f.name)!;
    const id = `${this.idBase}-${f.name}`;
    const w = widgetFor(f.prop);
    const showError = !!st.error && (this.showAll || this.touched.has(f.name) || this.serverErrors.some((e) => e.path === `/${f.name}`));
    const help = f.prop.description ? `${id}-help` : '';
    const describedBy = [help, `${id}-err`].filter(Boolean).join(' ');
    const wide = w.name === 'textarea' || w.name === 'node' || w.name === 'table';
    // Errors inside the value (a child table's cells), shown by the widget where they belong.
    const inner = `/${f.name}/`;
    const innerErrors = [...ev.blocking.map((e) => ({ ...e, blocking: true })), ...ev.incomplete.map((e) => ({ ...e, blocking: false }))]
      .filter((e) => e.path.startsWith(inner))
      .map((e) => ({ ...e, forced: this.showAll || this.serverErrors.some((s) => s.path === e.path) }));
    const control = w.render({
      name: f.name, prop: f.prop, value: this.data[f.name], id, describedBy, labelId: `${id}-label`,
      required: st.required, invalid: showError, disabled: this.readonly || f.readOnly,
      set: (v) => this.set(f.name, this.validator.normalize(f.name, v)), touch: () => this.touch(f.name),
      normalize: (text) => String(this.validator.normalize(f.name, text)),
      innerErrors,
      // A module compiled before row hints existed has none: every column is then asked for.
      rowHints: w.name === 'table' ? this.validator.rowHints?.(f.name) : undefined,
    });
    return html`<div class="field ${st.essential ? 'essential' : ''} ${showError ? (st.blocking ? 'has-error' : 'has-gap') : ''} ${wide ? 'wide' : ''} ${w.name === 'table' ? 'table-field' : ''}" data-field=${f.name}>
      <label class="field-label" id=${`${id}-label`} for=${w.group ? nothing : id}>${st.required ? html`<span class="req" aria-hidden="true">*</span>` : nothing}${f.title}${st.required ? html`<span class="sr-only">（必填）</span>` : nothing}</label>
      <div class="field-control">
        ${control}
        ${help ? html`<div class="field-help" id=${help}>${f.prop.description}</div>` : nothing}
        <div class="field-error" id=${`${id}-err`} role="status" aria-live="polite">${showError ? st.error : ''}</div>
      </div>
    </div>`;
  }
}
