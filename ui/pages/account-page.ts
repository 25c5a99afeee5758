import { html, nothing } from 'lit';
import { customElement, state } from 'lit/decorators.js';
import { SessionElement } from '../components/session-element.js';
import { api, ApiError } from '../api/client.js';
import { session } from '../api/session.js';
import { toast } from '../components/toast.js';
import { navigate } from '../router.js';
import { homeOf } from './home.js';

const FIELDS = [
  { name: 'currentPassword', label: '当前密码', autocomplete: 'current-password' },
  { name: 'newPassword', label: '新密码', autocomplete: 'new-password', help: '至少8个字符；不能与当前密码相同，不能含用户名或本人证件号码，不能用常见密码（如123456）或连续、重复的字符' },
  { name: 'confirmPassword', label: '确认新密码', autocomplete: 'new-password' },
] as const;

type Field = (typeof FIELDS)[number]['name'];

/**
 * The logged-in user's own account: who they are, and changing their password. The server judges
 * the new password; only the repeated entry is compared here, as it never leaves the browser.
 */
@customElement('caiji-account-page')
export class AccountPage extends SessionElement {
  @state() private errors: Partial<Record<Field, string>> = {};
  @state() private error = '';
  @state() private busy = false;

  private async submit(e: Event) {
    e.preventDefault();
    const form = e.target as HTMLFormElement;
    const value = (n: Field) => (form.elements.namedItem(n) as HTMLInputElement).value;
    this.error = '';
    this.errors = {};
    if (value('newPassword') !== value('confirmPassword')) {
      this.errors = { confirmPassword: '「确认新密码」与「新密码」不一致' };
      this.focusError();
      return;
    }
    this.busy = true;
    try {
      await api.post('/api/me/password', { currentPassword: value('currentPassword'), newPassword: value('newPassword') });
      form.reset();
      toast('密码已修改；在其他地方的登录已退出');
      if (session.me!.mustChangePassword) {
        session.me!.mustChangePassword = false;
        navigate(homeOf());
      }
    } catch (err) {
      if (err instanceof ApiError && err.details.length) {
        this.errors = Object.fromEntries(err.details.map((d) => [d.path.replace(/^\//, ''), d.message]));
        this.focusError();
      } else {
        this.error = err instanceof ApiError ? err.message : '修改失败，请稍后重试';
      }
    } finally {
      this.busy = false;
    }
  }

  /** Focus goes to the first field to correct, whose error its input names for screen readers. */
  private async focusError() {
    await this.updateComplete;
    this.querySelector<HTMLInputElement>('[aria-invalid=true]')?.focus();
  }

  override render() {
    const me = session.me!;
    return html`<section class="panel account-page">
      <h1 tabindex="-1">账号</h1>
      <p>${me.displayName}（用户名：${me.username}）</p>
      ${me.mustChangePassword ? html`<p class="notice notice-warn first-login" role="status">您的密码由管理员设置（首次登录或重置密码后），请先设置自己的新密码，然后才能继续使用。“当前密码”即管理员交给您的初始密码。</p>` : nothing}
      <h2>修改密码</h2>
      <form class="password-form" @submit=${this.submit} novalidate>
        ${FIELDS.map((f) => {
          const err = this.errors[f.name];
          const help = 'help' in f ? f.help : '';
          return html`<div class="field" data-field=${f.name}>
            <label class="field-label" for="acct-${f.name}">${f.label}</label>
            <div>
              <input id="acct-${f.name}" name=${f.name} type="password" autocomplete=${f.autocomplete} required
                aria-invalid=${err ? 'true' : 'false'} aria-describedby="acct-${f.name}-error${help ? ` acct-${f.name}-help` : ''}">
              ${help ? html`<div class="field-help" id="acct-${f.name}-help">${help}</div>` : nothing}
              <div class="field-error" id="acct-${f.name}-error" aria-live="polite">${err ?? ''}</div>
            </div>
          </div>`;
        })}
        <div class="form-error" role="alert">${this.error || nothing}</div>
        <div class="toolbar"><button class="btn btn-primary" type="submit" ?disabled=${this.busy}>${this.busy ? '正在保存…' : '修改密码'}</button></div>
      </form>
    </section>`;
  }
}
