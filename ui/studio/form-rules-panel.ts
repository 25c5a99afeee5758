import { html, nothing } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import { LightElement, emit } from '../components/light-element.js';
import { designFields, kindOf, type Json } from './form-schema.js';
import { conditionalSentence, requiredWhenEntry, requiredWhenOf, xRuleSentence, type Namer, type RequiredWhen } from './form-rules.js';
import type { SchemaEdit } from './form-properties.js';

export interface CodeOption { code: string; label: string; deprecated?: string }

/**
 * The schema's rules in words: every `allOf` condition and every `x-rules` entry as a sentence;
 * the required-when-equals form ("当【A】为「v」时，【B】必填") added and edited here, any rule
 * removed here; other forms are edited in the JSON view. Emits `schema-edit`.
 */
@customElement('caiji-studio-form-rules')
export class StudioFormRules extends LightElement {
  @property({ attribute: false }) schema: Json = {};
  /** Code tables by name (the draft's), for values in words and to choose from. */
  @property({ attribute: false }) codes = new Map<string, CodeOption[]>();
  /** The allOf index being edited, -1 for a new rule, null when the editor is closed. */
  @state() private editing: number | null = null;
  @state() private draft: RequiredWhen = { field: '', value: true, then: [] };
  @state() private problem = '';

  get namer(): Namer {
    const props = this.schema.properties ?? {};
    return {
      title: (f) => props[f]?.title ?? f,
      value: (f, v) => {
        const p = props[f];
        if (typeof v === 'boolean') return v ? '是' : '否';
        const table = p?.['x-codeTable'];
        return (table && this.codes.get(table)?.find((c) => c.code === v)?.label) || String(v);
      },
    };
  }

  private change(fn: SchemaEdit) {
    emit<SchemaEdit>(this, 'schema-edit', fn);
  }

  private open(index: number) {
    const existing = index >= 0 ? requiredWhenOf(this.schema.allOf?.[index]) : null;
    const fields = designFields(this.schema);
    const first = fields.find((f) => kindOf(f.prop) === 'boolean') ?? fields[0];
    this.draft = existing ?? { field: first?.name ?? '', value: true, then: [] };
    this.editing = index;
    this.problem = '';
  }

  private save() {
    const r = this.draft;
    if (!r.field || !r.then.length) { this.problem = '请选择条件字段和须必填的字段'; return; }
    if (r.then.includes(r.field)) { this.problem = '条件字段本身不能是须必填的字段'; return; }
    const index = this.editing!;
    this.change((s) => {
      s.allOf = [...(s.allOf ?? [])];
      if (index >= 0) s.allOf[index] = requiredWhenEntry(r);
      else s.allOf.push(requiredWhenEntry(r));
    });
    this.editing = null;
  }

  private valueControl() {
    const p = this.schema.properties?.[this.draft.field];
    const set = (v: string | boolean) => { this.draft = { ...this.draft, value: v }; };
    if (!p) return nothing;
    const kind = kindOf(p);
    if (kind === 'boolean') {
      return html`<select id="rule-value" aria-label="条件的值" @change=${(e: Event) => set((e.target as HTMLSelectElement).value === 'true')}>
        <option value="true" ?selected=${this.draft.value === true}>是</option><option value="false" ?selected=${this.draft.value === false}>否</option></select>`;
    }
    const codes = kind === 'code' ? this.codes.get(p['x-codeTable']) : undefined;
    if (codes) {
      return html`<select id="rule-value" aria-label="条件的值" @change=${(e: Event) => set((e.target as HTMLSelectElement).value)}>
        ${codes.some((c) => c.code === this.draft.value) ? nothing : html`<option value="" selected>（请选择）</option>`}
        ${codes.filter((c) => !c.deprecated).map((c) => html`<option value=${c.code} ?selected=${c.code === this.draft.value}>${c.label}</option>`)}</select>`;
    }
    return html`<input id="rule-value" aria-label="条件的值" .value=${String(this.draft.value)} @change=${(e: Event) => set((e.target as HTMLInputElement).value)} />`;
  }

