import { session } from '../api/session.js';

/**
 * After a publish or rollback this page's product views must use the new config: the manifest
 * (list columns, titles, roles) is read again and the cached forms and validators dropped.
 */
export function reloadProductConfig(): Promise<void> {
  return session.reloadApp();
}

/** A config value as one readable line: texts as they are, lists joined by 、, objects as compact JSON. */
export function valueText(v: unknown): string {
  if (v === undefined) return '—';
  if (v === null) return 'null';
  if (typeof v === 'string') return v === '' ? '（空）' : v;
  if (typeof v === 'boolean') return v ? '是' : '否';
  if (Array.isArray(v) && v.every((x) => x === null || typeof x !== 'object')) return v.length ? v.map((x) => String(x)).join('、') : '（空列表）';
  return JSON.stringify(v);
}
