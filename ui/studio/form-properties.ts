import { html, nothing } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import { LightElement, emit } from '../components/light-element.js';
import { formatChecks } from '../../engine/validation/formats/index.js';
import type { FieldError } from '../api/types.js';
import {
  fieldNamePattern, kindOf, kinds, patternProblem, setKeyword, setMessage, setRequired, widgetsFor, withKind, type Json, type Kind,
} from './form-schema.js';
import { fieldKeywordTitles } from './keyword-titles.js';

/**
 * The engine's formats (engine/validation/formats) by the rule they check; which of the
 * application's fields use each is read from the schema being edited (the app names them, not the
 * engine). A new format shows its name.
 */
const formatTitles: Record<string, string> = {
  gb11643: 'GB 11643 校验码规则', gb32100: 'GB 32100 校验码规则', gb11714: 'GB 11714 校验码规则',
  mobile: '手机号码', phone: '固定电话', date: '日期',
};
/** Formats a text field may take (date is a kind of its own). */
const textFormats = Object.keys(formatChecks).filter((f) => f !== 'date');

/** A change of the schema: the designer applies it to a copy and saves that. */
export type SchemaEdit = (schema: Json) => void;

/**
 * The property panel of one field: everything the form and the validator read from it, as form
 * controls. Text inputs apply on change (leaving the input or Enter), so one edit is one draft
 * save. Events: `schema-edit` (a SchemaEdit), `field-rename` ({from, to}), `field-remove` (name).
 * A child table's column gets the same panel (`column`): its `schema` is then the table's `items`
 * object (properties and required, as a form's root), with rename (the table's panel turns it into
 * a column rename with its step) but without removal or the 子表 kind.
 */
@customElement('caiji-studio-form-properties')
export class StudioFormProperties extends LightElement {
  @property({ attribute: false }) schema: Json = {};
  @property() name = '';
  @property({ attribute: false }) codeTables: { table: string; title: string }[] = [];
  @property() essentialLabel = '';
  @property({ attribute: false }) problems: FieldError[] = [];
  /** Editing a child table's column (one level only: no 子表 kind; removed in the table's column list). */
  @property({ type: Boolean }) column = false;
  /** Prefix of the controls' ids (a column's panel sits beside its table's on the page). */
  @property() idPrefix = 'prop';
  @state() private renameTo = '';
  @state() private renameError = '';
  @state() private confirmRemove = false;
  @state() private patternError = '';

  override willUpdate(changed: Map<string, unknown>) {
    if (changed.has('name')) {
      this.renameTo = this.name;
      this.renameError = '';
      this.confirmRemove = false;
      this.patternError = '';
    }
  }

  /** A format's name, and the fields of this form that already use it (e.g. 「…」 GB 11643 → the form's identity field). */
  private formatTitle(format: string): string {
    const uses = Object.entries<Json>(this.schema.properties ?? {}).filter(([, q]) => q?.format === format).map(([n, q]) => String(q.title ?? n));
    return `${formatTitles[format] ?? format}${uses.length ? `（本表单：${uses.join('、')}）` : ''}`;
  }

  private edit(fn: (prop: Json, schema: Json) => void) {
    const name = this.name;
    emit<SchemaEdit>(this, 'schema-edit', (schema) => fn(schema.properties[name], schema));
  }

  private text(key: string) {
    return (e: Event) => this.edit((p) => setKeyword(p, key, (e.target as HTMLInputElement).value.trim()));
  }

  private num(key: string) {
    return (e: Event) => {
      const raw = (e.target as HTMLInputElement).value.trim();
      this.edit((p) => setKeyword(p, key, raw === '' ? undefined : Number(raw)));
    };
  }

  private flag(key: string) {
    return (e: Event) => this.edit((p) => setKeyword(p, key, (e.target as HTMLInputElement).checked));
  }

  private rename() {
    const to = this.renameTo.trim();
    if (to === this.name) return;
    const noun = this.column ? '列名' : '字段名';
    if (!fieldNamePattern.test(to)) this.renameError = `${noun}应以英文字母开头，只含英文字母、数字和下划线`;
    else if (Object.hasOwn(this.schema.properties ?? {}, to)) this.renameError = `已有${noun}为“${to}”`;
    else {
      this.renameError = '';
      emit(this, 'field-rename', { from: this.name, to });
    }
  }

