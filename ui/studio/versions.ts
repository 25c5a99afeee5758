import { html, nothing } from 'lit';
import { customElement, state } from 'lit/decorators.js';
import { LightElement } from '../components/light-element.js';
import { api, ApiError } from '../api/client.js';
import { session } from '../api/session.js';
import { toast } from '../components/toast.js';
import { dateTime } from '../format.js';
import type { FieldError } from '../api/types.js';
import { draftStore } from './draft-store.js';
import { renderDiff, type DocumentDiff } from './shell-diff.js';
import { reloadProductConfig } from './shell-format.js';
import '../components/modal-dialog.js';

interface Version { number: number; author: string | null; authorName: string | null; at: string; note: string | null; origin: string; basedOn: number | null }
interface HistoryEntry { id: number; at: string; actor: string | null; actorName: string | null; action: string; version: number | null; draft: number | null; note: string | null; detail: unknown }

const origins: Record<string, string> = { draft: '草稿发布', rollback: '回滚', codes: '代码表编辑', watch: '开发模式', files: '应用文件', import: '文件导入', release: '新版本文件' };
const actions: Record<string, string> = {
  open: '打开草稿', save: '保存草稿', discard: '放弃草稿', propose: '提交审批', approve: '批准', publish: '发布', rollback: '回滚', import: '导入',
};
const HISTORY_PAGE = 20;

/** A person by display name (the username on hover, as in 系统审核); the system's own entries say 系统. */
const person = (name: string | null, username: string | null) => html`<span title=${username ?? ''}>${name ?? username ?? ''}</span>`;

/** What a history entry's detail says in words: the document saved, the versions of a rollback. */
function detailText(d: unknown): string {
  const x = d as { path?: string; change?: string; from?: number; to?: number } | null;
  if (x?.path) return `${x.path}（${{ added: '新增', removed: '删除', changed: '修改' }[x.change ?? ''] ?? x.change ?? ''}）`;
  if (x?.from !== undefined && x?.to !== undefined) return `由第 ${x.from} 版回到第 ${x.to} 版`;
  return '';
}

/** A history entry's 说明: the admin's note and what the entry did, apart (a rollback: 「撤回…；由第 3 版回到第 2 版」). */
const historyText = (h: HistoryEntry) => [h.note, detailText(h.detail)].filter(Boolean).join('；');

/**
 * The studio's overview (#/studio): the config versions (author, time, note, origin), a
 * side-by-side diff of any two of them (or a version and the draft), 回滚 to a version (with a note;
 * the migration steps back when the server asks for them) and the config history.
 */
@customElement('caiji-studio-versions')
export class StudioVersions extends LightElement {
  @state() private versions: Version[] = [];
  @state() private published = 0;
  @state() private a = '';
  @state() private b = '';
  @state() private diff?: { a: string; b: string; documents: DocumentDiff[] };
  @state() private diffError = '';
  @state() private history: HistoryEntry[] = [];
  @state() private moreHistory = false;
  @state() private error = '';
  @state() private rollbackTo = 0;
  @state() private rollbackNote = '';
  @state() private rollbackSteps = '';
  @state() private rollbackRefusal?: { message: string; details: FieldError[] };
  @state() private busy = false;
  private unsubscribe?: () => void;
  /** The draft state the lists were read for: read again after an open, publish or discard. */
  private seen = '';

  override connectedCallback() {
    super.connectedCallback();
    this.unsubscribe = draftStore.subscribe(() => this.onStore());
    this.onStore();
  }

  override disconnectedCallback() {
    super.disconnectedCallback();
    this.unsubscribe?.();
  }

  private onStore() {
    const v = draftStore.view;
    const key = v ? `draft:${v.base}:${v.proposal ? 'p' : ''}` : 'none';
    if (key !== this.seen) {
      this.seen = key;
      void this.load();
    }
    this.requestUpdate();
  }

