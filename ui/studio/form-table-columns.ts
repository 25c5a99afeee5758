import { html, nothing } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import { LightElement, emit } from '../components/light-element.js';
import type { FieldError } from '../api/types.js';
import { addColumn, fieldNamePattern, kindOf, kinds, moveColumn, tableColumns, withKind, type Json, type Kind } from './form-schema.js';
import type { SchemaEdit } from './form-properties.js';
import './form-properties.js';

/**
 * The columns of the selected child table (`name`, a property of `schema`): listed in order, added,
 * removed, moved by buttons or Alt+↑/↓ on the focused row; the chosen column opens the field
 * property panel over the table's `items` (so a column is edited like any field). Every change is
 * emitted as a `schema-edit` on the whole schema, as the field panel's are, except a column's
 * rename and removal: `column-rename` ({table, from, to}) and `column-remove` ({table, column}),
 * which the designer carries out with their migration steps (listed here from `steps`).
 */
@customElement('caiji-studio-form-table-columns')
export class StudioFormTableColumns extends LightElement {
  @property({ attribute: false }) schema: Json = {};
  @property() name = '';
  @property({ attribute: false }) codeTables: { table: string; title: string }[] = [];
  @property() essentialLabel = '';
  /** The check problems of the table field (those under a column are shown in its panel). */
  @property({ attribute: false }) problems: FieldError[] = [];
  /** The draft's migration steps on this table's columns, in words. */
  @property({ attribute: false }) steps: string[] = [];
  @state() private column = '';
  @state() private error = '';
  @state() private confirmRemove = '';
  /** A column moved by keyboard: its row gets the focus once the saved schema is rendered. */
  private focusAfter = '';

  override willUpdate(changed: Map<string, unknown>) {
    if (changed.has('name')) {
      this.column = '';
      this.error = '';
      this.confirmRemove = '';
    }
  }

  override updated(changed: Map<string, unknown>) {
    if (changed.has('schema') && this.focusAfter) {
      this.querySelector<HTMLElement>(`li[data-column="${CSS.escape(this.focusAfter)}"]`)?.focus();
      this.focusAfter = '';
    }
  }

  /** An edit of the table property, as an edit of the whole schema. */
  private edit(fn: (table: Json) => void) {
    const name = this.name;
    emit<SchemaEdit>(this, 'schema-edit', (schema) => fn(schema.properties[name]));
  }

  private move(column: string, delta: -1 | 1, focus = false) {
    if (!moveColumn(structuredClone(this.schema.properties[this.name]), column, delta)) return;
    if (focus) this.focusAfter = column;
    this.edit((t) => moveColumn(t, column, delta));
  }

  private dropColumn(column: string) {
    this.confirmRemove = '';
    if (this.column === column) this.column = '';
    emit(this, 'column-remove', { table: this.name, column });
  }

  /** The column panel's rename is a column rename of this table. */
  private columnRename(e: CustomEvent<{ from: string; to: string }>) {
    e.stopPropagation();
    emit(this, 'column-rename', { table: this.name, ...e.detail });
    this.column = e.detail.to;
  }

  private add(form: HTMLFormElement) {
    const data = new FormData(form);
    const title = String(data.get('title') ?? '').trim();
    const name = String(data.get('name') ?? '').trim();
    const kind = String(data.get('kind') ?? 'text') as Kind;
    const items = this.schema.properties[this.name].items ?? {};
    this.error = !title ? '请填写列的标题' : !fieldNamePattern.test(name) ? '列名应以英文字母开头，只含英文字母、数字和下划线'
      : Object.hasOwn(items.properties ?? {}, name) ? `此子表已有列名为“${name}”` : '';
    if (this.error) return;
    const table = this.codeTables[0]?.table;
    this.edit((t) => {
      addColumn(t, name, title);
      if (kind !== 'text') t.items.properties[name] = withKind(t.items.properties[name], kind, table);
    });
    form.reset();
    this.column = name;
  }

  private key(e: KeyboardEvent, column: string) {
    if (e.target !== e.currentTarget) return;
    if (e.altKey && (e.key === 'ArrowUp' || e.key === 'ArrowDown')) {
      e.preventDefault();
      this.move(column, e.key === 'ArrowUp' ? -1 : 1, true);
    } else if (e.key === 'Enter' || e.key === ' ') {
      e.preventDefault();
      this.column = column;
    }
  }

