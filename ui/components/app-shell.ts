import { html, nothing, type LitElement } from 'lit';
import { customElement, state } from 'lit/decorators.js';
import { LightElement } from './light-element.js';
import { session, APP_CHANGED } from '../api/session.js';
import { UNAUTHENTICATED, ApiError, messageOf } from '../api/client.js';
import { toast } from './toast.js';
import { currentRoute, href, navigate, type Route } from '../router.js';
import { auditGrants } from '../pages/audit-page.js';
import { pages } from '../pages/index.js';
import { homeOf } from '../pages/home.js';

/**
 * The application shell: the header bar with the application's title and the user's menu, and
 * the page of the current hash route. Anonymous users see the login page.
 */
@customElement('caiji-app')
export class AppShell extends LightElement {
  @state() private route: Route = currentRoute();
  @state() private ready = false;

  override connectedCallback() {
    this.replaceChildren(); // the server's "loading" placeholder
    super.connectedCallback();
    window.addEventListener('hashchange', () => this.onRoute());
    window.addEventListener(UNAUTHENTICATED, () => this.sessionEnded());
    // The manifest was read again (config published elsewhere): the nav and the page render with it.
    window.addEventListener(APP_CHANGED, () => { this.requestUpdate(); (this.querySelector('#main > *') as LitElement | null)?.requestUpdate?.(); });
    session.restore().then(() => { this.ready = true; this.onRoute(); });
  }

  private onRoute() {
    const r = currentRoute();
    if (!session.me && r.name !== 'login') return navigate(href('login', { next: location.hash.slice(1) || undefined }), true);
    // A password someone else set (first login, reset) is replaced before anything else: the server
    // refuses every other request meanwhile.
    if (session.me?.mustChangePassword && r.name !== 'account') return navigate(href('account'), true);
    if (session.me && (r.name === '' || r.name === 'login')) return navigate(homeOf(), true);
    this.route = r;
    document.title = session.publicApp?.title ?? document.title;
    // Move focus to the new page's heading so keyboard and screen-reader users start there.
    this.updateComplete.then(() => setTimeout(() => (this.querySelector('main h1') as HTMLElement | null)?.focus?.(), 0));
  }

  /**
   * The server answered 401 while someone was logged in: the session ended elsewhere (logout in
   * another tab or on another instance, a password reset, its time ran out). The login page takes
   * the page's place at once (pages drawing from the session stop drawing: SessionElement), says
   * why, and leads back to where the user was. A 401 with nobody logged in (the first load's
   * /api/me, a second refusal of the same ended session) changes nothing: onRoute sends to the login page.
   */
  private sessionEnded() {
    if (!session.me) return;
    session.clear();
    session.ended = true;
    const here = location.hash.slice(1);
    navigate(href('login', { next: here && !here.startsWith('/login') ? here : undefined }), true);
  }

  private async logout() {
    try {
      await session.logout();
    } catch (e) {
      // Already ended elsewhere (401): logged out all the same. Anything else is worth saying.
      if (!(e instanceof ApiError && e.status === 401)) toast(messageOf(e), 'error');
    }
    session.ended = false; // the user logged out: no news that it had ended before
    navigate('#/login');
  }

  override render() {
    if (!this.ready) return html`<p class="boot">正在加载…</p>`;
    const me = session.me;
    const page = pages[this.route.name] ?? pages['not-found'];
    const nav = me && !me.mustChangePassword ? this.navLinks() : [];
    return html`<a class="skip" href="#main" @click=${(e: Event) => { e.preventDefault(); (this.querySelector('#main') as HTMLElement).focus(); }}>跳到主要内容</a>
      <header class="topbar" role="banner">
        <div class="brand">${session.publicApp?.title ?? ''}</div>
        ${me ? html`<nav class="topnav" aria-label="主导航">${nav.map(([label, to, name]) =>
          html`<a href=${to} class=${this.route.name === name ? 'current' : ''} aria-current=${this.route.name === name ? 'page' : nothing}>${label}</a>`)}</nav>
        <div class="user"><a class="user-name" href="#/account" title="账号与密码">${me.displayName}</a>
          ${me.grants.length ? html`<span class="user-role">${me.grants.map((g) => `${g.nodeLabel ?? ''}·${g.roleTitle}`).join('，')}</span>` : nothing}
          <button type="button" class="btn btn-header" @click=${this.logout}>退出</button></div>` : nothing}
      </header>
      <main id="main" tabindex="-1">${page(this.route)}</main>`;
  }

  private navLinks(): [string, string, string][] {
    const app = session.app!;
    const links: [string, string, string][] = [];
    const self = session.selfRecord;
    if (self) links.push(['我的信息', href('self'), 'self']);
    if (session.me!.grants.length) {
      const tree = app.collections[app.tree.collection];
      links.push([`${tree.title}信息`, homeOf(), 'browse']);
      if (Object.values(app.collections).some((c) => c.completeness)) links.push(['进度统计', href('progress', session.me!.grants[0].node), 'progress']);
      links.push(['代码表', href('codes'), 'codes']);
      // 配置工作台: drafts of the whole config, for the config admins (代码表 stays for every reader).
      if (session.can('config')) links.push(['配置工作台', href('studio'), 'studio']);
      // 查询统计: for whoever reads a subtree (admins, read-only roles); a self-bound account reads none.
      if (session.can('read')) links.push(['查询统计', href('query'), 'query']);
      if (auditGrants().length) links.push(['系统审核', href('audit'), 'audit']);
    }
    return links;
  }
}