  private async load() {
    try {
      const r = await api.get<{ published: number; items: Version[] }>('/api/config/versions');
      this.versions = r.items;
      this.published = r.published;
      // The default comparison: the version before the published one with the published one.
      if (!this.b || !r.items.some((v) => String(v.number) === this.b)) {
        const prev = r.items.find((v) => v.number < r.published);
        this.a = String(prev?.number ?? r.published);
        this.b = String(r.published);
        this.diff = undefined;
      }
      await this.loadHistory();
    } catch (e) {
      this.error = e instanceof ApiError ? e.message : String(e);
    }
  }

  private async loadHistory(before?: number) {
    const q = `?limit=${HISTORY_PAGE}${before ? `&before=${before}` : ''}`;
    const r = await api.get<{ items: HistoryEntry[] }>(`/api/config/history${q}`);
    this.history = before ? [...this.history, ...r.items] : r.items;
    this.moreHistory = r.items.length === HISTORY_PAGE;
  }

  private async compare() {
    this.diffError = '';
    try {
      this.diff = await api.get(`/api/config/versions/${encodeURIComponent(this.a)}/diff/${encodeURIComponent(this.b)}`);
    } catch (e) {
      this.diffError = e instanceof ApiError ? e.message : String(e);
    }
  }

  private askRollback(n: number) {
    this.rollbackTo = n;
    // The note is the admin's own words; the server's version note says 「回滚到第 N 版」 before them.
    this.rollbackNote = '';
    this.rollbackSteps = '';
    this.rollbackRefusal = undefined;
  }

  private async rollback() {
    let steps: unknown;
    if (this.rollbackSteps.trim()) {
      try { steps = JSON.parse(this.rollbackSteps); } catch (e) {
        return void (this.rollbackRefusal = { message: `迁移步骤不是有效的 JSON：${(e as Error).message}`, details: [] });
      }
    }
    this.busy = true;
    try {
      const r = await api.post<{ version: number; problems?: unknown }>(`/api/config/versions/${this.rollbackTo}/rollback`,
        { note: this.rollbackNote.trim() || undefined, ...(steps ? { steps } : {}) });
      this.rollbackTo = 0;
      // Under four-eyes a rollback opens the draft instead (a draft view answers), to be proposed and approved.
      if (r.problems) {
        toast('已按该版本打开草稿：请提交审批，由另一位配置管理员批准发布');
      } else {
        await reloadProductConfig();
        toast(`已回滚：第 ${r.version} 版已发布`);
      }
      await draftStore.load();
      await this.load();
    } catch (e) {
      this.rollbackRefusal = e instanceof ApiError ? { message: e.message, details: e.details } : { message: String(e), details: [] };
    } finally {
      this.busy = false;
    }
  }

