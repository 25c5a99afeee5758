import { html, nothing } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import { LightElement, emit } from '../components/light-element.js';
import { ApiError, enc, uploadFile } from '../api/client.js';
import type { CodeEntry, FieldError } from '../api/types.js';

/** POST /api/config/draft/codes/:table/import-preview: the table a file would make, and its diff. */
export interface CodeImportPreview {
  table: { table: string; title: string; version: number; codes: CodeEntry[]; [k: string]: unknown };
  diff: {
    added: CodeEntry[];
    relabelled: { code: string; from: string; to: string }[];
    deprecated: { code: string; label: string; deprecated: string; replacedBy: string[] }[];
    removed: { code: string; label: string; count: number }[];
  };
  refused: FieldError[];
}

/**
 * 从文件导入 of the studio's code tables: the xlsx or CSV a central notice comes with is read by the
 * server against the draft's table and shown as a diff (新增, 改名, 停用, 删除 and the removals
 * refused because records hold the code); 采用 hands the table to the page (`import-take`, detail:
 * the preview), which saves it into the draft. Nothing is stored before that.
 */
@customElement('caiji-studio-codes-import')
export class StudioCodesImport extends LightElement {
  @property() table = '';
  /** The page holds unsaved edits: an import would replace them, so it waits. */
  @property({ type: Boolean }) blocked = false;
  @state() private preview?: CodeImportPreview;
  @state() private file = '';
  @state() private errors: FieldError[] = [];
  @state() private error = '';
  @state() private busy = false;

  private async read(e: Event) {
    const input = e.target as HTMLInputElement;
    const file = input.files?.[0];
    input.value = '';
    if (!file) return;
    this.busy = true;
    this.preview = undefined;
    this.error = '';
    this.errors = [];
    this.file = file.name;
    try {
      this.preview = (await uploadFile<CodeImportPreview>(`/api/config/draft/codes/${enc(this.table)}/import-preview`, file)).body;
    } catch (err) {
      this.error = err instanceof ApiError ? err.message : String(err);
      this.errors = err instanceof ApiError ? err.details : [];
    } finally {
      this.busy = false;
    }
    this.updateComplete.then(() => this.querySelector<HTMLElement>('.codes-import-result')?.focus());
  }

  private close() {
    this.preview = undefined;
    this.error = '';
    this.errors = [];
  }

  override render() {
    return html`<div class="codes-import">
      <label class="btn ${this.blocked || this.busy ? 'disabled' : ''}" title=${this.blocked ? '请先保存或撤销表格中的修改' : '从代码表变更通知附带的 xlsx 或 CSV 文件导入'}>
        ${this.busy ? '正在读取…' : '从文件导入…'}
        <input type="file" class="sr-only" id="codes-import-file" accept=".csv,.xlsx,text/csv,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
          ?disabled=${this.blocked || this.busy} @change=${(e: Event) => this.read(e)}></label>
      <span class="muted">文件首行为表头：代码、名称，可选 停用日期、替代代码（多个以“、”分隔）、上级代码</span>
      ${this.error ? html`<div class="notice notice-error codes-import-result" tabindex="-1" role="alert"><strong>${this.file}：${this.error}</strong>
        ${this.errors.length ? html`<ul>${this.errors.map((d) => html`<li>${d.message}</li>`)}</ul>` : nothing}
        <button type="button" class="btn btn-small" @click=${() => this.close()}>关闭</button></div>` : nothing}
      ${this.preview ? this.diff(this.preview) : nothing}
    </div>`;
  }

  private diff(p: CodeImportPreview) {
    const d = p.diff;
    const gone = d.removed.filter((r) => !r.count);
    const nothingNew = !d.added.length && !d.relabelled.length && !d.deprecated.length && !gone.length;
    const label = (code: string) => p.table.codes.find((c) => c.code === code)?.label ?? '';
    return html`<section class="codes-import-result notice" tabindex="-1" aria-label="导入预览">
      <h3>「${this.file}」与草稿中的代码表相比</h3>
      <p class="diff-summary">新增 ${d.added.length} 项，改名 ${d.relabelled.length} 项，停用 ${d.deprecated.length} 项，删除 ${gone.length} 项${p.refused.length ? html`，<strong class="warn">拒绝删除 ${p.refused.length} 项</strong>` : nothing}</p>
      ${p.refused.length ? html`<ul class="form-error refused">${p.refused.map((r) => html`<li>${r.message}</li>`)}</ul>` : nothing}
      <div class="table-wrap"><table class="data-table import-diff">
        <thead><tr><th scope="col">变化</th><th scope="col">代码</th><th scope="col">内容</th></tr></thead>
        <tbody>
          ${d.added.map((c) => html`<tr data-change="added"><td><span class="tag">新增</span></td><td><code>${c.code}</code></td><td>${c.label}${c.parent ? `（上级 ${c.parent}）` : ''}</td></tr>`)}
          ${d.relabelled.map((c) => html`<tr data-change="relabelled"><td><span class="tag">改名</span></td><td><code>${c.code}</code></td><td><del>${c.from}</del> → ${c.to}</td></tr>`)}
          ${d.deprecated.map((c) => html`<tr data-change="deprecated"><td><span class="tag tag-off">停用</span></td><td><code>${c.code}</code></td>
            <td>${c.label}，${c.deprecated} 起停用${c.replacedBy.length ? `，改用 ${c.replacedBy.map((r) => `${label(r)}（${r}）`).join('、')}` : ''}</td></tr>`)}
          ${d.removed.map((c) => html`<tr data-change=${c.count ? 'refused' : 'removed'}><td><span class="tag ${c.count ? 'tag-warn' : 'tag-off'}">${c.count ? '拒绝删除' : '删除'}</span></td>
            <td><code>${c.code}</code></td><td>${c.label}${c.count ? `（${c.count} 条记录使用，保留）` : ''}</td></tr>`)}
        </tbody></table></div>
      <div class="toolbar">
        <button type="button" class="btn btn-primary" ?disabled=${nothingNew} @click=${() => { emit(this, 'import-take', p); this.close(); }}>采用（保存到草稿）</button>
        <button type="button" class="btn" @click=${() => this.close()}>放弃</button>
        ${nothingNew ? html`<span class="muted">文件与草稿中的代码表一致，没有要采用的变化</span>` : nothing}</div>
    </section>`;
  }
}
