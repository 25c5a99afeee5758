import { html, nothing, type PropertyValues } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import { SessionElement } from '../components/session-element.js';
import { Task } from '@lit/task';
import { api, qs, enc, uploadFile, ApiError } from '../api/client.js';
import '../components/export-button.js';
import { session } from '../api/session.js';
import { href } from '../router.js';
import { toast } from '../components/toast.js';
import '../components/bread-crumb.js';
import type { TreeAnswer } from '../api/types.js';

type Action = 'new' | 'changed' | 'unchanged' | 'invalid';
interface PreviewRow { row: number; action: Action; title: string | null; id?: string; changes?: Record<string, [unknown, unknown]>; errors: { path: string; column?: number; message: string }[] }
interface Preview {
  id: string; collection: string; total: number; counts: Record<Action, number>;
  columns: { column: number; property: string; title: string }[]; ignoredColumns: string[];
  rows: PreviewRow[]; truncated: boolean; errorsFile: string | null; canCommit: boolean;
}
interface Job { id: string; kind: 'preview' | 'commit'; status: 'running' | 'done' | 'failed'; done: number; total: number; result?: unknown; error?: { message: string; details?: unknown[] } }
interface LogEntry {
  id: string; filename: string | null; status: 'previewed' | 'committed' | 'failed'; at: string; committedAt: string | null;
  total: number; counts: Record<Action, number>; message: string | null; hasErrorsFile: boolean;
}
interface CommitAnswer { created: number; updated: number }

const ACTIONS: [Action, string][] = [['new', '新增'], ['changed', '修改'], ['unchanged', '无变化'], ['invalid', '有误']];
const STATUS: Record<LogEntry['status'], string> = { previewed: '已预览（未导入）', committed: '已导入', failed: '导入失败' };
/** Files larger than this are checked and imported as a background job with a progress bar. */
const ASYNC_BYTES = 200_000;
const ACCEPT = '.xlsx,.csv,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet,text/csv';
const time = (s: string | null) => (s ? s.replace('T', ' ').slice(0, 19) : '');

/**
 * 批量维护: download a collection's template, upload a filled-in file (xlsx or CSV), look at the
 * preview (counts, the rows with errors, the error workbook), then import it whole. Large files run
 * as a job whose progress is shown. The user's earlier imports are listed.
 */
@customElement('caiji-import-page')
export class ImportPage extends SessionElement {
  @property() collection = '';
  @property() nodeId = '';
  @state() private file?: File;
  @state() private preview?: Preview;
  @state() private job?: Job;
  @state() private busy = '';
  @state() private error = '';
  @state() private committed?: CommitAnswer;
  @state() private dragging = false;
  /** The node's breadcrumb and label. */
  private place = new Task(this, {
    task: ([nodeId], { signal }) => (nodeId ? api.get<TreeAnswer>(`/api/tree/${enc(nodeId)}`, signal) : Promise.resolve(undefined)),
    args: () => [this.nodeId],
  });
  /** The user's earlier imports of the collection; read again after each upload. */
  private log: Task<readonly [string], LogEntry[]> = new Task(this, {
    task: ([collection], { signal }) => api.get<{ items: LogEntry[] }>(`/api/import/${enc(collection)}/log`, signal).then(
      (r) => r.items,
      () => this.log.value ?? [], // the list is secondary: a failed read keeps the one shown
    ),
    args: () => [this.collection],
  });

  /** Another collection or node starts without the previous preview, result and error. */
  override willUpdate(changed: PropertyValues<this>) {
    if (!changed.has('collection') && !changed.has('nodeId')) return;
    this.preview = undefined;
    this.committed = undefined;
    this.error = '';
  }

  /** Runs a job to its end, following its progress. */
  private async follow(start: Job): Promise<unknown> {
    this.job = start;
    while (this.job.status === 'running') {
      await new Promise((r) => setTimeout(r, 300));
      this.job = await api.get<Job>(`/api/import/jobs/${enc(start.id)}`);
    }
    const j = this.job;
    this.job = undefined;
    if (j.status === 'failed') throw new ApiError(422, 'job_failed', j.error?.message ?? '导入任务失败');
    return j.result;
  }

  private choose(file: File | undefined) {
    this.file = file;
    this.error = '';
  }

  private dragOver = (e: DragEvent) => {
    if (this.busy || !e.dataTransfer?.types.includes('Files')) return;
    e.preventDefault();
    e.dataTransfer.dropEffect = 'copy';
    this.dragging = true;
  };

  /** A file dropped on the upload bar is chosen as if picked; only .xlsx and .csv are taken. */
  private drop = (e: DragEvent) => {
    e.preventDefault();
    this.dragging = false;
    if (this.busy) return;
    const file = e.dataTransfer?.files[0];
    if (!file) return;
    if (!/\.(xlsx|csv)$/i.test(file.name)) { this.error = `「${file.name}」不是 .xlsx 或 .csv 文件`; return; }
    this.choose(file);
  };

