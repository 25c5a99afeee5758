import { html, nothing } from 'lit';
import { api, enc, ApiError } from '../api/client.js';
import { toast } from './toast.js';

/** An account as /api/accounts answers it. */
export interface Account { username: string; displayName: string; createdAt: string; locked: boolean; lockedAt: string | null; mustChangePassword: boolean }
export interface AccountChange { account: Account; password?: string }

/**
 * 重置密码 / 停用 / 启用 of an account the user keeps, after asking (a reset or a lock logs its
 * holder out). The answer carries the account as it is now, and the new first password after a
 * reset; undefined when the user cancelled or the server refused (said in a toast).
 */
export async function changeAccount(username: string, change: 'reset' | 'lock' | 'unlock'): Promise<AccountChange | undefined> {
  const ask = {
    reset: `确定重置账号 ${username} 的密码吗？原密码立即失效，本人须用新的初始密码登录并修改。`,
    lock: `确定停用账号 ${username} 吗？本人将不能登录，已登录的也会退出。`,
    unlock: '',
  }[change];
  if (ask && !confirm(ask)) return undefined;
  try {
    const res = await api.post<AccountChange>(`/api/accounts/${enc(username)}/${change === 'reset' ? 'password' : change}`);
    toast({ reset: '密码已重置', lock: '账号已停用', unlock: '账号已启用' }[change]);
    return res;
  } catch (err) {
    toast(err instanceof ApiError ? err.message : String(err), 'error');
    return undefined;
  }
}

/** The first password the server just set, to hand over: shown once. */
export const firstPasswordNotice = (username: string, password: string) => html`<div class="notice first-password-notice" role="status">
  <p>账号 <strong>${username}</strong> 的初始密码：<code class="first-password">${password}</code></p>
  <p class="muted">请当面或以安全的方式交给本人；本人首次登录时须修改密码。此密码只显示这一次，离开本页后无法再查看（可再次重置）。</p>
</div>`;

/** A username with its account's state as a tag (停用 first: a locked account cannot log in at all). */
export const usernameWithState = (a: { username: string; locked: boolean; mustChangePassword: boolean }) =>
  html`${a.username}${a.locked ? html` <span class="tag tag-off">已停用</span>` : a.mustChangePassword ? html` <span class="tag tag-warn">待改初始密码</span>` : nothing}`;
