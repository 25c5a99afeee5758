import { html, nothing } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import { LightElement, emit } from './light-element.js';
import type { CodeEntry } from '../api/types.js';

let seq = 0;
const MAX_SHOWN = 200;

/**
 * The codes matching `q` (lower case), best first, so that Enter takes the likeliest one: an exact
 * label or code, then labels or codes starting with `q`, then labels containing it — each group in
 * the table's (code) order. 「母」 puts 母亲 before 父母, 「52」 picks code 52.
 */
function rankMatches(codes: CodeEntry[], q: string): CodeEntry[] {
  const rank = (c: CodeEntry): number => {
    const label = c.label.toLowerCase();
    const code = c.code.toLowerCase();
    if (label === q || code === q) return 0;
    if (label.startsWith(q) || code.startsWith(q)) return 1;
    return label.includes(q) ? 2 : -1;
  };
  const groups: CodeEntry[][] = [[], [], []];
  for (const c of codes) {
    const r = rank(c);
    if (r >= 0) groups[r].push(c);
  }
  return groups.flat();
}

/**
 * A searchable select over a code table (ARIA combobox): type part of a label or code, move
 * with the arrow keys, Enter chooses (the best match is first: see rankMatches). Only current codes are offered: a deprecated code is listed
 * only when it is the stored value (marked 已停用 with its replacements named, not choosable
 * again). Fires `value-change` with the code.
 */
@customElement('caiji-code-select')
export class CodeSelect extends LightElement {
  @property({ attribute: false }) codes: CodeEntry[] = [];
  @property() value = '';
  @property() inputId = `code-select-${++seq}`;
  @property() describedBy = '';
  @property({ type: Boolean }) invalid = false;
  @property({ type: Boolean }) required = false;
  @property({ type: Boolean }) disabled = false;
  @state() private open = false;
  @state() private query = '';
  @state() private active = 0;

  private get listId() { return `${this.inputId}-list`; }

  private get filtered(): CodeEntry[] {
    const q = this.query.trim().toLowerCase();
    const offered = this.codes.filter((c) => !c.deprecated || c.code === this.value);
    const hits = q ? rankMatches(offered, q) : offered;
    // Current codes first; the stored deprecated value (if any) last, marked, so people understand it.
    return [...hits.filter((c) => !c.deprecated), ...hits.filter((c) => c.deprecated)].slice(0, MAX_SHOWN);
  }

  private display(): string {
    const c = this.codes.find((x) => x.code === this.value);
    return c ? `${c.label}  ${c.code}` : this.value;
  }

  private show() {
    if (this.disabled || this.open) return;
    this.open = true;
    this.query = '';
    const i = this.filtered.findIndex((c) => c.code === this.value);
    this.active = Math.max(0, i);
  }

  private choose(c: CodeEntry | undefined) {
    if (!c || c.deprecated) return;
    this.open = false;
    this.query = '';
    if (c.code !== this.value) {
      this.value = c.code;
      emit(this, 'value-change', c.code);
    }
  }

  private close() {
    // Emptied text means "no value"; anything else typed but not chosen is dropped.
    if (this.open && this.query === '' && this.input?.value === '' && this.value) {
      this.value = '';
      emit(this, 'value-change', '');
    }
    this.open = false;
    this.query = '';
  }

  /** The replacements of a deprecated code, named: 「label（code）、…」. */
  private replacements(c: CodeEntry): string {
    return (c.replacedBy ?? []).map((r) => { const x = this.codes.find((y) => y.code === r); return x ? `${x.label}（${r}）` : r; }).join('、');
  }

  private get input() { return this.querySelector('input'); }

  private onKey(e: KeyboardEvent) {
    const m = this.filtered;
    if (e.key === 'ArrowDown' || e.key === 'ArrowUp') {
      e.preventDefault();
      if (!this.open) return this.show();
      const step = e.key === 'ArrowDown' ? 1 : -1;
      this.active = (this.active + step + m.length) % Math.max(1, m.length);
      this.updateComplete.then(() => this.querySelector(`#${this.listId}-${this.active}`)?.scrollIntoView({ block: 'nearest' }));
    } else if (e.key === 'Enter') {
      if (this.open) { e.preventDefault(); this.choose(m[this.active]); }
    } else if (e.key === 'Escape') {
      if (this.open) { e.preventDefault(); this.open = false; this.query = ''; }
    } else if (e.key === 'Tab') {
      this.close();
    }
  }

  override render() {
    const m = this.open ? this.filtered : [];
    const activeId = this.open && m.length ? `${this.listId}-${this.active}` : '';
    const current = this.codes.find((x) => x.code === this.value);
    return html`<div class="combo ${this.open ? 'open' : ''}">
      <input type="text" id=${this.inputId} role="combobox" autocomplete="off" aria-autocomplete="list"
        aria-expanded=${this.open ? 'true' : 'false'} aria-controls=${this.listId} aria-activedescendant=${activeId || nothing}
        aria-invalid=${this.invalid ? 'true' : 'false'} aria-describedby=${this.describedBy} ?required=${this.required}
        ?disabled=${this.disabled} placeholder="--请选择（可输入名称或代码查找）--"
        .value=${this.open ? this.query : this.display()}
        @focus=${() => this.show()} @click=${() => this.show()}
        @input=${(e: Event) => { this.open = true; this.query = (e.target as HTMLInputElement).value; this.active = 0; }}
        @keydown=${this.onKey} @blur=${() => setTimeout(() => { if (!this.contains(document.activeElement)) this.close(); }, 120)}>
      ${current?.deprecated && !this.open ? html`<span class="tag tag-off" title=${current.replacedBy?.length ? `已停用，改用 ${this.replacements(current)}` : '已停用'}>已停用</span>` : nothing}
      <ul class="combo-list" role="listbox" id=${this.listId} ?hidden=${!this.open} aria-label="可选代码">
        ${m.map((c, i) => html`<li role="option" id=${`${this.listId}-${i}`} class=${i === this.active ? 'active' : ''}
            aria-selected=${c.code === this.value ? 'true' : 'false'} aria-disabled=${c.deprecated ? 'true' : 'false'}
            @mousedown=${(e: Event) => { e.preventDefault(); this.choose(c); }}>
          <span class="opt-label">${c.label}</span><span class="opt-code">${c.code}</span>
          ${c.deprecated ? html`<span class="tag tag-off">已停用</span>${c.replacedBy?.length ? html`<span class="opt-replaced">改用 ${this.replacements(c)}</span>` : nothing}` : nothing}
          ${c.provisional ? html`<span class="tag tag-warn">待核实</span>` : nothing}
        </li>`)}
        ${this.open && !m.length ? html`<li class="empty" role="option" aria-disabled="true">无匹配的代码</li>` : nothing}
      </ul>
    </div>`;
  }
}
