import { html, nothing } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import { LightElement, emit } from '../components/light-element.js';
import type { FieldError } from '../api/types.js';
import { checkJson } from './shell-json.js';

/** The syntax problem of a text, '' when it is JSON (the studio's one JSON check: line and column). */
const jsonSyntaxProblem = (text: string): string => {
  const r = checkJson(text);
  return r.ok ? '' : r.message;
};

/**
 * The schema document as text, for power users: checked as typed (syntax errors with line and
 * column, before anything is saved), applied with 应用 (one draft save), the server's check
 * problems of the document listed after a save. Emits `json-apply` (the text) and `json-dirty`.
 */
@customElement('caiji-studio-form-json')
export class StudioFormJson extends LightElement {
  /** The document as saved in the draft. */
  @property() text = '';
  @property() path = '';
  @property({ attribute: false }) problems: FieldError[] = [];
  @state() private edited: string | null = null;
  @state() private syntax = '';

  get dirty() { return this.edited !== null && this.edited !== this.text; }

  private input(value: string) {
    this.edited = value;
    this.syntax = jsonSyntaxProblem(value);
    emit(this, 'json-dirty', this.dirty);
  }

  /** Drops the typed text (after it was saved, or on request). */
  reset() {
    this.edited = null;
    this.syntax = '';
    emit(this, 'json-dirty', false);
  }

  override render() {
    const value = this.edited ?? this.text;
    return html`<section class="json-view" aria-label="JSON">
      <p class="muted small">${this.path}：直接编辑架构文档，输入时检查语法，「应用」后保存到草稿并由服务器检查。</p>
      ${this.problems.length ? html`<h4 class="small">服务器检查（已保存的文档）</h4><ul class="prop-problems" role="alert">${this.problems.map((p) => html`<li>${p.message}</li>`)}</ul>` : nothing}
      <textarea id="schema-json" class="mono json-text" spellcheck="false" aria-describedby="json-syntax" aria-invalid=${this.syntax ? 'true' : 'false'}
        .value=${value} @input=${(e: Event) => this.input((e.target as HTMLTextAreaElement).value)}></textarea>
      <p id="json-syntax" class="${this.syntax ? 'error-text' : 'ok-text'}" role="status">${this.syntax || (this.dirty ? '语法正确（尚未应用）' : '')}</p>
      <div class="toolbar">
        <button type="button" class="primary" ?disabled=${!this.dirty || !!this.syntax} @click=${() => emit(this, 'json-apply', this.edited)}>应用</button>
        <button type="button" ?disabled=${!this.dirty} @click=${() => this.reset()}>放弃修改</button>
      </div>
    </section>`;
  }
}
