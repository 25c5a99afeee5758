import { html, nothing } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import { LightElement } from '../components/light-element.js';
import { ApiError } from '../api/client.js';
import { draftStore } from './draft-store.js';
import { DraftPreview, draftDocumentUrl, type TemplateDoc } from './template-records.js';
import './template-records.js';

/** The parts of an xlsx layout the grid edits (templates/README.md: every key); the rest is kept as it is. */
interface Cell { value?: string; span?: number; rowSpan?: number; style?: string | string[]; when?: string; [k: string]: unknown }
interface Row { cells: Cell[]; height?: number; when?: string; repeat?: { each: string; from?: number; as?: string; minRows?: number }; [k: string]: unknown }
interface Sheet { name: string; columns: number[]; rows: Row[]; when?: string; [k: string]: unknown }
interface Layout { sheets: Sheet[]; styles?: Record<string, unknown>; [k: string]: unknown }

interface GridCell { text: string; col: number; span: number; rowSpan: number; bold?: boolean; fill?: string; align?: string; bordered?: boolean }
interface GridSheet { name: string; columns: number[]; rows: { height?: number; cells: GridCell[] }[] }

const OWNER = 'caiji-studio-templates';
const setDirty = (dirty: boolean) => draftStore.setDirty(OWNER, dirty);
const letter = (i: number) => String.fromCharCode(65 + i);
const clone = <T>(v: T): T => JSON.parse(JSON.stringify(v)) as T;

/**
 * An xlsx layout of the draft as a grid: each cell shows its expression and opens in a panel
 * (value, merge, style, condition), rows and columns are added and removed, the repeated row
 * block is marked; beside it the workbook the draft produces for a record the config admin picks,
 * read back as a table, and downloadable as the real xlsx.
 */
@customElement('caiji-studio-template-grid')
export class StudioTemplateGrid extends LightElement {
  @property({ attribute: false }) doc!: TemplateDoc;
  /** Where the draft bar's link points inside the template (the shell's ?focus=): L:C, or a JSON pointer. */
  @property() focusPath = '';
  @state() private layout: Layout | null = null;
  @state() private sheet = 0;
  @state() private selected: { row: number; cell: number } | null = null;
  @state() private dirty = false;
  @state() private busy = false;
  @state() private message = '';
  @state() private record = '';
  @state() private preview: GridSheet[] | null = null;
  @state() private previewError = '';
  private savedText = '';
  private readonly previews = new DraftPreview<{ sheets: GridSheet[] }>();
  private unsubscribe?: () => void;

  override connectedCallback() {
    super.connectedCallback();
    this.unsubscribe = draftStore.subscribe(() => void this.follow());
    void this.follow().then(() => this.focusFromRoute());
  }

  override disconnectedCallback() {
    super.disconnectedCallback();
    this.unsubscribe?.();
    setDirty(false);
  }

  private async follow() {
    if (!draftStore.view) return;
    const text = (await draftStore.text(this.doc.path)) ?? '';
    if (!this.dirty && text !== this.savedText) {
      this.savedText = text;
      try {
        this.layout = JSON.parse(text) as Layout;
        this.message = '';
      } catch {
        this.layout = null;
        this.message = '布局文件不是有效的 JSON，无法按表格编辑';
      }
    }
    this.requestUpdate();
    void this.refreshPreview();
  }

  /** `?focus=/sheets/0/rows/3/cells/1/value` (a problem's pointer) selects that cell. */
  private focusFromRoute() {
    const m = /^\/sheets\/(\d+)(?:\/rows\/(\d+)(?:\/cells\/(\d+))?)?/.exec(this.focusPath);
    if (!m || !this.layout) return;
    this.sheet = Number(m[1]);
    if (m[2] !== undefined) this.selected = { row: Number(m[2]), cell: Number(m[3] ?? 0) };
    void this.updateComplete.then(() => (this.querySelector('.tpl-cell-panel textarea') as HTMLTextAreaElement | null)?.focus());
  }

  private get problems() { return draftStore.problemsOf(this.doc.path); }

  private problemAt(pointer: string) {
    return this.problems.find((p) => p.path.split('#')[1]?.startsWith(pointer));
  }

  /** Changes the local layout (saved with 保存). */
  private edit(change: (l: Layout) => void) {
    const next = clone(this.layout!);
    change(next);
    this.layout = next;
    this.dirty = true;
    setDirty(true);
  }

  private async save() {
    if (!this.layout || this.busy) return;
    this.busy = true;
    try {
      await draftStore.saveJson(this.doc.path, this.layout);
      this.savedText = (await draftStore.text(this.doc.path)) ?? '';
      this.dirty = false;
      setDirty(false);
      this.message = this.problems.length ? '已保存到草稿，但布局有错误（已标红），草稿不能发布' : '已保存到草稿';
      void this.refreshPreview();
    } catch (e) {
      this.message = e instanceof ApiError ? e.message : String(e);
    } finally {
      this.busy = false;
    }
  }

  private revert() {
    this.dirty = false;
    setDirty(false);
    this.savedText = '';
    void this.follow();
  }

