import { html, nothing } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import { LightElement } from '../components/light-element.js';
import { session } from '../api/session.js';
import { ApiError } from '../api/client.js';
import { navigate } from '../router.js';
import { homeOf } from './home.js';

/** Username and password; errors from the server shown beside the form. */
@customElement('caiji-login-page')
export class LoginPage extends LightElement {
  @property() next = '';
  @state() private error = '';
  @state() private busy = false;

  private async submit(e: Event) {
    e.preventDefault();
    const form = e.target as HTMLFormElement;
    const username = (form.elements.namedItem('username') as HTMLInputElement).value.trim();
    const password = (form.elements.namedItem('password') as HTMLInputElement).value;
    if (!username || !password) { this.error = '请输入用户名和密码'; return; }
    this.busy = true;
    this.error = '';
    try {
      await session.login(username, password);
      navigate(this.next && !this.next.startsWith('/login') ? `#${this.next}` : homeOf());
    } catch (err) {
      this.error = err instanceof ApiError ? err.message : '登录失败，请稍后重试';
      // The username stays for the next try; the password is typed again.
      const pw = form.elements.namedItem('password') as HTMLInputElement;
      pw.value = '';
      pw.focus();
    } finally {
      this.busy = false;
    }
  }

  override render() {
    return html`<div class="login-wrap"><section class="panel login-panel" aria-labelledby="login-title">
      <h1 id="login-title" tabindex="-1">${session.publicApp?.title ?? ''}</h1>
      <p class="muted">请使用本人账号登录</p>
      ${session.ended && !this.error ? html`<p class="notice notice-warn login-ended" role="status">登录已失效，请重新登录</p>` : nothing}
      <form @submit=${this.submit} novalidate>
        <div class="login-row"><label for="login-username">用户名</label><input id="login-username" name="username" autocomplete="username" required></div>
        <div class="login-row"><label for="login-password">密码</label><input id="login-password" name="password" type="password" autocomplete="current-password" required></div>
        <div class="form-error" role="alert">${this.error || nothing}</div>
        <button class="btn btn-primary btn-block" type="submit" ?disabled=${this.busy}>${this.busy ? '正在登录…' : '登录'}</button>
      </form>
      <p class="login-note">${session.publicApp?.loginNote ?? '忘记密码或账号被停用，请联系管理员。'}</p>
    </section></div>`;
  }
}
