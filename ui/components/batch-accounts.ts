import { html, nothing, render } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import { LightElement, emit } from './light-element.js';
import { api, ApiError } from '../api/client.js';
import { session } from '../api/session.js';
import { toast } from './toast.js';
import './modal-dialog.js';

interface Opened { record: string; name: string; username: string; password: string }
interface BatchAnswer { created: Opened[]; existing: { record: string; name: string; username: string }[] }

/**
 * 开通账号 for the selected records (people whose records hold a login account): one request
 * opens them all or none. The first passwords come back once; they are shown in a dialog and laid
 * out as slips to print and cut, one per person, to hand over. The slips live outside the
 * application while the dialog is open, so printing shows them alone.
 */
@customElement('caiji-batch-accounts')
export class BatchAccounts extends LightElement {
  @property({ attribute: false }) ids: string[] = [];
  @state() private busy = false;
  @state() private result?: BatchAnswer;
  @state() private failures: string[] = [];
  private slips?: HTMLElement;

  private async open() {
    const n = this.ids.length;
    if (!confirm(`为选中的 ${n} 人开通系统账号吗？已有账号的人不受影响。`)) return;
    this.busy = true;
    this.failures = [];
    try {
      this.result = await api.post<BatchAnswer>('/api/accounts/batch', { records: this.ids });
      this.showSlips(this.result.created);
      toast(`已开通 ${this.result.created.length} 个账号`);
      emit(this, 'done');
    } catch (err) {
      this.failures = err instanceof ApiError ? err.details.map((d) => d.message) : [];
      toast(this.failures.length ? '未开通任何账号，原因见列表上方' : err instanceof ApiError ? err.message : String(err), 'error');
    } finally {
      this.busy = false;
    }
  }

  /** The printable slips, a direct child of <body> (print CSS hides everything else while it exists). */
  private showSlips(opened: Opened[]) {
    this.slips?.remove();
    if (!opened.length) return;
    this.slips = document.createElement('div');
    this.slips.className = 'print-slips';
    const login = location.origin;
    const today = new Date().toLocaleDateString('zh-CN');
    render(html`${opened.map((o) => html`<section class="slip">
      <h2>${session.publicApp?.title ?? ''} · 账号开通通知</h2>
      <p>${o.name}，您好：已为您开通系统账号。</p>
      <dl><dt>登录地址</dt><dd>${login}</dd><dt>用户名</dt><dd>${o.username}</dd><dt>初始密码</dt><dd class="slip-password">${o.password}</dd></dl>
      <p class="slip-note">首次登录后须设置自己的新密码。请妥善保管，不要转告他人。（${today}）</p>
    </section>`)}`, this.slips);
    document.body.append(this.slips);
  }

  private close() {
    this.result = undefined;
    this.slips?.remove();
    this.slips = undefined;
  }

  override disconnectedCallback() {
    super.disconnectedCallback();
    this.slips?.remove();
  }

  override render() {
    const r = this.result;
    return html`<div class="batch-accounts">
      <button type="button" class="btn" ?disabled=${this.busy || !this.ids.length} @click=${this.open}>${this.busy ? '正在开通…' : '开通账号'}</button>
      ${this.failures.length ? html`<ul class="form-error" role="alert">${this.failures.map((f) => html`<li>${f}</li>`)}</ul>` : nothing}
      ${r ? html`<caiji-dialog wide heading="开通账号" @close=${this.close} .body=${html`
          <p>新开通 ${r.created.length} 个账号${r.existing.length ? `，${r.existing.length} 人已有账号（未改动）` : ''}。初始密码只显示这一次：请打印后裁开，交给本人；本人首次登录时须修改密码。</p>
          ${r.created.length ? html`<div class="table-wrap"><table class="data-table opened-accounts">
            <thead><tr><th scope="col">姓名</th><th scope="col">用户名</th><th scope="col">初始密码</th></tr></thead>
            <tbody>${r.created.map((o) => html`<tr><th scope="row">${o.name}</th><td>${o.username}</td><td><code class="first-password">${o.password}</code></td></tr>`)}</tbody>
          </table></div>` : nothing}
          ${r.existing.length ? html`<p class="muted">已有账号：${r.existing.map((e) => `${e.name}（${e.username}）`).join('、')}</p>` : nothing}`}
        .footer=${html`${r.created.length ? html`<button type="button" class="btn btn-primary" @click=${() => window.print()}>打印开通通知</button>` : nothing}
          <button type="button" class="btn" @click=${() => this.querySelector<HTMLElement & { close(): void }>('caiji-dialog')?.close()}>关闭</button>`}></caiji-dialog>` : nothing}
    </div>`;
  }
}
