/** Short messages at the bottom right of the page (clicks pass through them), announced to screen readers (role=status / alert). */
let region: HTMLElement | undefined;

export function toast(message: string, kind: 'ok' | 'error' | 'info' = 'ok') {
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
