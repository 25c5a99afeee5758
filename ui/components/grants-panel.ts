import { html, nothing } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import { emit } from './light-element.js';
import { SessionElement } from './session-element.js';
import { Task } from '@lit/task';
import { api, qs, enc, messageOf, ApiError } from '../api/client.js';
import { session } from '../api/session.js';
import { toast } from './toast.js';
import { changeAccount, firstPasswordNotice, usernameWithState } from './account-actions.js';
import type { Page, RecordJson } from '../api/types.js';

interface GrantItem {
  username: string; displayName: string; role: string; roleTitle: string; record: string | null;
  /** The holder's account: its state, and whether this user keeps it (may reset and lock it). */
  locked: boolean; mustChangePassword: boolean; kept: boolean;
}
interface GrantsAnswer { node: string; items: GrantItem[]; roles: { role: string; title: string }[] }

/**
 * Who holds which role on a tree node (e.g. secretary, committee member, administrator), for
 * users allowed to grant: the holders with 撤销, and a person of the node chosen for a role.
 * Fields derived from the holders change on the server; `changed` fires afterwards.
 */
@customElement('caiji-grants-panel')
export class GrantsPanel extends SessionElement {
  @property() nodeId = '';
  /** A first password just set by a reset, to hand over (shown once, and gone with its node). */
  @state() private handOver?: { nodeId: string; username: string; password: string };
  /** The node's holders and the people who may be chosen; run again after each change. */
  private holders = new Task(this, {
    task: async ([nodeId], { signal }) => {
      if (this.handOver?.nodeId !== nodeId) this.handOver = undefined;
      if (!nodeId) return undefined;
      const pc = this.peopleCollection;
      const [answer, people] = await Promise.all([
        api.get<GrantsAnswer>(`/api/grants${qs({ node: nodeId })}`, signal),
        pc ? api.get<Page>(`/api/records/${enc(pc)}${qs({ node: nodeId, limit: 200 })}`, signal).then((p) => p.items) : [] as RecordJson[],
      ]);
      return { nodeId, answer, people };
    },
    args: () => [this.nodeId],
  });

  /** The collection whose records people are bound to (the self-service role's). */
  private get peopleCollection(): string | undefined {
    return Object.values(session.app?.roles ?? {}).find((r) => r.self)?.self;
  }

  private async grant(e: Event) {
    e.preventDefault();
    const f = e.target as HTMLFormElement;
    const role = (f.elements.namedItem('role') as HTMLSelectElement).value;
    const record = (f.elements.namedItem('person') as HTMLSelectElement).value;
    if (!role || !record) { toast('请选择职务和人员', 'error'); return; }
    await this.send({ node: this.nodeId, role, record });
  }

  /**
   * Grants; a person without an account is offered one in the same step (the role needs a login),
   * whose first password is then shown once, as when an account is opened on the record.
   */
  private async send(body: Record<string, unknown>) {
    try {
      const r = await api.post<{ roleTitle: string; displayName: string; username: string; password?: string }>('/api/grants', body);
      toast(`已授予${r.displayName}「${r.roleTitle}」${r.password ? '，并已开通账号' : ''}`);
      await this.holders.run();
      // After the holders' table shows the new account, so both appear together.
      this.handOver = r.password ? { nodeId: this.nodeId, username: r.username, password: r.password } : undefined;
      emit(this, 'changed');
    } catch (err) {
      if (err instanceof ApiError && err.code === 'account_required' && !body.openAccount) {
        if (confirm('该人员尚无系统账号。是否为其开通账号并授予职务？初始密码只显示一次，请当面交给本人。')) await this.send({ ...body, openAccount: true });
        return;
      }
      toast(messageOf(err), 'error');
    }
  }

  private async revoke(g: GrantItem) {
    if (!confirm(`确定撤销${g.displayName}的「${g.roleTitle}」吗？`)) return;
    try {
      await api.del(`/api/grants${qs({ node: this.nodeId, role: g.role, username: g.username })}`);
      toast(`已撤销${g.displayName}的「${g.roleTitle}」`);
      await this.holders.run();
      emit(this, 'changed');
    } catch (err) {
      toast(messageOf(err), 'error');
    }
  }

  private async change(g: GrantItem, change: 'reset' | 'lock' | 'unlock') {
    const res = await changeAccount(g.username, change);
    if (!res) return;
    this.handOver = res.password ? { nodeId: this.nodeId, username: g.username, password: res.password } : undefined;
    await this.holders.run();
  }

  /** What the account's keeper may do with it. */
  private accountActions(g: GrantItem) {
    if (!g.kept) return nothing;
    return html`<button type="button" class="btn-link" aria-label=${`重置${g.displayName}的密码`} @click=${() => this.change(g, 'reset')}>重置密码</button>
      ${g.locked
        ? html`<button type="button" class="btn-link" aria-label=${`启用${g.displayName}的账号`} @click=${() => this.change(g, 'unlock')}>启用</button>`
        : html`<button type="button" class="btn-danger-link" aria-label=${`停用${g.displayName}的账号`} @click=${() => this.change(g, 'lock')}>停用</button>`}`;
  }

  override render() {
    // Another node's holders and people are not offered under this one while it loads.
    const shown = this.holders.value?.nodeId === this.nodeId ? this.holders.value : undefined;
    if (this.holders.error || !shown) return nothing;
    const a = shown.answer;
    const pc = this.peopleCollection;
    const titleField = pc ? session.app!.collections[pc]?.titleField ?? '' : '';
    return html`<section class="attached" aria-labelledby="grants-h">
      <h3 class="group-title" id="grants-h">职务与权限</h3>
      <div class="table-wrap"><table class="data-table">
        <thead><tr><th scope="col">人员</th><th scope="col">账号</th><th scope="col">职务</th><th scope="col">操作</th></tr></thead>
        <tbody>${a.items.length ? nothing : html`<tr><td class="empty" colspan="4">尚未设置</td></tr>`}
          ${a.items.map((g) => html`<tr data-username=${g.username}><th scope="row">${g.displayName}</th><td>${usernameWithState(g)}</td><td>${g.roleTitle}</td>
            <td class="nowrap"><button type="button" class="btn-danger-link" aria-label=${`撤销${g.displayName}的${g.roleTitle}`} @click=${() => this.revoke(g)}>撤销</button>
              ${this.accountActions(g)}</td></tr>`)}</tbody>
      </table></div>
      ${this.handOver ? firstPasswordNotice(this.handOver.username, this.handOver.password) : nothing}
      ${pc ? html`<form class="filters grant-form" @submit=${this.grant}>
        <label for="grant-person">人员</label>
        <select id="grant-person" name="person"><option value="">--请选择--</option>
          ${shown.people.map((p) => html`<option value=${p.id}>${String(p.data[titleField] ?? p.id)}</option>`)}</select>
        <label for="grant-role">职务</label>
        <select id="grant-role" name="role"><option value="">--请选择--</option>
          ${a.roles.map((r) => html`<option value=${r.role}>${r.title}</option>`)}</select>
        <button class="btn" type="submit">授予</button>
      </form>` : nothing}
    </section>`;
  }
}
