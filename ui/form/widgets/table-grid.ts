import { html, nothing, type PropertyValues, type TemplateResult } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import { LightElement, emit } from '../../components/light-element.js';
import '../../components/modal-dialog.js';
import { widgetFor, type InnerError } from '../registry.js';
import { columnsOf, rowsOf, rowHasData, withCell, rowSummary, rowAsks, type Column, type Row } from './table-columns.js';
import type { JsonSchema } from '../../api/types.js';
import type { RowHints } from '../../../engine/validation/form-hints.js';

/** More columns than this never fit inline: rows are edited in the row dialog. */
const MAX_INLINE_COLUMNS = 8;
/** Below this width (a narrow window) the table shows a summary per row and edits in the dialog. */
const MIN_INLINE_WIDTH = 640;

/**
 * A child table (an array of objects) as an editable grid: one row per item, one cell per column,
 * each cell the column's own widget from the registry. Rows are added, removed (confirmed when
 * they hold data) and reordered by buttons or Alt+↑/↓; per-cell errors come from the form's
 * evaluation (paths like /family/2/birthDate). When the table is too wide for its room, each row
 * shows a summary and is edited in a dialog with the columns as a vertical form. A column only a
 * row's condition asks for (if/then in items) is left out of that row — a dash in the grid, absent
 * from the dialog — until the condition holds, as the form does for fields.
 */
@customElement('caiji-table-grid')
export class TableGrid extends LightElement {
  @property({ attribute: false }) prop: JsonSchema = {};
  @property({ attribute: false }) value: unknown;
  /** Base of the ids: the cell of row i, column c is `${gridId}-${i}-${c}`, the row `${gridId}-${i}`. */
  @property() gridId = '';
  @property() labelId = '';
  /** The table's pointer in the record (/family): errors' paths start with it. */
  @property() basePath = '';
  @property() describedBy = '';
  @property({ type: Boolean }) disabled = false;
  /** Errors inside the table (rows and cells), as the form evaluated them. */
  @property({ attribute: false }) errors: InnerError[] = [];
  /** Which columns each row's conditions ask for (the form's validator); without them every column is asked. */
  @property({ attribute: false }) hints?: RowHints;
  @property({ attribute: false }) onSet: (rows: Row[] | undefined) => void = () => {};
  @property({ attribute: false }) onTouch: () => void = () => {};
  /** Cells the user has left (`row/column`): their errors show from then on. */
  @state() private touched = new Set<string>();
  /**
   * Rows added here since the form last showed every error (a save tried, 显示全部错误): the form's
   * show-all does not reach them — a row just added is not wrong yet, as an untouched field is
   * not — until the user leaves one of its cells or tries to save (revealAll).
   */
  @state() private fresh = new Set<number>();
  /** The rows this grid last handed to the form: any other value came from outside (a load, a save, a merge). */
  private written: unknown;
  @state() private narrow = false;
  /** The row open in the row dialog. */
  @state() private editing: number | null = null;
  /** The row whose removal waits for confirmation. */
  @state() private removing: number | null = null;
  private resize?: ResizeObserver;

  override connectedCallback() {
    super.connectedCallback();
    this.resize = new ResizeObserver(([entry]) => {
      const narrow = entry.contentRect.width < MIN_INLINE_WIDTH;
      if (narrow !== this.narrow) this.narrow = narrow;
    });
    this.resize.observe(this);
  }

  override disconnectedCallback() {
    super.disconnectedCallback();
    this.resize?.disconnect();
  }

  private get tableTitle(): string { return this.prop.title ?? ''; }
  private get columns(): Column[] { return columnsOf(this.prop); }
  private get rows(): Row[] { return rowsOf(this.value); }
  private get compact(): boolean { return this.narrow || this.columns.length > MAX_INLINE_COLUMNS; }

  private write(rows: Row[]) {
    this.written = rows.length ? rows : undefined;
    this.onSet(this.written as Row[] | undefined);
  }

  /** A save was tried (or the form shows every error now): rows added before it show their errors too. */
  revealAll() {
    if (this.fresh.size) this.fresh = new Set();
  }

  override willUpdate(changed: PropertyValues<this>) {
    // Rows replaced from outside are not the ones added here: none of them is new any more.
    if (changed.has('value') && this.value !== this.written) this.revealAll();
  }

  override updated(changed: PropertyValues) {
    // What is shown changed (a cell left, new rows revealed): the page's count of errors follows it.
    if (changed.has('touched') || changed.has('fresh')) emit(this, 'shown-errors-change');
  }