  private setPattern(value: string) {
    this.patternError = value ? patternProblem(value) : '';
    if (!this.patternError) this.edit((p) => setKeyword(p, 'pattern', value));
  }

  override render() {
    const p: Json | undefined = this.schema.properties?.[this.name];
    if (!p) return html`<p class="muted">请在左侧选择一个字段。</p>`;
    const kind = kindOf(p);
    const id = (k: string) => `${this.idPrefix}-${k}`;
    const isText = kind === 'text' || kind === 'textarea';
    const required = (this.schema.required ?? []).includes(this.name);
    // The labels are the keywords' titles the version diff reads too.
    const t = fieldKeywordTitles(this.essentialLabel);
    return html`<form class="prop-panel" @submit=${(e: Event) => e.preventDefault()} aria-label=${`${this.column ? '列' : '字段'}「${p.title ?? this.name}」的属性`}>
      ${this.problems.length ? html`<ul class="prop-problems" role="alert">${this.problems.map((x) => html`<li>${x.message}</li>`)}</ul>` : nothing}
      <div class="prop-row"><label for=${id('title')}>${t.title}</label>
        <input id=${id('title')} .value=${p.title ?? ''} @change=${this.text('title')} /></div>
      <div class="prop-row"><label for=${id('name')}>${this.column ? '列名' : '字段名'}</label>
        <span class="prop-inline">
          <input id=${id('name')} .value=${this.renameTo} aria-describedby=${id('name-help')} @input=${(e: Event) => { this.renameTo = (e.target as HTMLInputElement).value; }}
            @keydown=${(e: KeyboardEvent) => { if (e.key === 'Enter') { e.preventDefault(); this.rename(); } }} />
          <button type="button" ?disabled=${this.renameTo.trim() === this.name} @click=${() => this.rename()}>改名</button>
        </span>
        <span class="prop-help" id=${id('name-help')}>${this.renameError ? html`<span class="error-text">${this.renameError}</span>` : '改名会写入迁移步骤，已存储的值随之改名'}</span></div>
      <div class="prop-row"><label for=${id('kind')}>${t.type}</label>
        <select id=${id('kind')} @change=${(e: Event) => { const k = (e.target as HTMLSelectElement).value as Kind; this.edit((q, s) => { s.properties[this.name] = withKind(q, k, this.codeTables[0]?.table); }); }}>
          ${kind === 'other' ? html`<option value="other" selected>其他（请在 JSON 中编辑）</option>` : nothing}
          ${kinds.filter((k) => !this.column || k.id !== 'table').map((k) => html`<option value=${k.id} ?selected=${k.id === kind}>${k.label}</option>`)}
        </select></div>
      ${kind === 'code' ? html`<div class="prop-row"><label for=${id('table')}>${t['x-codeTable']}</label>
        <select id=${id('table')} @change=${(e: Event) => this.edit((q) => { q['x-codeTable'] = (e.target as HTMLSelectElement).value; })}>
          ${this.codeTables.some((t) => t.table === p['x-codeTable']) ? nothing : html`<option value="" selected>（请选择）</option>`}
          ${this.codeTables.map((t) => html`<option value=${t.table} ?selected=${t.table === p['x-codeTable']}>${t.title}（${t.table}）</option>`)}
        </select></div>` : nothing}
      <div class="prop-row checks">
        <label><input type="checkbox" id=${id('required')} .checked=${required} @change=${(e: Event) => { const on = (e.target as HTMLInputElement).checked; emit<SchemaEdit>(this, 'schema-edit', (s) => setRequired(s, this.name, on)); }} /> 必填（不填不能保存）</label>
        <label class="essential-label"><input type="checkbox" id=${id('essential')} .checked=${!!p['x-essential']} @change=${this.flag('x-essential')} /> ${t['x-essential']}（红色，完整度计入）</label>
        <label><input type="checkbox" id=${id('readonly')} .checked=${!!p['x-readOnly']} @change=${this.flag('x-readOnly')} /> ${t['x-readOnly']}</label>
        ${kind === 'date' ? html`<label><input type="checkbox" id=${id('notfuture')} .checked=${!!p['x-notFuture']} @change=${this.flag('x-notFuture')} /> ${t['x-notFuture']}</label>` : nothing}
      </div>
      ${kind === 'text' ? html`<div class="prop-row"><label for=${id('format')}>${t.format}</label>
        <select id=${id('format')} @change=${(e: Event) => this.edit((q) => setKeyword(q, 'format', (e.target as HTMLSelectElement).value))}>
          <option value="" ?selected=${!p.format}>（不限）</option>
          ${textFormats.map((f) => html`<option value=${f} ?selected=${p.format === f}>${this.formatTitle(f)}</option>`)}
        </select></div>` : nothing}
      ${isText ? html`<div class="prop-row"><label for=${id('pattern')}>${t.pattern}</label>
          <input id=${id('pattern')} class="mono" .value=${p.pattern ?? ''} placeholder="如 ^[0-9]{6}$" aria-describedby=${id('pattern-err')}
            aria-invalid=${this.patternError ? 'true' : 'false'} @change=${(e: Event) => this.setPattern((e.target as HTMLInputElement).value.trim())} />
          <span class="prop-help error-text" id=${id('pattern-err')}>${this.patternError}</span></div>
        <div class="prop-row"><label for=${id('pattern-msg')}>${t['x-messages']}</label>
          <input id=${id('pattern-msg')} .value=${p['x-messages']?.pattern ?? ''} placeholder="如 应为6位数字" @change=${(e: Event) => this.edit((q) => setMessage(q, 'pattern', (e.target as HTMLInputElement).value.trim()))} /></div>
        <div class="prop-row"><label for=${id('min')}>长度</label>
          <span class="prop-inline"><input id=${id('min')} type="number" min="0" class="short" aria-label=${t.minLength} .value=${p.minLength ?? ''} @change=${this.num('minLength')} /> 至
          <input id=${id('max')} type="number" min="0" class="short" aria-label=${t.maxLength} .value=${p.maxLength ?? ''} @change=${this.num('maxLength')} /> 字</span></div>` : nothing}
      ${kind === 'table' ? html`<div class="prop-row"><label for=${id('minItems')}>行数</label>
          <span class="prop-inline"><input id=${id('minItems')} type="number" min="0" class="short" aria-label=${t.minItems} .value=${p.minItems ?? ''} @change=${this.num('minItems')} /> 至
          <input id=${id('maxItems')} type="number" min="0" class="short" aria-label=${t.maxItems} .value=${p.maxItems ?? ''} @change=${this.num('maxItems')} /> 行</span></div>` : nothing}
      ${kind === 'number' ? html`<div class="prop-row"><label for=${id('minimum')}>范围</label>
          <span class="prop-inline"><input id=${id('minimum')} type="number" class="short" aria-label=${t.minimum} .value=${p.minimum ?? ''} @change=${this.num('minimum')} /> 至
          <input id=${id('maximum')} type="number" class="short" aria-label=${t.maximum} .value=${p.maximum ?? ''} @change=${this.num('maximum')} /></span></div>` : nothing}
      <div class="prop-row"><label for=${id('widget')}>${t['x-widget']}</label>
        <select id=${id('widget')} @change=${(e: Event) => this.edit((q) => {
          const w = (e.target as HTMLSelectElement).value;
          // textarea and node are kinds of their own: keep them unless the field is hidden.
          if (w || !['textarea', 'node'].includes(q['x-widget'])) setKeyword(q, 'x-widget', w);
        })}>
          ${widgetsFor(kind).map((w) => html`<option value=${w.id} ?selected=${(p['x-widget'] ?? '') === w.id || (!w.id && ['textarea', 'node'].includes(p['x-widget']))}>${w.label}</option>`)}
        </select></div>
      <div class="prop-row"><label for=${id('description')}>${t.description}</label>
        <textarea id=${id('description')} rows="2" .value=${p.description ?? ''} @change=${this.text('description')}></textarea></div>
      ${this.column ? nothing : html`<div class="prop-row danger">
        ${this.confirmRemove
          ? html`<span>删除「${p.title ?? this.name}」？已存储的值将从记录中移除（历史中保留）。</span>
              <button type="button" class="danger" @click=${() => emit(this, 'field-remove', this.name)}>确认删除</button>
              <button type="button" @click=${() => { this.confirmRemove = false; }}>取消</button>`
          : html`<button type="button" @click=${() => { this.confirmRemove = true; }}>删除字段</button>`}
      </div>`}
    </form>`;
  }
}
