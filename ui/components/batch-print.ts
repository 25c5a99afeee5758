import { html, nothing } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import { LightElement } from './light-element.js';
import { api, enc, ApiError } from '../api/client.js';
import { documentsOf } from './document-buttons.js';
import { toast } from './toast.js';

interface Job { jobId?: string; id?: string; status: string; done: number; total: number; error?: { message: string } }

/** Why a job failed, in the server's words. */
const failure = (j: Job) => j.error?.message ?? '批量打印失败';

/**
 * Batch print of the selected records as one PDF: the job runs on the server, a progress bar
 * follows it, and the file is offered for download when it is ready. A failed job shows its
 * reason beside 失败 in place of the bar (the toast saying it goes after a few seconds) until the
 * next print: whoever looked away still sees why, and 批量打印 is there to try again.
 */
@customElement('caiji-batch-print')
export class BatchPrint extends LightElement {
  @property() collection = '';
  @property({ attribute: false }) ids: string[] = [];
  @state() private job?: Job & { doc: string; jobId: string };
  @state() private busy = false;

  private async start(name: string) {
    this.busy = true;
    try {
      const j = await api.post<Job>(`/api/records/${enc(this.collection)}/documents/${enc(name)}.pdf?async=1`, { ids: this.ids });
      const jobId = j.jobId ?? j.id!;
      this.job = { ...j, doc: name, jobId };
      while (this.job && this.job.jobId === jobId && !['done', 'failed'].includes(this.job.status)) {
        await new Promise((r) => setTimeout(r, 400));
        const s: Job = await api.get<Job>(`/api/jobs/${enc(jobId)}`);
        this.job = { ...s, doc: name, jobId };
      }
      if (this.job?.status === 'failed') toast(failure(this.job), 'error');
      else toast('打印文件已生成，请下载');
    } catch (e) {
      toast(e instanceof ApiError ? e.message : String(e), 'error');
      this.job = undefined;
    } finally {
      this.busy = false;
    }
  }

  override render() {
    const docs = documentsOf(this.collection).filter(([, d]) => (d.formats ?? []).includes('pdf'));
    if (!docs.length) return nothing;
    const j = this.job;
    const pct = j && j.total ? Math.round((j.done / j.total) * 100) : 0;
    return html`<span class="batch-print">
      ${docs.map(([name, d]) => html`<button type="button" class="btn" ?disabled=${this.busy || !this.ids.length}
        @click=${() => this.start(name)}>批量打印${docs.length > 1 ? `「${d.title ?? name}」` : ''}</button>`)}
      ${j ? html`<span class="progress-wrap">
        ${j.status === 'failed' ? nothing : html`<progress max="100" value=${pct} aria-label="批量打印进度">${pct}%</progress>`}
        <span role="status">${j.status === 'done' ? html`已完成 ${j.total} 份 <a class="btn btn-small" href=${`/api/jobs/${enc(j.jobId)}/result`} download>下载打印文件</a>`
          : j.status === 'failed' ? html`<span class="job-failed">失败：${failure(j)}</span>` : `正在生成 ${j.done}/${j.total}`}</span></span>` : nothing}
    </span>`;
  }
}
