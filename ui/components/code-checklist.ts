import { html, nothing } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import { LightElement, emit } from './light-element.js';

/**
 * Several codes chosen from a list by plain checkboxes (no Ctrl-click): closed, one line naming
 * what is chosen; opened, a search box over a short scrolling list of checkboxes. Announces every
 * change as `codes-change` (detail: the chosen codes, in the list's order).
 */
@customElement('caiji-code-checklist')
export class CodeChecklist extends LightElement {
  @property({ attribute: false }) choices: { code: string; label: string }[] = [];
  @property({ attribute: false }) value: string[] = [];
  /** The id of the summary button; each checkbox is `<inputId>-<code>`. */
  @property() inputId = '';
  /** What is being chosen, for assistive technology (e.g. 「0111 替代代码」). */
  @property() label = '';
  @property({ type: Boolean }) invalid = false;
  @state() private open = false;
  @state() private q = '';

  private toggle(code: string, on: boolean) {
    const chosen = new Set(this.value);
    if (on) chosen.add(code);
    else chosen.delete(code);
    emit(this, 'codes-change', this.choices.map((c) => c.code).filter((c) => chosen.has(c)));
  }

  override render() {
    const named = this.value.map((v) => this.choices.find((c) => c.code === v)?.label ?? v);
    const q = this.q.trim().toLowerCase();
    const shown = this.choices.filter((c) => !q || this.value.includes(c.code) || c.code.toLowerCase().includes(q) || c.label.toLowerCase().includes(q));
    return html`<button type="button" class="code-checklist-summary" id=${this.inputId} aria-expanded=${this.open ? 'true' : 'false'}
        aria-label=${`${this.label}：${named.length ? named.join('、') : '未选择'}`} aria-invalid=${this.invalid ? 'true' : 'false'}
        title=${named.join('、')} @click=${() => { this.open = !this.open; }}>
        <span class="code-checklist-chosen">${named.length ? named.join('、') : html`<span class="muted">选择…</span>`}</span><span aria-hidden="true">${this.open ? '▴' : '▾'}</span></button>
      ${this.open ? html`<div class="code-checklist-panel" role="group" aria-label=${this.label}>
        ${this.choices.length > 8 ? html`<input type="search" class="code-checklist-q" placeholder="查找代码或名称" aria-label=${`${this.label} 查找`} .value=${this.q}
          @input=${(e: Event) => { this.q = (e.target as HTMLInputElement).value; }}>` : nothing}
        <ul>${shown.map((c) => html`<li><label class="inline"><input type="checkbox" id=${`${this.inputId}-${c.code}`} .checked=${this.value.includes(c.code)}
          @change=${(e: Event) => this.toggle(c.code, (e.target as HTMLInputElement).checked)}>${c.label}（${c.code}）</label></li>`)}</ul>
        <button type="button" class="btn btn-small" @click=${() => { this.open = false; }}>完成</button>
      </div>` : nothing}`;
  }
}
