import { request, ApiError } from '../api/client.js';
import type { FieldError } from '../api/types.js';
import type { ImpactReport } from '../../engine/config-versions/impact.js';

export type { ImpactReport };

/** GET /api/config/draft: the open draft as the server describes it after every change (the server's own type). */
export type { DraftView } from '../../engine/config-versions/drafts.js';
import type { DraftView } from '../../engine/config-versions/drafts.js';

/** One saved change, to step back (undo) and forward (redo) through. */
interface Change { path: string; before: string | undefined; after: string | undefined }

type Listener = () => void;

const base = '/api/config/draft';
const filePath = (path: string) => `${base}/files/${path.split('/').map(encodeURIComponent).join('/')}`;
const ifMatch = (version: number) => ({ 'If-Match': `"${version}"` });

/**
 * The config studio's one view of the draft, shared by every studio page: the draft's state and
 * check results, its documents as text (read once, then kept), saves with the draft's version
 * (a stale one is told, never overwritten), and undo/redo over the saves of this session. Pages
 * subscribe and re-render on every change; none talks to the draft API on its own.
 */
export class DraftStore {
  view: DraftView | null = null;
  /** Why the draft could not be read or saved, in Chinese (for the draft bar). */
  error = '';
  private docs = new Map<string, string | undefined>();
  private undoStack: Change[] = [];
  private redoStack: Change[] = [];
  private listeners = new Set<Listener>();
  /** Raised by every read and change of the draft: a read answering after a newer change is dropped. */
  private seq = 0;
  /** Sections holding edits not saved yet (see setDirty): the studio shell warns before leaving them. */
  private dirtyOwners = new Set<string>();

  subscribe(l: Listener): () => void {
    this.listeners.add(l);
    return () => this.listeners.delete(l);
  }

  private changed() {
    for (const l of this.listeners) l();
  }

  /** Reads the draft (null when none is open). */
  async load(): Promise<DraftView | null> {
    const seq = ++this.seq;
    try {
      // The status says whether a draft is open: no draft is no error, so it is not asked as a 404.
      const status = await request<{ draft: unknown }>('GET', '/api/config/status');
      const view = status.draft ? await request<DraftView>('GET', base) : null;
      // An open, save or discard of this page answered meanwhile: its view is newer than this one.
      if (seq !== this.seq) return this.view;
      const before = this.view;
      this.view = view;
      // Another draft, or this one saved by someone else: the documents read before are stale.
      if (before?.version !== this.view?.version || before?.base !== this.view?.base) this.docs.clear();
      this.error = '';
    } catch (e) {
      if (e instanceof ApiError && e.status === 404) this.view = null;
      else this.error = e instanceof ApiError ? e.message : String(e);
    }
    this.changed();
    return this.view;
  }

  /** Opens a draft from the published version. */
  async open(): Promise<DraftView> {
    this.view = await request<DraftView>('POST', base, {});
    this.seq++;
    this.reset();
    return this.view;
  }

  async discard(): Promise<void> {
    if (!this.view) return;
    await request('DELETE', base, undefined, ifMatch(this.view.version));
    this.seq++;
    this.view = null;
    this.reset();
  }

  /** Proposes the draft for another config admin to publish (when the manifest asks for two). */
  async propose(note: string): Promise<void> {
    await request('POST', `${base}/propose`, { note }, ifMatch(this.view!.version));
    await this.load();
  }

  /** Publishes the draft; afterwards no draft is open. */
  async publish(note: string): Promise<{ version: number } & Record<string, unknown>> {
    const r = await request<{ version: number } & Record<string, unknown>>('POST', `${base}/publish`, { note }, ifMatch(this.view!.version));
    this.seq++;
    this.view = null;
    this.reset();
    return r;
  }

  private reset() {
    this.docs.clear();
    this.undoStack = [];
    this.redoStack = [];
    this.error = '';
    this.changed();
  }

  /** A document of the draft as text (undefined when the draft has no such document). */
  async text(path: string): Promise<string | undefined> {
    if (this.docs.has(path)) return this.docs.get(path);
    if (!this.view?.documents.includes(path)) return undefined;
    const r = await request<{ content?: string }>('GET', filePath(path));
    const text = typeof r.content === 'string' ? r.content : undefined;
    this.docs.set(path, text);
    return text;
  }