  private async upload(e: Event) {
    e.preventDefault();
    if (!this.file) { this.error = '请先选择要上传的文件'; return; }
    this.busy = 'preview';
    this.error = '';
    this.preview = undefined;
    this.committed = undefined;
    try {
      const large = this.file.size > ASYNC_BYTES;
      const res = await uploadFile<Preview | Job>(`/api/import/${enc(this.collection)}/preview${large ? '?async=1' : ''}`, this.file);
      this.preview = (res.status === 202 ? await this.follow(res.body as Job) : res.body) as Preview;
    } catch (err) {
      this.error = err instanceof ApiError ? err.message : String(err);
    } finally {
      this.busy = '';
      void this.log.run();
    }
  }

  private async commit() {
    const p = this.preview!;
    this.busy = 'commit';
    this.error = '';
    try {
      const large = p.counts.new + p.counts.changed > 500;
      const res = large
        ? (await this.follow(await api.post<Job>(`/api/import/${enc(this.collection)}/commit?async=1`, { previewId: p.id }))) as CommitAnswer
        : await api.post<CommitAnswer>(`/api/import/${enc(this.collection)}/commit`, { previewId: p.id });
      this.committed = res;
      this.preview = undefined;
      toast(`导入完成：新增 ${res.created} 条，修改 ${res.updated} 条`);
    } catch (err) {
      this.error = err instanceof ApiError ? err.message : String(err);
    } finally {
      this.busy = '';
      void this.log.run();
    }
  }

  override render() {
    const col = session.app?.collections[this.collection];
    if (!col) return html`<section class="panel"><h1 tabindex="-1">批量维护</h1><p class="form-error" role="alert">没有这个数据集</p></section>`;
    const p = this.preview;
    const j = this.job;
    const pct = j && j.total ? Math.round((j.done / j.total) * 100) : 0;
    return html`<section class="panel import-page">
      ${this.place.value ? html`<caiji-breadcrumb .items=${this.place.value.breadcrumb} linkLast></caiji-breadcrumb>` : nothing}
      <h1 tabindex="-1">批量维护：${col.title}</h1>
      <ol class="steps">
        <li>下载导入模板，按列填写（带红色标题的为必填的采集项，下拉列表中选择代码）；也可以上传同样列名的 CSV 文件。</li>
        <li>上传文件并预览：系统逐行检查，已有记录按唯一标识更新，不会写入任何数据。</li>
        <li>确认无误后导入：整个文件一次导入，任何一行出错则全部不导入。</li>
      </ol>
      <div class="toolbar"><a class="btn" href=${`/api/import/${enc(this.collection)}/template.xlsx`} download>下载导入模板（.xlsx）</a>
        ${this.nodeId ? html`<caiji-export-button .label=${`导出现有${col.title}（含下级）`} .hint=${'现有记录按模板格式导出，修改后上传即可批量更新'}
          .href=${`/api/import/${enc(this.collection)}/export.xlsx${qs({ node: this.nodeId, deep: 1 })}`}></caiji-export-button>` : nothing}</div>
      <form class=${`filters upload-form${this.dragging ? ' dragging' : ''}`} @submit=${this.upload}
          @dragover=${this.dragOver} @dragleave=${() => { this.dragging = false; }} @drop=${this.drop}>
        <!-- The native input stays focusable (keyboard, screen readers) but is drawn by its label:
             its own button speaks the browser's language, not the page's. -->
        <input type="file" id="import-file" class="file-input" accept=${ACCEPT}
          ?disabled=${!!this.busy} @change=${(e: Event) => this.choose((e.target as HTMLInputElement).files?.[0])}>
        <label for="import-file" class="btn">选择文件</label>
        <span class=${this.file ? 'file-name' : 'file-name muted'}>${this.file ? this.file.name : '未选择文件（也可以把文件拖到这里）'}</span>
        <button type="submit" class="btn btn-primary" ?disabled=${!!this.busy || !this.file}>${this.busy === 'preview' ? '正在检查…' : '上传并预览'}</button>
        <span class="muted">支持 .xlsx 和 .csv</span>
      </form>
      ${j ? html`<p class="progress-wrap" role="status"><progress max="100" value=${pct} aria-label=${j.kind === 'preview' ? '检查进度' : '导入进度'}>${pct}%</progress>
        ${j.kind === 'preview' ? '正在检查' : '正在导入'} ${j.done}/${j.total || '…'} 行</p>` : nothing}
      ${this.error ? html`<p class="form-error" role="alert">${this.error}</p>` : nothing}
      ${this.committed ? html`<p class="notice" role="status">导入完成：新增 ${this.committed.created} 条，修改 ${this.committed.updated} 条。
        ${this.nodeId ? html`<a href=${href('list', this.collection, this.nodeId)}>查看${col.title}列表</a>` : nothing}</p>` : nothing}
      ${p ? this.previewView(p, col.title) : nothing}
      ${this.logView()}
    </section>`;
  }