  /** The column panel's edits apply to the table's items (the panel sees them as its schema). */
  private columnEdit(e: CustomEvent<SchemaEdit>) {
    e.stopPropagation();
    this.edit((t) => e.detail(t.items));
  }

  override render() {
    const table: Json | undefined = this.schema.properties?.[this.name];
    if (!table || kindOf(table) !== 'table') return nothing;
    const columns = tableColumns(table);
    const required = new Set<string>(table.items?.required ?? []);
    const label = (k: string) => kinds.find((x) => x.id === k)?.label ?? '其他';
    const at = (c: string) => `#/properties/${this.name}/items/properties/${c}`;
    const columnProblems = this.problems.filter((p) => [p.path, p.message].some((x) => x.includes(`${at(this.column)}/`) || x.includes(`${at(this.column)}:`) || x.endsWith(at(this.column))));
    return html`<section class="table-columns" aria-label=${`子表「${table.title ?? this.name}」的列`}>
      <h4 class="panel-title">子表的列</h4>
      <p class="muted small" id="columns-help">点击选择列；按 Alt+↑/↓ 或按钮调整顺序。</p>
      <ul class="designer-fields" role="listbox" aria-label="列" aria-describedby="columns-help">
        ${columns.map((c, i) => html`<li role="option" tabindex="0" data-column=${c.name} aria-selected=${c.name === this.column ? 'true' : 'false'}
            class="designer-field ${c.name === this.column ? 'selected' : ''}"
            @click=${() => { this.column = c.name; }} @keydown=${(e: KeyboardEvent) => this.key(e, c.name)}>
          <span class="designer-field-title">${required.has(c.name) ? html`<span class="req" aria-hidden="true">*</span>` : nothing}${c.title}</span>
          <span class="designer-field-meta">${c.name} · ${label(kindOf(c.prop))}</span>
          <span class="column-ops">
            <button type="button" class="btn-link" ?disabled=${i === 0} aria-label=${`「${c.title}」上移`} @click=${(e: Event) => { e.stopPropagation(); this.move(c.name, -1); }}>上移</button>
            <button type="button" class="btn-link" ?disabled=${i === columns.length - 1} aria-label=${`「${c.title}」下移`} @click=${(e: Event) => { e.stopPropagation(); this.move(c.name, 1); }}>下移</button>
            ${this.confirmRemove === c.name
              ? html`<button type="button" class="danger" @click=${(e: Event) => { e.stopPropagation(); this.dropColumn(c.name); }}>确认删除</button>
                  <button type="button" @click=${(e: Event) => { e.stopPropagation(); this.confirmRemove = ''; }}>取消</button>`
              : html`<button type="button" class="btn-link" aria-label=${`删除列「${c.title}」`} @click=${(e: Event) => { e.stopPropagation(); this.confirmRemove = c.name; }}>删除</button>`}
          </span>
        </li>`)}
      </ul>
      ${columns.length ? nothing : html`<p class="muted">此子表还没有列。</p>`}
      ${this.steps.length ? html`<ul class="notice column-steps" aria-label="发布时的迁移步骤">${this.steps.map((s) => html`<li>发布时：${s}</li>`)}</ul>` : nothing}
      <form class="add-field add-column" aria-label="添加列" @submit=${(e: Event) => { e.preventDefault(); this.add(e.target as HTMLFormElement); }}>
        <label>标题 <input name="title" id="col-add-title" /></label>
        <label>列名 <input name="name" id="col-add-name" placeholder="英文，如 phone" /></label>
        <label>类型 <select name="kind" id="col-add-kind">${kinds.filter((k) => k.id !== 'table').map((k) => html`<option value=${k.id}>${k.label}</option>`)}</select></label>
        <div class="toolbar"><button type="submit">添加列</button></div>
        ${this.error ? html`<p class="error-text" role="alert">${this.error}</p>` : nothing}
      </form>
      ${this.column && table.items?.properties?.[this.column] ? html`<caiji-studio-form-properties column idPrefix="col" .schema=${table.items} name=${this.column}
          .codeTables=${this.codeTables} essentialLabel=${this.essentialLabel} .problems=${columnProblems}
          @schema-edit=${(e: CustomEvent<SchemaEdit>) => this.columnEdit(e)}
          @field-rename=${(e: CustomEvent<{ from: string; to: string }>) => this.columnRename(e)}></caiji-studio-form-properties>` : nothing}
    </section>`;
  }
}
