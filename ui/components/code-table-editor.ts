import { html, nothing } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import { LightElement, emit } from './light-element.js';
import type { CodeEntry, FieldError } from '../api/types.js';
import './code-checklist.js';
import '../styles/code-table-editor.css';

/** One row of the editor: the entry being edited and whether it was added in this edit. */
export interface CodeRow { entry: CodeEntry; added: boolean }

const today = () => new Date().toISOString().slice(0, 10);

/** The rows to edit, from a table's codes. */
export const editRows = (codes: CodeEntry[]): CodeRow[] => codes.map((c) => ({ entry: structuredClone(c), added: false }));

/** The codes as saved: trimmed, without empty optional properties (the format refuses them). */
export function cleanCodes(rows: CodeRow[]): CodeEntry[] {
  return rows.map(({ entry }) => {
    const c: CodeEntry = { ...entry, code: entry.code.trim(), label: entry.label.trim() };
    if (!c.deprecated) { delete c.deprecated; delete c.replacedBy; }
    else if (!c.replacedBy?.length) delete c.replacedBy;
    if (!c.provisional) delete c.provisional;
    if (!c.labelPending) delete c.labelPending;
    if (!c.note?.trim()) delete c.note;
    if (!c.parent) delete c.parent;
    return c;
  });
}

/** The row index a detail path such as /codes/3/replacedBy names, or null. */
export function rowOf(path: string): number | null {
  const m = /^\/codes\/(\d+)(?:\/|$)/.exec(path);
  return m ? Number(m[1]) : null;
}

/**
 * A code table's rows as an editing grid, shared by the 代码表 page and the config studio: labels,
 * new codes (with a parent in a tree table), 停用 with its date and 替代代码, 待核实 and 名称待核实,
 * a note; a code that records hold cannot be deleted (deprecate it instead). Controlled: it shows
 * `rows` and announces every edit as `rows-change` (detail: the new rows); the page saves.
 * Errors whose path names a row (/codes/<i>/…) are shown at that row; a search narrows long
 * tables, and added rows, rows with errors and the focused row stay in sight.
 */
@customElement('caiji-code-table-editor')
export class CodeTableEditor extends LightElement {
  @property({ attribute: false }) rows: CodeRow[] = [];
  /** Records using each code (config admins), when known. */
  @property({ attribute: false }) usage?: Map<string, number>;
  @property({ attribute: false }) errors: FieldError[] = [];
  @property({ type: Boolean }) busy = false;
  /** A row to bring into view and mark (e.g. from a check problem's link), or -1. */
  @property({ type: Number }) focusRow = -1;
  @state() private q = '';

  private set(rows: CodeRow[]) {
    emit(this, 'rows-change', rows);
  }

  private change(i: number, patch: Partial<CodeEntry>) {
    const d = [...this.rows];
    const entry: CodeEntry = { ...d[i].entry, ...patch };
    for (const [k, v] of Object.entries(patch)) if (v === undefined) delete (entry as unknown as Record<string, unknown>)[k];
    d[i] = { ...d[i], entry };
    this.set(d);
  }

  private add() {
    this.set([...this.rows, { entry: { code: '', label: '' }, added: true }]);
    const last = this.rows.length;
    this.updateComplete.then(() => (this.querySelector(`#code-${last}-code`) as HTMLInputElement | null)?.focus());
  }

  override updated(changed: Map<string, unknown>) {
    if (changed.has('focusRow') && this.focusRow >= 0) {
      const tr = this.querySelector(`tr[data-row="${this.focusRow}"]`);
      tr?.scrollIntoView({ block: 'center' });
      (tr?.querySelector('input:not([type=checkbox]), select, input') as HTMLElement | null)?.focus();
    }
  }

  /** The search box's test: code or name contains what was typed (everything when it is empty). */
  private found(c: CodeEntry) {
    const q = this.q.trim().toLowerCase();
    return !q || c.code.toLowerCase().includes(q) || c.label.toLowerCase().includes(q);
  }

  override render() {
    const rows = this.rows;
    const tree = rows.some((r) => r.entry.parent);
    const current = rows.filter((r) => !r.entry.deprecated && r.entry.code.trim());
    const usage = this.usage;
    const shown = new Set(rows.flatMap((r, i) => (r.added || i === this.focusRow || this.found(r.entry) || this.errors.some((e) => rowOf(e.path) === i) ? [i] : [])));
    return html`<div class="filters"><label for="code-edit-q">查找</label><input id="code-edit-q" type="search" placeholder="代码或名称" .value=${this.q}
        @input=${(e: Event) => { this.q = (e.target as HTMLInputElement).value; }}><span class="muted">显示 ${shown.size} / ${rows.length} 项（新加的和有错误的行总是显示）</span></div>
      <div class="table-wrap"><table class="data-table edit-table code-edit-table">
        <thead><tr><th scope="col">序号</th><th scope="col">代码</th><th scope="col">名称</th>${tree ? html`<th scope="col">上级代码</th>` : nothing}<th scope="col">停用</th><th scope="col">替代代码</th>
          <th scope="col">待核实</th><th scope="col">说明</th>${usage ? html`<th scope="col">使用记录数</th>` : nothing}<th scope="col">操作</th></tr></thead>
        <tbody>${rows.map((r, i) => (shown.has(i) ? this.editRow(r, i, current, tree) : nothing))}</tbody>
      </table></div>
      <div class="toolbar"><button type="button" class="btn" ?disabled=${this.busy} @click=${() => this.add()}>添加代码</button></div>`;
  }

