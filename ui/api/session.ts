import { api, setCsrf, enc, CONFIG_CHANGED, ApiError } from './client.js';
import type { FormInfo, Manifest, Me, CodeEntry } from './types.js';
import type { BrowserValidator } from '../../engine/validation/browser-validator.js';

export type { BrowserValidator };

/**
 * Fired on window when the session has read the manifest again after the config changed (a
 * publish elsewhere): the app shell re-renders the page so list columns, titles and states follow.
 */
export const APP_CHANGED = 'caiji-app-changed';

/** A cached form is checked again when used after this long: a config admin may have changed it. */
const FORM_TTL_MS = 60_000;

/** The logged-in user, the manifest and per-collection forms and validators, loaded once each. */
class Session {
  me: Me | null = null;
  app: Manifest | null = null;
  publicApp: { name: string; title: string; loginNote?: string | null } | null = null;
  /** The session ended without this tab logging out (the server answered 401): the login page says so, and no error toast says it again. */
  ended = false;
  private forms = new Map<string, { p: Promise<FormInfo>; at: number }>();
  private validators = new Map<string, Promise<BrowserValidator>>();
  /** Raised when the config changes (a saved code table): validator modules are fetched anew. */
  private generation = 0;
  /** Forms being fetched again, compared with the cached ones (see form()). */
  private checking = new Map<string, Promise<void>>();

  async restore(): Promise<boolean> {
    this.publicApp = await api.get('/api/app');
    try {
      this.set(await api.get<Me>('/api/me'));
      this.app = await api.get<Manifest>('/api/app');
      return true;
    } catch {
      return false;
    }
  }

  async login(username: string, password: string) {
    this.set(await api.post<Me>('/api/login', { username, password }));
    this.app = await api.get<Manifest>('/api/app');
    this.ended = false;
  }

  async logout() {
    try { await api.post('/api/logout'); } finally { this.clear(); }
  }

  clear() {
    this.me = null;
    this.app = null;
    this.forms.clear();
    this.validators.clear();
  }

  /** Forgets cached forms and validators, e.g. after a code table was saved: the next form uses the new config. */
  invalidateForms() {
    this.generation++;
    this.forms.clear();
    this.validators.clear();
  }

  /** The manifest being read again (one read however many answers told of the change). */
  private reloading: Promise<void> | null = null;

  /**
   * The config changed on the server (a publish, a rollback, a saved code table): cached forms and
   * validators are dropped and the manifest read again, so a page left open gets the new config on
   * its next navigation without logging in again. APP_CHANGED tells the pages when it arrived.
   */
  reloadApp(): Promise<void> {
    this.invalidateForms();
    if (!this.me) return Promise.resolve();
    this.reloading ??= api.get<Manifest>('/api/app')
      .then((app) => {
        if (!this.me) return;
        this.app = app;
        window.dispatchEvent(new CustomEvent(APP_CHANGED));
      })
      .finally(() => { this.reloading = null; });
    return this.reloading;
  }

  private set(me: Me) {
    this.me = me;
    setCsrf(me.csrfToken);
  }

  /**
   * The collection's form (schema with code tables expanded), cached. After FORM_TTL_MS it is
   * fetched again; if the schema changed (e.g. a code table was saved by someone else), the
   * cached validator is dropped too so the next form validates against the new config.
   */
  form(collection: string): Promise<FormInfo> {
    const cached = this.forms.get(collection);
    if (cached && Date.now() - cached.at < FORM_TTL_MS) return cached.p;
    const p = api.get<FormInfo>(`/api/forms/${enc(collection)}`);
    const entry = { p, at: Date.now() };
    this.forms.set(collection, entry);
    p.catch(() => { if (this.forms.get(collection) === entry) this.forms.delete(collection); });
    if (cached) {
      const check = Promise.all([cached.p, p]).then(([a, b]) => {
        if (JSON.stringify(a.schema) !== JSON.stringify(b.schema)) {
          this.generation++;
          this.validators.delete(collection);
        }
      }).catch(() => {}).finally(() => { if (this.checking.get(collection) === check) this.checking.delete(collection); });
      this.checking.set(collection, check);
    }
    return p;
  }

  /** The collection's validation module: the server's compiled schema, rules and messages. */
  validator(collection: string): Promise<BrowserValidator> {
    // A form being checked again decides first whether the cached validator still fits it.
    const check = this.checking.get(collection);
    if (check) return check.then(() => this.validator(collection));
    let v = this.validators.get(collection);
    if (!v) {
      const url = `/api/forms/${enc(collection)}/validator.js${this.generation ? `?g=${this.generation}` : ''}`;
      v = (import(/* @vite-ignore */ url) as Promise<{ default: BrowserValidator }>).then((m) => m.default, () => whyImportFailed());
      v.catch(() => this.validators.delete(collection));
      this.validators.set(collection, v);
    }
    return v;
  }

  /** The bound record of a self-service account, if any. */
  get selfRecord(): { collection: string; recordId: string } | null {
    const s = this.me?.self;
    if (!s) return null;
    if (typeof s === 'string') {
      const col = Object.values(this.app?.roles ?? {}).find((r) => r.self)?.self ?? '';
      return { collection: col, recordId: s };
    }
    return s;
  }

  /** Whether the user holds a permission (e.g. "write") anywhere. */
  can(permission: string): boolean {
    return !!this.me?.grants.some((g) => g.inForce && this.app?.roles[g.role]?.permissions.includes(permission));
  }

  get treeCollection(): string {
    return this.app!.tree.collection;
  }

  /** The title of a workflow state (from the manifest), or the state's id. */
  stateTitle(collection: string, state: string | null | undefined): string {
    if (!state) return '';
    return this.states(collection).find((x) => x.id === state)?.title ?? state;
  }

  /** CSS class of a state's badge: its position in the workflow (colours are presentation only). */
  stateClass(collection: string, state: string | null | undefined): string {
    const i = this.states(collection).findIndex((x) => x.id === state);
    return `state state-i${Math.max(0, i) % 6}`;
  }

  /** What the record's own person is told in a state (the workflow's selfHint), if anything. */
  selfHint(collection: string, state: string | null | undefined): string {
    return this.states(collection).find((x) => x.id === state)?.selfHint ?? '';
  }

  /** State ids and titles of a collection's workflow, in the workflow's order. */
  states(collection: string): { id: string; title: string; selfHint?: string | null }[] {
    return this.app?.collections[collection]?.states ?? [];
  }
}

/**
 * A module import that failed says only "Failed to fetch dynamically imported module", and its
 * 401 reaches no one. The server is asked whether the session is still there: if not, that 401
 * tells the shell (which shows the login page) and its 「请先登录」 is the error; if so, the error
 * says in words what could not be loaded.
 */
async function whyImportFailed(): Promise<never> {
  await api.get('/api/me');
  throw new ApiError(0, 'module', '无法加载表单的校验程序，请刷新页面后重试');
}

export const session = new Session();
// Any API answer carrying a new config generation: the manifest, forms and validators follow it.
window.addEventListener(CONFIG_CHANGED, () => { session.reloadApp().catch(() => {}); });

/** The label of a code, its code and whether it is deprecated. */
export function codeEntry(schema: any, value: unknown): CodeEntry | undefined {
  const codes: CodeEntry[] | undefined = schema?.['x-codes'];
  return codes?.find((c) => c.code === value);
}