  /**
   * Whether an error (a pointer from the record) is one this grid keeps hidden although the form
   * shows every error: it is in a row just added and its cell (or row) has not been left. The
   * page counts only what is shown; a save still refuses it.
   */
  hides(path: string): boolean {
    if (!this.fresh.size || !path.startsWith(`${this.basePath}/`)) return false;
    const place = this.placeOf({ path, message: '', blocking: true, forced: true });
    return !!place && !this.shown({ path, message: '', blocking: true, forced: true }, place.row, place.column);
  }

  private setCell(i: number, column: string, v: unknown) {
    this.write(this.rows.map((r, j) => (j === i ? withCell(r, column, v) : r)));
  }

  private touch(i: number, column: string) {
    const key = `${i}/${column}`;
    if (!this.touched.has(key)) this.touched = new Set([...this.touched, key]);
    this.onTouch();
  }

  /** Touched cells and new rows after rows moved: `map(i)` is a row's new index, or -1 when it is gone. */
  private remapRows(map: (i: number) => number) {
    const next = new Set<string>();
    for (const key of this.touched) {
      const [i, column] = key.split('/');
      const j = map(Number(i));
      if (j >= 0) next.add(`${j}/${column}`);
    }
    this.touched = next;
    this.fresh = new Set([...this.fresh].map(map).filter((j) => j >= 0));
  }

  private async focusId(id: string) {
    await this.updateComplete;
    const el = this.querySelector<HTMLElement>(`[id="${id}"]`);
    el?.focus();
    return !!el;
  }

  private async add() {
    const rows = [...this.rows, {}];
    const i = rows.length - 1;
    this.fresh = new Set([...this.fresh, i]);
    this.write(rows);
    this.onTouch();
    if (this.compact) { this.editing = i; return; }
    // The new row renders once the form hands the value back: focus its first cell then.
    await this.updateComplete;
    requestAnimationFrame(() => void this.focusId(`${this.gridId}-${i}-${this.columns[0]?.name}`));
  }

  private askRemove(i: number) {
    if (rowHasData(this.rows[i])) this.removing = i;
    else void this.removeRow(i);
  }

  private async removeRow(i: number) {
    this.removing = null;
    const rows = this.rows.filter((_, j) => j !== i);
    this.remapRows((j) => (j === i ? -1 : j > i ? j - 1 : j));
    this.write(rows);
    this.onTouch();
    await this.updateComplete;
    // Focus stays in the table: the row now in this place, the one above, or 添加一行.
    const next = Math.min(i, rows.length - 1);
    requestAnimationFrame(() => void this.focusId(next >= 0 ? `${this.gridId}-${next}--remove` : `${this.gridId}-add`));
  }

  /** Moves row i by `by` (±1); focus follows the row to the control named by `focusSuffix`. */
  private async move(i: number, by: number, focusSuffix: string) {
    const j = i + by;
    const rows = [...this.rows];
    if (j < 0 || j >= rows.length) return;
    [rows[i], rows[j]] = [rows[j], rows[i]];
    this.remapRows((k) => (k === i ? j : k === j ? i : k));
    this.write(rows);
    await this.updateComplete;
    requestAnimationFrame(() => {
      // A move button that is disabled at the new place (top or bottom) hands focus to its twin.
      const edge = (focusSuffix === '-up' && j === 0) || (focusSuffix === '-down' && j === rows.length - 1);
      const suffix = edge ? (focusSuffix === '-up' ? '-down' : '-up') : focusSuffix;
      void this.focusId(`${this.gridId}-${j}${suffix}`);
    });
  }

  /** Alt+↑/↓ anywhere in a row moves it, the focused control with it. */
  private onRowKey(i: number, e: KeyboardEvent) {
    if (!e.altKey || (e.key !== 'ArrowUp' && e.key !== 'ArrowDown') || this.disabled) return;
    e.preventDefault();
    e.stopPropagation();
    const active = document.activeElement as HTMLElement | null;
    const prefix = `${this.gridId}-${i}`;
    const suffix = active?.id.startsWith(prefix) ? active.id.slice(prefix.length) : '';
    void this.move(i, e.key === 'ArrowUp' ? -1 : 1, suffix);
  }

  private errorsAt(path: string): InnerError[] {
    return this.errors.filter((e) => e.path === path);
  }

  /**
   * An error is shown once its cell was left, or when the form shows all or the server reported
   * it — except in a row just added, as long as the user has not tried to save.
   */
  private shown(e: InnerError, i: number, column?: string): boolean {
    return (e.forced && !this.fresh.has(i)) || (column ? this.touched.has(`${i}/${column}`) : [...this.touched].some((k) => k.startsWith(`${i}/`)));
  }

  private pathOf(i: number, column?: string) {
    return `${this.basePath}/${i}${column ? `/${column}` : ''}`;
  }