  private editRow(r: CodeRow, i: number, current: CodeRow[], tree: boolean) {
    const c = r.entry;
    const errs = this.errors.filter((e) => rowOf(e.path) === i);
    const errAt = (prop: string) => errs.some((e) => e.path === `/codes/${i}/${prop}`);
    const used = r.added ? 0 : this.usage?.get(c.code) ?? 0;
    const id = (p: string) => `code-${i}-${p}`;
    const name = c.code || `第${i + 1}行`;
    const choices = current.filter((x) => x.entry.code !== c.code);
    const cls = [c.deprecated ? 'off' : '', errs.length ? 'has-error' : '', i === this.focusRow ? 'focused' : ''].filter(Boolean).join(' ');
    return html`<tr class=${cls} data-code=${c.code} data-row=${i}>
        <td class="num">${i + 1}</td>
        <td>${r.added ? html`<input id=${id('code')} class="code-input" aria-label=${`第${i + 1}行代码`} .value=${c.code} aria-invalid=${errAt('code') ? 'true' : 'false'}
            @input=${(e: Event) => this.change(i, { code: (e.target as HTMLInputElement).value })}>` : html`<code>${c.code}</code>`}</td>
        <td><input id=${id('label')} class="label-input" aria-label=${`${name} 名称`} .value=${c.label} aria-invalid=${errAt('label') ? 'true' : 'false'}
            @input=${(e: Event) => this.change(i, { label: (e.target as HTMLInputElement).value })}></td>
        ${tree ? html`<td>${r.added ? html`<select id=${id('parent')} aria-label=${`${name} 上级代码`} aria-invalid=${errAt('parent') ? 'true' : 'false'}
            @change=${(e: Event) => this.change(i, { parent: (e.target as HTMLSelectElement).value || undefined })}>
            <option value="" ?selected=${!c.parent}>（无）</option>
            ${this.rows.filter((x) => x.entry.code.trim() && x.entry.code !== c.code).map((x) => html`<option value=${x.entry.code} ?selected=${c.parent === x.entry.code}>${x.entry.code} ${x.entry.label}</option>`)}
          </select>` : c.parent ?? ''}</td>` : nothing}
        <td class="deprecation"><label class="inline"><input type="checkbox" id=${id('off')} .checked=${!!c.deprecated}
            @change=${(e: Event) => this.change(i, (e.target as HTMLInputElement).checked ? { deprecated: c.deprecated ?? today() } : { deprecated: undefined, replacedBy: undefined })}>停用</label>
          ${c.deprecated ? html`<input type="date" id=${id('date')} aria-label=${`${name} 停用日期`} .value=${c.deprecated} aria-invalid=${errAt('deprecated') ? 'true' : 'false'}
            @change=${(e: Event) => this.change(i, { deprecated: (e.target as HTMLInputElement).value || today() })}>` : nothing}</td>
        <td class="replaced-by">${c.deprecated ? html`<caiji-code-checklist inputId=${id('replacedBy')} label=${`${name} 替代代码（可多选）`} ?invalid=${errAt('replacedBy')}
            .choices=${choices.map((x) => ({ code: x.entry.code, label: x.entry.label }))} .value=${c.replacedBy ?? []}
            @codes-change=${(e: CustomEvent<string[]>) => this.change(i, { replacedBy: e.detail })}></caiji-code-checklist>` : html`<span class="muted">—</span>`}</td>
        <td><label class="inline"><input type="checkbox" id=${id('provisional')} .checked=${!!c.provisional}
            @change=${(e: Event) => this.change(i, { provisional: (e.target as HTMLInputElement).checked || undefined })}>待核实</label>
          <label class="inline" title="名称未经官方确认：表单和打印不显示这里的名称，只显示代码与“名称待核实”"><input type="checkbox" id=${id('labelPending')} .checked=${!!c.labelPending}
            @change=${(e: Event) => this.change(i, { labelPending: (e.target as HTMLInputElement).checked || undefined })}>名称待核实</label></td>
        <td><input id=${id('note')} class="note-input" aria-label=${`${name} 说明`} .value=${c.note ?? ''} placeholder=${c.provisional ? '如：代码待官方代码表核实' : ''}
            @input=${(e: Event) => this.change(i, { note: (e.target as HTMLInputElement).value })}></td>
        ${this.usage ? html`<td class="num">${used}</td>` : nothing}
        <td class="row-actions">${used
          // Compact: the why is the button's tooltip and, for screen readers, a hidden description.
          ? html`<button type="button" class="btn btn-small" disabled aria-describedby=${id('why')} title=${`有 ${used} 条记录使用，不能删除；请停用并指定替代代码`}>删除</button>
              <span class="blocked-why sr-only" id=${id('why')}>有 ${used} 条记录使用，不能删除</span>`
          : html`<button type="button" class="btn btn-small" aria-label=${`删除 ${name}`} ?disabled=${this.busy} @click=${() => this.set(this.rows.filter((_, j) => j !== i))}>删除</button>`}</td>
      </tr>
      ${errs.length ? html`<tr class="row-error"><td></td><td colspan="9" role="alert">${errs.map((e) => html`<div class="field-error">${e.message}</div>`)}</td></tr>` : nothing}`;
  }
}
