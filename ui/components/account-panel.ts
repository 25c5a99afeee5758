import { html, nothing } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import { LightElement, emit } from './light-element.js';
import { api, qs, enc, ApiError } from '../api/client.js';
import { latestOnly } from '../api/latest.js';
import { toast } from './toast.js';

interface Account { username: string; displayName: string; createdAt: string; locked: boolean; lockedAt: string | null; mustChangePassword: boolean }
interface AccountAnswer { account: Account | null; proposedUsername: string | null }

const day = (iso: string | null) => (iso ? iso.slice(0, 10) : '');

/**
 * The login account of the person a record describes, for the admins who keep it: open one (the
 * username proposed by the server, editable), reset its password, lock or unlock it. A password
 * the server sets is shown here once, to be handed to the person, who must replace it at the first
 * login. The panel stays hidden where the server says the record holds no account or the user
 * does not keep it.
 */
@customElement('caiji-account-panel')
export class AccountPanel extends LightElement {
  @property() recordId = '';
  @state() private answer?: AccountAnswer;
  @state() private password = '';
  @state() private fieldError = '';
  @state() private busy = false;
  private loaded = '';
  private latest = latestOnly();

  override updated() {
    if (this.recordId && this.recordId !== this.loaded) {
      this.loaded = this.recordId;
      this.answer = undefined;
      this.password = '';
      void this.load();
    }
  }

  private async load() {
    const current = this.latest();
    try {
      const answer = await api.get<AccountAnswer>(`/api/accounts${qs({ record: this.recordId })}`);
      if (current()) this.answer = answer;
    } catch {
      if (current()) this.answer = undefined; // not an account holder's record, or not this user's to keep
    }
  }

  /** Runs one change; the answer carries the account as it is now (and a password when one was set). */
  private async run(send: () => Promise<{ account: Account; password?: string }>, done: string) {
    this.busy = true;
    this.fieldError = '';
    try {
      const res = await send();
      this.answer = { account: res.account, proposedUsername: this.answer?.proposedUsername ?? null };
      this.password = res.password ?? '';
      toast(done);
      emit(this, 'changed');
    } catch (err) {
      const message = err instanceof ApiError ? err.message : String(err);
      const field = err instanceof ApiError ? err.details.find((d) => d.path === '/username') : undefined;
      if (field) this.fieldError = field.message;
      else toast(message, 'error');
    } finally {
      this.busy = false;
    }
  }

  private open(e: Event) {
    e.preventDefault();
    const username = ((e.target as HTMLFormElement).elements.namedItem('username') as HTMLInputElement).value;
    void this.run(() => api.post('/api/accounts', { record: this.recordId, username }), '账号已开通');
  }

  private reset(a: Account) {
    if (!confirm(`确定重置账号 ${a.username} 的密码吗？原密码立即失效，本人须用新的初始密码登录并修改。`)) return;
    void this.run(() => api.post(`/api/accounts/${enc(a.username)}/password`), '密码已重置');
  }

  private lock(a: Account, locked: boolean) {
    if (locked && !confirm(`确定停用账号 ${a.username} 吗？本人将不能登录，已登录的也会退出。`)) return;
    void this.run(() => api.post(`/api/accounts/${enc(a.username)}/${locked ? 'lock' : 'unlock'}`), locked ? '账号已停用' : '账号已启用');
  }

  override render() {
    const x = this.answer;
    if (!x) return nothing;
    const a = x.account;
    return html`<section class="attached account-panel" aria-labelledby="account-h">
      <h3 class="group-title" id="account-h">系统账号</h3>
      ${a ? html`<dl class="account-facts">
          <dt>用户名</dt><dd class="account-username">${a.username}</dd>
          <dt>状态</dt><dd class=${`account-state ${a.locked ? 'locked' : a.mustChangePassword ? 'pending' : 'active'}`}>${a.locked ? `已停用（${day(a.lockedAt)}）` : a.mustChangePassword ? '待本人登录并修改初始密码' : '正常'}</dd>
          <dt>开通日期</dt><dd>${day(a.createdAt)}</dd>
        </dl>
        <div class="toolbar">
          <button type="button" class="btn" ?disabled=${this.busy} @click=${() => this.reset(a)}>重置密码</button>
          ${a.locked
            ? html`<button type="button" class="btn" ?disabled=${this.busy} @click=${() => this.lock(a, false)}>启用账号</button>`
            : html`<button type="button" class="btn" ?disabled=${this.busy} @click=${() => this.lock(a, true)}>停用账号</button>`}
        </div>`
      : html`<form class="filters account-open" @submit=${this.open} novalidate>
          <span class="muted">尚未开通账号。</span>
          <label for="account-username">用户名</label>
          <input id="account-username" name="username" .value=${x.proposedUsername ?? ''} autocomplete="off" spellcheck="false"
            aria-invalid=${this.fieldError ? 'true' : 'false'} aria-describedby="account-username-error">
          <button class="btn btn-primary" type="submit" ?disabled=${this.busy}>开通账号</button>
          <span class="field-error" id="account-username-error" aria-live="polite">${this.fieldError}</span>
        </form>`}
      ${this.password && a ? html`<div class="notice first-password-notice" role="status">
          <p>账号 <strong>${a.username}</strong> 的初始密码：<code class="first-password">${this.password}</code></p>
          <p class="muted">请当面或以安全的方式交给本人；本人首次登录时须修改密码。此密码只显示这一次，离开本页后无法再查看（可再次重置）。</p>
        </div>` : nothing}
    </section>`;
  }
}