  /** The row an error inside the table belongs to, and its column when it is at a cell. */
  private placeOf(e: InnerError): { row: number; column?: string } | undefined {
    const m = /^\/(\d+)(?:\/([^/]+))?/.exec(e.path.slice(this.basePath.length));
    return m ? { row: Number(m[1]), column: m[2] } : undefined;
  }

  /** One cell's control (the column's widget) and its error; `idBase` tells grid and dialog apart. */
  private cell(i: number, row: Row, c: Column, idBase: string, labelled: boolean, required: boolean): TemplateResult {
    const id = `${idBase}-${c.name}`;
    const err = this.errorsAt(this.pathOf(i, c.name)).find((e) => this.shown(e, i, c.name));
    const w = widgetFor(c.prop);
    const label = `${this.tableTitle}第${i + 1}行${c.title}`;
    const control = w.render({
      name: `${this.gridId}-${i}-${c.name}`, prop: c.prop, value: row[c.name], id, describedBy: `${id}-err`, labelId: `${id}-label`,
      required, invalid: !!err, disabled: this.disabled,
      set: (v) => this.setCell(i, c.name, v), touch: () => this.touch(i, c.name),
    });
    return html`${labelled ? nothing : html`<label class="sr-only" id=${`${id}-label`} for=${w.group ? nothing : id}>${label}</label>`}
      ${control}
      <div class="field-error cell-error" id=${`${id}-err`} role="status" aria-live="polite">${err ? err.message : ''}</div>`;
  }

  /**
   * Errors not shown at a cell of the grid — a row's own (not an object, a rule over the row), a
   * column not shown inline, every error while rows are summarised — listed under the table.
   */
  private looseErrors(): InnerError[] {
    const inline = new Set(this.compact ? [] : this.columns.map((c) => c.name));
    return this.errors.filter((e) => {
      const at = this.placeOf(e);
      if (at?.column && inline.has(at.column) && at.row < this.rows.length) return false;
      return at ? this.shown(e, at.row, at.column && inline.has(at.column) ? at.column : undefined) : e.forced;
    });
  }

  private rowButtons(i: number, count: number): TemplateResult {
    const p = `${this.gridId}-${i}`;
    return html`<div class="row-ops">
      <button type="button" class="btn-link" id=${`${p}-edit`} @click=${() => { this.editing = i; }}
        aria-label=${`编辑第${i + 1}行`} title="在对话框中编辑本行">编辑</button>
      <button type="button" class="btn-link" id=${`${p}-up`} ?disabled=${this.disabled || i === 0} aria-label=${`第${i + 1}行上移`}
        title="上移（Alt+↑）" @click=${() => this.move(i, -1, '-up')}>上移</button>
      <button type="button" class="btn-link" id=${`${p}-down`} ?disabled=${this.disabled || i === count - 1} aria-label=${`第${i + 1}行下移`}
        title="下移（Alt+↓）" @click=${() => this.move(i, 1, '-down')}>下移</button>
      <button type="button" class="btn-danger-link" id=${`${p}--remove`} ?disabled=${this.disabled} aria-label=${`删除第${i + 1}行`}
        @click=${() => this.askRemove(i)}>删除</button>
    </div>`;
  }

  /** A row's cells inline: a column the row's conditions do not ask for (yet) shows a dash. */
  private cells(i: number, row: Row, columns: Column[]): TemplateResult[] {
    const { asked, required } = rowAsks(this.hints, columns, row);
    return columns.map((c) => (asked.has(c.name)
      ? html`<td class="cell" data-column=${c.name}>${this.cell(i, row, c, `${this.gridId}-${i}`, false, required.has(c.name))}</td>`
      : html`<td class="cell not-asked" data-column=${c.name}><span class="muted" title=${`本行不填「${c.title}」（条件不满足）`}>—</span></td>`));
  }

  private renderRow(i: number, row: Row, count: number): TemplateResult {
    const columns = this.columns;
    const rowErrors = this.errors.filter((e) => e.path.startsWith(`${this.pathOf(i)}/`) || e.path === this.pathOf(i));
    const flagged = rowErrors.some((e) => this.shown(e, i));
    return html`<tr id=${`${this.gridId}-${i}`} tabindex="-1" class=${flagged ? 'has-error' : ''} aria-label=${`第${i + 1}行`}
        @keydown=${{ handleEvent: (e: KeyboardEvent) => this.onRowKey(i, e), capture: true }}>
      <th scope="row" class="row-no">${i + 1}</th>
      ${this.compact
        ? html`<td class="row-summary">${rowSummary(columns, row) || html`<span class="muted">（空行）</span>`}
            ${flagged ? html`<span class="row-flag">有 ${rowErrors.length} 处需更正</span>` : nothing}</td>`
        : this.cells(i, row, columns)}
      <td class="row-ops-cell">${this.rowButtons(i, count)}</td>
    </tr>`;
  }