  private editor() {
    const fields = designFields(this.schema);
    return html`<div class="rule-editor" role="group" aria-label="编辑条件必填规则">
      <span>当</span>
      <select id="rule-field" aria-label="条件字段" @change=${(e: Event) => {
        const field = (e.target as HTMLSelectElement).value;
        const kind = kindOf(this.schema.properties[field]);
        this.draft = { ...this.draft, field, value: kind === 'boolean' ? true : '' };
      }}>${fields.map((f) => html`<option value=${f.name} ?selected=${f.name === this.draft.field}>${f.title}</option>`)}</select>
      <span>为</span>${this.valueControl()}<span>时，</span>
      <select id="rule-then" multiple size="5" aria-label="须必填的字段（可多选）" @change=${(e: Event) => {
        this.draft = { ...this.draft, then: [...(e.target as HTMLSelectElement).selectedOptions].map((o) => o.value) };
      }}>${fields.filter((f) => f.name !== this.draft.field).map((f) => html`<option value=${f.name} ?selected=${this.draft.then.includes(f.name)}>${f.title}</option>`)}</select>
      <span>必填</span>
      <span class="rule-preview">${this.draft.field && this.draft.then.length ? conditionalSentence(this.namer, requiredWhenEntry(this.draft)) : ''}</span>
      ${this.problem ? html`<p class="error-text" role="alert">${this.problem}</p>` : nothing}
      <div class="toolbar"><button type="button" class="primary" @click=${() => this.save()}>保存规则</button>
        <button type="button" @click=${() => { this.editing = null; }}>取消</button></div>
    </div>`;
  }

  override render() {
    const n = this.namer;
    const allOf: Json[] = this.schema.allOf ?? [];
    const rules: Json[] = this.schema['x-rules'] ?? [];
    return html`<section class="rules-panel" aria-label="规则">
      <h3 class="panel-title">条件规则</h3>
      <ol class="rule-list">
        ${allOf.map((e, i) => {
          const s = conditionalSentence(n, e);
          return html`<li class="rule" data-rule=${`allOf/${i}`}>
            <span class="rule-text">${s ?? html`<span class="muted">此条件形式请在 JSON 中查看：</span><code>${JSON.stringify(e)}</code>`}</span>
            ${requiredWhenOf(e) ? html`<button type="button" @click=${() => this.open(i)} aria-label=${`编辑：${s}`}>编辑</button>` : nothing}
            <button type="button" @click=${() => this.change((x) => { x.allOf = x.allOf.filter((_: unknown, j: number) => j !== i); if (!x.allOf.length) delete x.allOf; })} aria-label=${`删除：${s ?? '这条规则'}`}>删除</button>
          </li>`;
        })}
        ${allOf.length ? nothing : html`<li class="muted">（没有条件规则）</li>`}
      </ol>
      ${this.editing === null ? html`<button type="button" @click=${() => this.open(-1)}>添加条件必填规则</button>` : this.editor()}
      <h3 class="panel-title">跨字段规则</h3>
      <ol class="rule-list">
        ${rules.map((r, i) => html`<li class="rule" data-rule=${`x-rules/${i}`}><span class="rule-text">${xRuleSentence(n, r)}</span>
          <button type="button" @click=${() => this.change((x) => { x['x-rules'] = x['x-rules'].filter((_: unknown, j: number) => j !== i); if (!x['x-rules'].length) delete x['x-rules']; })} aria-label=${`删除：${xRuleSentence(n, r)}`}>删除</button></li>`)}
        ${rules.length ? nothing : html`<li class="muted">（没有跨字段规则）</li>`}
      </ol>
      <p class="muted small">日期先后、年龄与证件号码一致等跨字段规则可在「JSON」中添加（写法见 forms/README.md 的 x-rules）。</p>
    </section>`;
  }
}