  /** A JSON document of the draft, parsed (undefined when absent or not JSON). */
  async json<T = unknown>(path: string): Promise<T | undefined> {
    const text = await this.text(path);
    if (text === undefined) return undefined;
    try { return JSON.parse(text) as T; } catch { return undefined; }
  }

  /** Saves a document (undefined removes it); the step can be undone. */
  async save(path: string, content: string | undefined): Promise<DraftView> {
    const before = await this.text(path);
    await this.write(path, content);
    this.undoStack.push({ path, before, after: content });
    this.redoStack = [];
    this.changed();
    return this.view!;
  }

  /** Saves a JSON document, formatted as the files are (two spaces, a final newline). */
  saveJson(path: string, value: unknown): Promise<DraftView> {
    return this.save(path, `${JSON.stringify(value, null, 2)}\n`);
  }

  get canUndo() { return this.undoStack.length > 0; }
  get canRedo() { return this.redoStack.length > 0; }

  async undo(): Promise<void> {
    const c = this.undoStack.pop();
    if (!c) return;
    await this.write(c.path, c.before);
    this.redoStack.push(c);
    this.changed();
  }

  async redo(): Promise<void> {
    const c = this.redoStack.pop();
    if (!c) return;
    await this.write(c.path, c.after);
    this.undoStack.push(c);
    this.changed();
  }

  private async write(path: string, content: string | undefined) {
    if (!this.view) throw new ApiError(404, 'not_found', '没有打开的草稿');
    try {
      this.view = content === undefined
        ? await request<DraftView>('DELETE', filePath(path), undefined, ifMatch(this.view.version))
        : await request<DraftView>('PUT', filePath(path), { content }, ifMatch(this.view.version));
      this.seq++;
      this.docs.set(path, content);
      this.error = '';
    } catch (e) {
      // Someone else saved the draft meanwhile: read it again rather than overwrite their change.
      if (e instanceof ApiError && e.status === 409) {
        this.docs.clear();
        await this.load();
      }
      throw e;
    }
  }

  /**
   * A section tells the studio shell that it holds edits not saved to the draft yet (true) or no
   * longer (false, after saving or dropping them); `owner` names the section (e.g. its tag). While
   * any owner is dirty the shell asks before the route leaves the section and before the page is
   * closed. The shell clears every owner when the person chooses to leave anyway.
   */
  setDirty(owner: string, dirty: boolean) {
    if (dirty === this.dirtyOwners.has(owner)) return;
    if (dirty) this.dirtyOwners.add(owner);
    else this.dirtyOwners.delete(owner);
    this.changed();
  }

  /** Whether some section holds unsaved edits. */
  get dirty(): boolean { return this.dirtyOwners.size > 0; }

  clearDirty() {
    if (!this.dirtyOwners.size) return;
    this.dirtyOwners.clear();
    this.changed();
  }

  /**
   * The draft's impact on the stored records (GET /api/config/draft/impact, a job followed until it
   * ends); `progress` hears (done, total) on the way. Refused when the draft does not pass its checks.
   */
  async impact(progress?: (done: number, total: number) => void): Promise<ImpactReport> {
    type JobView = { id: string; status: 'running' | 'done' | 'failed'; done: number; total: number; result?: ImpactReport; error?: { message: string } };
    let job = await request<JobView>('GET', `${base}/impact`);
    for (;;) {
      progress?.(job.done, job.total);
      if (job.status === 'done') return job.result!;
      if (job.status === 'failed') throw new ApiError(500, 'job_failed', job.error?.message ?? '影响分析失败');
      await new Promise((r) => setTimeout(r, 400));
      job = await request<JobView>('GET', `/api/jobs/${encodeURIComponent(job.id)}`);
    }
  }

  /** The check problems of one document (a path, or "path#/pointer"). */
  problemsOf(path: string): FieldError[] {
    return (this.view?.problems ?? []).filter((p) => p.path === path || p.path.startsWith(`${path}#`));
  }
}

/** The studio's draft, one per page load. */
export const draftStore = new DraftStore();