  override updated(changed: Map<string, unknown>) {
    if (changed.has('record')) void this.refreshPreview();
    if (changed.has('focusPath') && changed.get('focusPath') !== undefined) this.focusFromRoute();
  }

  private refreshPreview() {
    return this.previews.ask(this.doc, this.record, '/table', this.problems.length ? '布局有错误：预览仍是上次正确保存的版本。' : null, (r, error) => {
      this.previewError = error;
      if (r) this.preview = r.sheets;
    });
  }

  // ——— rows, columns, cells ———

  private rows(l = this.layout!) { return l.sheets[this.sheet].rows; }

  private addRow(at: number) {
    this.edit((l) => this.rows(l).splice(at, 0, { cells: [{ value: '' }] }));
    this.selected = { row: at, cell: 0 };
  }

  private removeRow(at: number) {
    this.edit((l) => this.rows(l).splice(at, 1));
    this.selected = null;
  }

  private addCell(row: number, at: number) {
    this.edit((l) => this.rows(l)[row].cells.splice(at, 0, { value: '' }));
    this.selected = { row, cell: at };
  }

  private removeCell(row: number, at: number) {
    this.edit((l) => this.rows(l)[row].cells.splice(at, 1));
    this.selected = null;
  }

  private setCell(key: keyof Cell, value: unknown) {
    const { row, cell } = this.selected!;
    this.edit((l) => {
      const c = this.rows(l)[row].cells[cell];
      if (value === '' || value === undefined || value === 1 && (key === 'span' || key === 'rowSpan')) delete c[key];
      else c[key] = value;
    });
  }

  private setRepeat(row: number, each: string) {
    this.edit((l) => {
      const r = this.rows(l)[row];
      if (each.trim()) r.repeat = { ...(r.repeat ?? {}), each: each.trim() };
      else delete r.repeat;
    });
  }

  private renderLayout() {
    const l = this.layout!;
    const s = l.sheets[this.sheet];
    if (!s) return nothing;
    return html`<div class="tpl-sheet-tabs" role="tablist">${l.sheets.map((sh, i) => html`<button type="button" role="tab" class="btn btn-small ${i === this.sheet ? 'btn-primary' : ''}"
        aria-selected=${i === this.sheet} @click=${() => { this.sheet = i; this.selected = null; }}>${sh.name}${sh.when ? '（有条件）' : ''}</button>`)}</div>
      <div class="tpl-grid-wrap"><table class="tpl-grid" aria-label="版式">
        <thead><tr><th></th>${s.columns.map((w, i) => html`<th>${letter(i)}<input type="number" min="1" step="1" aria-label=${`第 ${letter(i)} 列宽`} .value=${String(w)}
          @change=${(e: Event) => this.edit((x) => { x.sheets[this.sheet].columns[i] = Math.max(1, Number((e.target as HTMLInputElement).value) || 1); })}></th>`)}</tr></thead>
        <tbody>${s.rows.map((r, j) => html`<tr class=${r.repeat ? 'tpl-repeat' : ''}>
          <th scope="row" title=${r.repeat ? `重复行：${r.repeat.each} 的每一项一行${r.repeat.from ? `，从第 ${r.repeat.from + 1} 项起` : ''}` : ''}>${j + 1}${r.repeat ? html`<span class="tpl-badge">重复</span>` : nothing}${r.when ? html`<span class="tpl-badge">条件</span>` : nothing}</th>
          ${r.cells.map((c, k) => {
            const pointer = `/sheets/${this.sheet}/rows/${j}/cells/${k}`;
            const bad = this.problemAt(pointer);
            const on = this.selected?.row === j && this.selected.cell === k;
            return html`<td colspan=${c.span ?? 1} rowspan=${c.rowSpan ?? 1} class="tpl-cell ${on ? 'selected' : ''} ${bad ? 'invalid' : ''}" title=${bad?.message ?? ''}
              tabindex="0" @click=${() => { this.selected = { row: j, cell: k }; }} @keydown=${(e: KeyboardEvent) => { if (e.key === 'Enter') this.selected = { row: j, cell: k }; }}>${c.value ?? ''}</td>`;
          })}
        </tr>`)}</tbody>
      </table></div>
      <div class="tpl-grid-actions">
        <button type="button" class="btn btn-small" @click=${() => this.addRow(this.selected ? this.selected.row + 1 : s.rows.length)}>插入行</button>
        <button type="button" class="btn btn-small" ?disabled=${!this.selected} @click=${() => this.removeRow(this.selected!.row)}>删除行</button>
        <button type="button" class="btn btn-small" ?disabled=${!this.selected} @click=${() => this.addCell(this.selected!.row, this.selected!.cell + 1)}>右侧插入单元格</button>
        <button type="button" class="btn btn-small" ?disabled=${!this.selected} @click=${() => this.removeCell(this.selected!.row, this.selected!.cell)}>删除单元格</button>
        <button type="button" class="btn btn-small" @click=${() => this.edit((x) => x.sheets[this.sheet].columns.push(10))}>添加列</button>
        <button type="button" class="btn btn-small" ?disabled=${s.columns.length < 2} @click=${() => this.edit((x) => x.sheets[this.sheet].columns.pop())}>删除最后一列</button>
      </div>
      ${this.renderPanel(s)}`;
  }