  private previewView(p: Preview, title: string) {
    const colTitle = (path: string, column?: number) =>
      p.columns.find((c) => (column !== undefined ? c.column === column : `/${c.property}` === path))?.title ?? '';
    const invalid = p.rows.filter((r) => r.action === 'invalid');
    const changed = p.rows.filter((r) => r.action === 'new' || r.action === 'changed');
    return html`<h2 class="group-title">预览${this.file ? `：${this.file.name}` : ''}</h2>
      <div class="import-counts" role="status">共 ${p.total} 行：${ACTIONS.map(([a, label]) => html`<span class=${`count-${a}`}>${label}<strong>${p.counts[a]}</strong></span>`)}</div>
      ${p.ignoredColumns.length ? html`<p class="muted">以下列不属于模板，已忽略：${p.ignoredColumns.join('、')}</p>` : nothing}
      ${invalid.length ? html`<p class="form-error">有 ${p.counts.invalid} 行有误，须修正后重新上传才能导入。
          ${p.errorsFile ? html`<a href=${p.errorsFile} download>下载错误文件（在原文件中标出每行的错误）</a>` : nothing}</p>
        <div class="table-wrap"><table class="data-table import-errors"><caption class="sr-only">有误的行</caption>
          <thead><tr><th scope="col" class="row-no">行号</th><th scope="col">${title}</th><th scope="col">错误</th></tr></thead>
          <tbody>${invalid.map((r) => html`<tr data-row=${r.row}><td class="row-no">第 ${r.row} 行</td><td>${r.title ?? ''}</td>
            <td><ul class="row-errors">${r.errors.map((e) => html`<li>${colTitle(e.path, e.column) && !e.message.includes(colTitle(e.path, e.column)) ? html`<strong>${colTitle(e.path, e.column)}</strong>：` : nothing}${e.message}</li>`)}</ul></td></tr>`)}
          </tbody></table></div>` : nothing}
      ${changed.length ? html`<details class="import-rows" ?open=${!invalid.length}><summary>将新增或修改的行（${changed.length}${p.truncated ? '，仅列出部分' : ''}）</summary>
        <div class="table-wrap"><table class="data-table"><thead><tr><th scope="col" class="row-no">行号</th><th scope="col">${title}</th><th scope="col">操作</th><th scope="col">修改的信息项</th></tr></thead>
          <tbody>${changed.map((r) => html`<tr><td class="row-no">第 ${r.row} 行</td><td>${r.id ? html`<a href=${href('record', p.collection, r.id)}>${r.title ?? r.id}</a>` : r.title ?? ''}</td>
            <td>${r.action === 'new' ? '新增' : '修改'}</td><td>${r.changes ? Object.keys(r.changes).map((k) => p.columns.find((c) => c.property === k)?.title ?? k).join('、') : ''}</td></tr>`)}</tbody>
        </table></div></details>` : nothing}
      <div class="toolbar"><button type="button" class="btn btn-primary" ?disabled=${!p.canCommit || !!this.busy} aria-describedby="commit-why"
          @click=${() => this.commit()}>${this.busy === 'commit' ? '正在导入…' : `确认导入（新增 ${p.counts.new}，修改 ${p.counts.changed}）`}</button>
        <span class="blocked-why" id="commit-why">${p.counts.invalid ? '有误的行修正之前不能导入' : p.canCommit ? '' : '文件中没有需要新增或修改的行'}</span></div>`;
  }

  private logView() {
    const log = this.log.value ?? [];
    return html`<h2 class="group-title">导入记录</h2>
      <div class="table-wrap"><table class="data-table import-log">
        <thead><tr><th scope="col">上传时间</th><th scope="col">文件</th><th scope="col" class="num">行数</th>${ACTIONS.map(([, l]) => html`<th scope="col" class="num">${l}</th>`)}<th scope="col">结果</th><th scope="col">错误文件</th></tr></thead>
        <tbody>${log.length ? nothing : html`<tr><td class="empty" colspan="99">暂无导入记录</td></tr>`}
          ${log.map((e) => html`<tr><td class="nowrap">${time(e.at)}</td><td>${e.filename ?? ''}</td><td class="num">${e.total}</td>
            ${ACTIONS.map(([a]) => html`<td class="num">${e.counts[a]}</td>`)}
            <td>${STATUS[e.status] ?? e.status}${e.status === 'committed' && e.committedAt ? html` <span class="muted">${time(e.committedAt)}</span>` : nothing}${e.message ? html`<div class="muted">${e.message}</div>` : nothing}</td>
            <td>${e.hasErrorsFile ? html`<a href=${`/api/import/${enc(e.id)}/errors.xlsx`} download>下载</a>` : ''}</td></tr>`)}
        </tbody></table></div>`;
  }
}