  override render() {
    const draftOpen = !!draftStore.view;
    const choices = [...this.versions.map((v) => String(v.number)), ...(draftOpen ? ['draft'] : [])];
    const label = (x: string) => (x === 'draft' ? '草稿' : `第 ${x} 版`);
    return html`
      <h1 tabindex="-1">配置工作台</h1>
      ${this.error ? html`<p class="error-text" role="alert">${this.error}</p>` : nothing}
      <section class="panel" aria-labelledby="studio-versions-h">
        <h2 id="studio-versions-h" class="panel-title">配置版本</h2>
        <table class="data-table studio-versions">
          <thead><tr><th scope="col">版本</th><th scope="col">作者</th><th scope="col">时间</th><th scope="col">说明</th><th scope="col">来源</th><th scope="col">操作</th></tr></thead>
          <tbody>${this.versions.map((v) => html`<tr data-version=${v.number}>
            <td>第 ${v.number} 版 ${v.number === this.published ? html`<span class="badge ok">当前</span>` : nothing}</td>
            <td>${person(v.authorName, v.author)}</td><td>${dateTime(v.at)}</td><td>${v.note ?? ''}</td><td>${origins[v.origin] ?? v.origin}</td>
            <td>${v.number !== this.published ? html`<button type="button" class="btn btn-small" @click=${() => this.askRollback(v.number)}>回滚到此版</button>` : nothing}</td>
          </tr>`)}</tbody>
        </table>
      </section>
      <section class="panel" aria-labelledby="studio-diff-h">
        <h2 id="studio-diff-h" class="panel-title">版本比较</h2>
        <form class="toolbar" @submit=${(e: Event) => { e.preventDefault(); void this.compare(); }}>
          <label>比较 <select id="diff-a" aria-label="较早的版本" @change=${(e: Event) => { this.a = (e.target as HTMLSelectElement).value; }}>
            ${choices.map((x) => html`<option value=${x} ?selected=${x === this.a}>${label(x)}</option>`)}</select></label>
          <label>与 <select id="diff-b" aria-label="较新的版本" @change=${(e: Event) => { this.b = (e.target as HTMLSelectElement).value; }}>
            ${choices.map((x) => html`<option value=${x} ?selected=${x === this.b}>${label(x)}</option>`)}</select></label>
          <button type="submit" class="btn">比较</button>
        </form>
        ${this.diffError ? html`<p class="error-text" role="alert">${this.diffError}</p>` : nothing}
        ${this.diff ? html`<div class="studio-diff-wrap">${renderDiff(this.diff.documents, this.diff.a, this.diff.b, session.app?.essentialLabel)}</div>` : nothing}
      </section>
      <section class="panel" aria-labelledby="studio-history-h">
        <h2 id="studio-history-h" class="panel-title">配置历史</h2>
        <table class="data-table studio-history">
          <thead><tr><th scope="col">时间</th><th scope="col">操作人</th><th scope="col">操作</th><th scope="col">版本</th><th scope="col">说明</th></tr></thead>
          <tbody>${this.history.map((h) => html`<tr><td>${dateTime(h.at)}</td><td>${person(h.actorName, h.actor)}</td><td>${actions[h.action] ?? h.action}</td>
            <td>${h.version ? `第 ${h.version} 版` : ''}${h.draft ? `，草稿第 ${h.draft} 稿` : ''}</td><td>${historyText(h)}</td></tr>`)}</tbody>
        </table>
        ${this.moreHistory ? html`<button type="button" class="btn btn-small" @click=${() => this.loadHistory(this.history.at(-1)?.id)}>更多</button>` : nothing}
      </section>
      ${this.rollbackTo ? this.renderRollback() : nothing}`;
  }

  private renderRollback() {
    const body = html`<form id="studio-rollback-form" @submit=${(e: Event) => { e.preventDefault(); void this.rollback(); }}>
      <p>以第 ${this.rollbackTo} 版的配置发布一个新版本（经过同样的检查和迁移）。</p>
      <label class="field-label" for="rollback-note">说明（可不填）</label>
      <textarea id="rollback-note" rows="2" maxlength="2000" placeholder="为什么回滚" aria-describedby="rollback-note-result"
        .value=${this.rollbackNote} @input=${(e: Event) => { this.rollbackNote = (e.target as HTMLTextAreaElement).value; }}></textarea>
      <p class="muted small" id="rollback-note-result">版本说明：回滚到第 ${this.rollbackTo} 版${this.rollbackNote.trim() ? `：${this.rollbackNote.trim()}` : ''}</p>
      <details ?open=${!!this.rollbackRefusal?.details.length}><summary>迁移步骤（其间的版本改名或删除了字段、状态时需要）</summary>
        <textarea id="rollback-steps" rows="4" placeholder='[{"op":"renameField","collection":"…","from":"新名","to":"旧名"}]' .value=${this.rollbackSteps}
          @input=${(e: Event) => { this.rollbackSteps = (e.target as HTMLTextAreaElement).value; }}></textarea></details>
      ${this.rollbackRefusal ? html`<div class="error-box" role="alert"><p>${this.rollbackRefusal.message}</p>
        ${this.rollbackRefusal.details.length ? html`<ul>${this.rollbackRefusal.details.map((d) => html`<li>${d.message}</li>`)}</ul>` : nothing}</div>` : nothing}
    </form>`;
    const footer = html`<button type="button" class="btn" @click=${() => { this.rollbackTo = 0; }}>取消</button>
      <button type="submit" form="studio-rollback-form" class="btn btn-primary" ?disabled=${this.busy}>回滚</button>`;
    return html`<caiji-dialog heading="回滚配置" .body=${body} .footer=${footer} @close=${() => { this.rollbackTo = 0; }}></caiji-dialog>`;
  }
}
