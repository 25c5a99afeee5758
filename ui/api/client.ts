import type { FieldError } from './types.js';

/** An error answer of the API: {error:{code, message, details}} with its HTTP status. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details: FieldError[] = [],
    readonly body: any = null,
  ) {
    super(message);
  }
}

let csrf = '';
/** Remembers the session's CSRF token (from login or /api/me) for every state-changing request. */
export const setCsrf = (token: string) => { csrf = token; };
/** The CSRF token a request goes out under: each session has its own, so it names the session. */
const sessionOfRequest = () => csrf;

/** Fired on window when the server's config generation changes (a code table or form was changed). */
export const CONFIG_CHANGED = 'caiji-config-changed';
let generation = '';
function watchGeneration(res: Response) {
  const g = res.headers.get('X-Config-Generation');
  if (!g) return;
  if (generation && g !== generation) window.dispatchEvent(new CustomEvent(CONFIG_CHANGED));
  generation = g;
}

/** Fired on window when the server answers 401: the session is gone. */
export const UNAUTHENTICATED = 'caiji-unauthenticated';

/**
 * The ApiError of a refused answer (its JSON body already read); a 401 also tells the app the
 * session is gone, unless `sessionGone` is false (a failed login is no lost session) — and unless
 * the request went out under another session than the tab's now (`sentUnder`: a request of the
 * session a login in this tab has since replaced, answered late): that 401 ends nothing.
 */
function refusal(res: Response, parsed: any, sentUnder: string, sessionGone = true): ApiError {
  const e = parsed?.error ?? {};
  if (res.status === 401 && sessionGone && sentUnder === sessionOfRequest()) window.dispatchEvent(new CustomEvent(UNAUTHENTICATED));
  return new ApiError(res.status, e.code ?? 'http_' + res.status, e.message ?? `请求失败（${res.status}）`, e.details ?? [], parsed);
}

/**
 * fetch for the API: JSON in and out, the CSRF header, errors as ApiError. A request given a
 * `signal` is cancelled when it aborts (a newer request overtook it: a Task of @lit/task aborts the
 * signal it gave the older run); it then
 * rejects with the signal's AbortError, never an ApiError, for nobody is waiting for its answer.
 */
export async function request<T = any>(method: string, path: string, body?: unknown, headers: Record<string, string> = {}, signal?: AbortSignal): Promise<T> {
  const h: Record<string, string> = { Accept: 'application/json', ...headers };
  if (method !== 'GET' && csrf) h['X-CSRF-Token'] = csrf;
  if (body !== undefined) h['Content-Type'] = 'application/json';
  const sentUnder = sessionOfRequest();
  let res: Response;
  try {
    res = await fetch(path, { method, headers: h, body: body === undefined ? undefined : JSON.stringify(body), credentials: 'same-origin', signal });
  } catch (e) {
    if (signal?.aborted) throw e;
    throw new ApiError(0, 'network', '无法连接服务器，请检查网络后重试');
  }
  watchGeneration(res);
  const text = await res.text();
  let parsed: any = null;
  try { parsed = text ? JSON.parse(text) : null; } catch { parsed = text; }
  if (!res.ok) throw refusal(res, parsed, sentUnder, path !== '/api/login');
  return parsed as T;
}

export const api = {
  get: <T = any>(path: string, signal?: AbortSignal) => request<T>('GET', path, undefined, {}, signal),
  post: <T = any>(path: string, body?: unknown) => request<T>('POST', path, body ?? {}),
  put: <T = any>(path: string, body: unknown, version: number) => request<T>('PUT', path, body, { 'If-Match': `"${version}"` }),
  del: <T = any>(path: string, version?: number) => request<T>('DELETE', path, undefined, version ? { 'If-Match': `"${version}"` } : {}),
};

/** Sends a file as the raw request body (its name in ?filename=), JSON answer or ApiError. */
export async function uploadFile<T = any>(path: string, file: File): Promise<{ status: number; body: T }> {
  const sep = path.includes('?') ? '&' : '?';
  const sentUnder = sessionOfRequest();
  let res: Response;
  try {
    res = await fetch(`${path}${sep}filename=${encodeURIComponent(file.name)}`, {
      method: 'POST', body: file, credentials: 'same-origin',
      headers: { Accept: 'application/json', 'Content-Type': file.type || 'application/octet-stream', ...(csrf ? { 'X-CSRF-Token': csrf } : {}) },
    });
  } catch {
    throw new ApiError(0, 'network', '无法连接服务器，请检查网络后重试');
  }
  const parsed: any = await res.json().catch(() => null);
  if (!res.ok) throw refusal(res, parsed, sentUnder);
  return { status: res.status, body: parsed as T };
}

/**
 * Fetches a file the server makes on request (an export) and hands it to the browser as a
 * download under the name the server gives; a refusal comes back as ApiError (a plain link would
 * have saved the error's JSON as the file).
 */
export async function downloadFile(path: string): Promise<string> {
  const sentUnder = sessionOfRequest();
  let res: Response;
  try {
    res = await fetch(path, { credentials: 'same-origin' });
  } catch {
    throw new ApiError(0, 'network', '无法连接服务器，请检查网络后重试');
  }
  if (!res.ok) throw refusal(res, await res.json().catch(() => null), sentUnder);
  const named = /filename\*=UTF-8''([^;]+)/i.exec(res.headers.get('Content-Disposition') ?? '');
  const filename = named ? decodeURIComponent(named[1]) : 'download';
  const url = URL.createObjectURL(await res.blob());
  const a = Object.assign(document.createElement('a'), { href: url, download: filename });
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
  return filename;
}

/** Query string from an object, leaving out empty values. */
export function qs(params: Record<string, string | number | boolean | undefined | null>): string {
  const p = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v !== undefined && v !== null && v !== '' && v !== false) p.set(k, String(v));
  const s = p.toString();
  return s ? `?${s}` : '';
}

export const enc = encodeURIComponent;

/** What to tell the user about a failed request: the API's own message, or the error as text. */
export const messageOf = (e: unknown): string => (e instanceof ApiError ? e.message : String(e));