  private renderPanel(s: Sheet) {
    const sel = this.selected;
    const row = sel ? s.rows[sel.row] : undefined;
    const c = row?.cells[sel!.cell];
    if (!sel || !row || !c) return html`<p class="muted">点击一个单元格编辑它的表达式。</p>`;
    const styles = Object.keys(this.layout!.styles ?? {});
    const style = Array.isArray(c.style) ? c.style.join(',') : c.style ?? '';
    const bad = this.problemAt(`/sheets/${this.sheet}/rows/${sel.row}/cells/${sel.cell}`);
    return html`<div class="tpl-cell-panel">
      <label class="wide">第 ${sel.row + 1} 行第 ${sel.cell + 1} 个单元格的值（Handlebars 表达式，如 {{data.fullName}}）
        <textarea rows="2" .value=${c.value ?? ''} aria-invalid=${bad ? 'true' : 'false'} @input=${(e: Event) => this.setCell('value', (e.target as HTMLTextAreaElement).value)}></textarea></label>
      ${bad ? html`<p class="error-text">${bad.message}</p>` : nothing}
      <label>合并列数 <input type="number" min="1" .value=${String(c.span ?? 1)} @change=${(e: Event) => this.setCell('span', Number((e.target as HTMLInputElement).value) || 1)}></label>
      <label>合并行数 <input type="number" min="1" .value=${String(c.rowSpan ?? 1)} @change=${(e: Event) => this.setCell('rowSpan', Number((e.target as HTMLInputElement).value) || 1)}></label>
      <label>样式 <select @change=${(e: Event) => this.setCell('style', (e.target as HTMLSelectElement).value)}>
        <option value="" ?selected=${!style}>（无）</option>
        ${styles.map((n) => html`<option value=${n} ?selected=${style === n}>${n}</option>`)}
        ${style && !styles.includes(style) ? html`<option value=${style} selected>${style}</option>` : nothing}
      </select></label>
      <label>显示条件 <input .value=${c.when ?? ''} placeholder="如 unit" @change=${(e: Event) => this.setCell('when', (e.target as HTMLInputElement).value)}></label>
      <label>本行按列表重复 <input .value=${row.repeat?.each ?? ''} placeholder="如 related.units" @change=${(e: Event) => this.setRepeat(sel.row, (e.target as HTMLInputElement).value)}></label>
    </div>`;
  }

  private renderPreview() {
    const warn = this.previewError ? html`<p class="tpl-warn" role="status">${this.previewError}</p>` : nothing;
    if (!this.preview) return warn !== nothing ? warn : html`<p class="muted">正在生成预览…</p>`;
    return [warn, ...this.preview.map((s) => html`<h4>${s.name}</h4><table class="tpl-xlsx" aria-label=${`预览：${s.name}`}>
      <colgroup>${s.columns.map((w) => html`<col style="width:${w * 7}px">`)}</colgroup>
      ${s.rows.map((r) => html`<tr style=${r.height ? `height:${r.height * 1.33}px` : ''}>${r.cells.map((c) => html`<td colspan=${c.span} rowspan=${c.rowSpan}
        class=${c.bordered ? 'b' : ''} style=${`${c.bold ? 'font-weight:bold;' : ''}${c.fill ? `background:#${c.fill};` : ''}${c.align ? `text-align:${c.align};` : ''}`}>${c.text}</td>`)}</tr>`)}
    </table>`)];
  }

  override render() {
    const xlsx = this.record ? draftDocumentUrl(this.doc, this.record, '.xlsx') : '';
    return html`<div class="tpl-toolbar">
        <button type="button" class="btn btn-primary" ?disabled=${this.busy || !this.dirty} @click=${() => this.save()}>${this.busy ? '正在保存…' : '保存并预览'}</button>
        <button type="button" class="btn" ?disabled=${!this.dirty} @click=${() => this.revert()}>撤销未保存的修改</button>
        <span class="muted">${this.dirty ? '有未保存的修改' : this.message}</span>
        <span class="tpl-spacer"></span>
        <caiji-studio-template-record .doc=${this.doc} .value=${this.record} @record-change=${(e: CustomEvent<string>) => { this.record = e.detail; }}></caiji-studio-template-record>
        ${xlsx ? html`<a class="btn" href=${xlsx} download>下载 Excel（草稿）</a>` : nothing}
      </div>
      ${this.problems.length ? html`<ul class="tpl-problems" role="alert">${this.problems.map((p) => html`<li>${p.message}</li>`)}</ul>` : nothing}
      <div class="tpl-split">
        <div class="tpl-grid-pane">${this.layout ? this.renderLayout() : html`<p class="tpl-warn">${this.message || '正在读取…'}</p>`}</div>
        <div class="tpl-preview-pane"><div class="tpl-preview-bar"><span>Excel 预览（草稿）</span></div>${this.renderPreview()}</div>
      </div>`;
  }
}
