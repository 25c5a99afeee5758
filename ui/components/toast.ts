import { session } from '../api/session.js';

/** Short messages at the bottom right of the page (clicks pass through them), announced to screen readers (role=status / alert). */
let region: HTMLElement | undefined;

export function toast(message: string, kind: 'ok' | 'error' | 'info' = 'ok') {
  // The session ended elsewhere and the login page took the page's place, saying so once
  // (「登录已失效，请重新登录」). An error raised now is the refusal of what that page had started —
  // a poll, a button, a load answered 401 「请先登录」 — and would say it a second time on top.
  if (kind === 'error' && session.ended) return;
  if (!region) {
    region = document.createElement('div');
    region.className = 'toasts';
    document.body.append(region);
  }
  const el = document.createElement('div');
  el.className = `toast toast-${kind}`;
  el.setAttribute('role', kind === 'error' ? 'alert' : 'status');
  el.textContent = message;
  region.append(el);
  setTimeout(() => el.remove(), kind === 'error' ? 8000 : 4000);
}