  private renderDialog(): TemplateResult | typeof nothing {
    const i = this.editing;
    const row = i === null ? undefined : this.rows[i];
    if (i === null || !row) return nothing;
    const base = `${this.gridId}-dlg`;
    const { asked, required } = rowAsks(this.hints, this.columns, row);
    // Only the columns this row asks for now: one appears once its condition holds.
    const body = html`<div class="row-dialog-form">${this.columns.filter((c) => asked.has(c.name)).map((c) => {
      const id = `${base}-${c.name}`;
      const w = widgetFor(c.prop);
      const err = this.errorsAt(this.pathOf(i, c.name)).some((e) => this.shown(e, i, c.name));
      return html`<div class="field ${err ? 'has-error' : ''}">
        <label class="field-label" id=${`${id}-label`} for=${w.group ? nothing : id}>${required.has(c.name) ? html`<span class="req" aria-hidden="true">*</span>` : nothing}${c.title}</label>
        <div class="field-control">${this.cell(i, row, c, base, true, required.has(c.name))}</div>
      </div>`;
    })}</div>`;
    const done = () => this.querySelector<HTMLElement & { close(): void }>('caiji-dialog.row-dialog')?.close();
    return html`<caiji-dialog class="row-dialog" heading=${`${this.tableTitle} 第${i + 1}行`} .body=${body}
      .footer=${html`<button type="button" class="btn btn-primary" @click=${done}>完成</button>`}
      @close=${(e: Event) => { e.stopPropagation(); this.closeDialog(i); }}></caiji-dialog>`;
  }

  private async closeDialog(i: number) {
    // Everything in the dialog counts as visited: its errors show in the row from now on.
    const touched = new Set(this.touched);
    for (const c of this.columns) touched.add(`${i}/${c.name}`);
    this.touched = touched;
    this.editing = null;
    this.onTouch();
    await this.focusId(`${this.gridId}-${i}-edit`);
  }

  private renderConfirm(): TemplateResult | typeof nothing {
    const i = this.removing;
    if (i === null || !this.rows[i]) return nothing;
    const dlg = () => this.querySelector<HTMLElement & { close(): void }>('caiji-dialog.confirm-dialog');
    return html`<caiji-dialog class="confirm-dialog" heading="删除一行"
      .body=${html`<p>删除「${this.tableTitle}」第${i + 1}行（${rowSummary(this.columns, this.rows[i])}）吗？</p>`}
      .footer=${html`<button type="button" class="btn btn-primary" @click=${() => { this.removing = null; void this.removeRow(i); }}>删除</button>
        <button type="button" class="btn" @click=${() => dlg()?.close()}>取消</button>`}
      @close=${(e: Event) => { e.stopPropagation(); if (this.removing !== null) { this.removing = null; void this.focusId(`${this.gridId}-${i}--remove`); } }}></caiji-dialog>`;
  }

  override render() {
    const rows = this.rows;
    const columns = this.columns;
    const max = typeof this.prop.maxItems === 'number' ? this.prop.maxItems : Infinity;
    const loose = this.looseErrors();
    return html`<div class="table-grid ${this.compact ? 'compact' : ''}">
      ${rows.length ? html`<div class="table-wrap">
        <table class="data-table child-table" aria-labelledby=${this.labelId} aria-describedby=${this.describedBy}>
          <thead><tr><th scope="col" class="row-no">序号</th>
            ${this.compact ? html`<th scope="col">内容</th>`
              : columns.map((c) => html`<th scope="col">${c.required ? html`<span class="req" aria-hidden="true">*</span>` : nothing}${c.title}</th>`)}
            <th scope="col" class="row-ops-cell">操作</th></tr></thead>
          <tbody>${rows.map((r, i) => this.renderRow(i, r, rows.length))}</tbody>
        </table></div>`
        : html`<p class="table-empty">暂无，点击「添加一行」</p>`}
      ${loose.length ? html`<ul class="field-error table-errors" role="status">${loose.map((e) => html`<li>${e.message}</li>`)}</ul>` : nothing}
      <div class="table-foot">
        <button type="button" class="btn btn-small" id=${`${this.gridId}-add`} ?disabled=${this.disabled || rows.length >= max} @click=${this.add}>添加一行</button>
        ${rows.length ? html`<span class="muted table-hint">共 ${rows.length} 行${max < Infinity ? `，最多 ${max} 行` : ''}；Alt+↑/↓ 移动所在行</span>` : nothing}
      </div>
      ${this.renderDialog()}${this.renderConfirm()}
    </div>`;
  }
}
