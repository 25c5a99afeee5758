import { html, nothing } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import { LightElement, emit } from './light-element.js';
import { api, qs, ApiError } from '../api/client.js';
import { Task } from '@lit/task';
import { toast } from './toast.js';
import { changeAccount, firstPasswordNotice, type Account, type AccountChange } from './account-actions.js';

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
  /**
   * The account of the record shown. Another record's is gone at once (its password too); the
   * answer is kept in `answer` because opening or changing the account replaces it here.
   */
  private account = new Task(this, {
    task: async ([recordId], { signal }) => {
      this.answer = undefined;
      this.password = '';
      if (!recordId) return undefined;
      // Refused: not an account holder's record, or not this user's to keep. The panel stays hidden.
      return api.get<AccountAnswer>(`/api/accounts${qs({ record: recordId })}`, signal).catch(() => undefined);
    },
    args: () => [this.recordId],
    onComplete: (answer) => { this.answer = answer; },
  });

  private shown(res: AccountChange | undefined) {
    if (!res) return;
    this.answer = { account: res.account, proposedUsername: this.answer?.proposedUsername ?? null };
    this.password = res.password ?? '';
    emit(this, 'changed');
  }

  private async open(e: Event) {
    e.preventDefault();
    const username = ((e.target as HTMLFormElement).elements.namedItem('username') as HTMLInputElement).value;
    this.busy = true;
    this.fieldError = '';
    try {
      this.shown(await api.post<AccountChange>('/api/accounts', { record: this.recordId, username }));
      toast('账号已开通');
    } catch (err) {
      const field = err instanceof ApiError ? err.details.find((d) => d.path === '/username') : undefined;
      if (field) this.fieldError = field.message;
      else toast(err instanceof ApiError ? err.message : String(err), 'error');
    } finally {
      this.busy = false;
    }
  }

  private async change(a: Account, change: 'reset' | 'lock' | 'unlock') {
    this.busy = true;
    try {
      this.shown(await changeAccount(a.username, change));
    } finally {
      this.busy = false;
    }
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
          <button type="button" class="btn" ?disabled=${this.busy} @click=${() => this.change(a, 'reset')}>重置密码</button>
          ${a.locked
            ? html`<button type="button" class="btn" ?disabled=${this.busy} @click=${() => this.change(a, 'unlock')}>启用账号</button>`
            : html`<button type="button" class="btn" ?disabled=${this.busy} @click=${() => this.change(a, 'lock')}>停用账号</button>`}
        </div>`
      : html`<form class="filters account-open" @submit=${this.open} novalidate>
          <span class="muted">尚未开通账号。</span>
          <label for="account-username">用户名</label>
          <input id="account-username" name="username" .value=${x.proposedUsername ?? ''} autocomplete="off" spellcheck="false"
            aria-invalid=${this.fieldError ? 'true' : 'false'} aria-describedby="account-username-error">
          <button class="btn btn-primary" type="submit" ?disabled=${this.busy}>开通账号</button>
          <span class="field-error" id="account-username-error" aria-live="polite">${this.fieldError}</span>
        </form>`}
      ${this.password && a ? firstPasswordNotice(a.username, this.password) : nothing}
    </section>`;
  }
}
