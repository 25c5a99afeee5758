import { html, nothing } from 'lit';
import { customElement, state } from 'lit/decorators.js';
import { LightElement } from '../components/light-element.js';
import { ApiError } from '../api/client.js';
import { session } from '../api/session.js';
import { toast } from '../components/toast.js';
import type { FieldError } from '../api/types.js';
import { draftStore, type ImpactReport } from './draft-store.js';
import { placeOf, type ManifestDoc, MANIFEST } from './shell-places.js';
import { dateTime as formatTime } from '../format.js';
import { reloadProductConfig } from './shell-format.js';
import { impactLines } from './shell-impact.js';
import '../components/modal-dialog.js';

/** What the note dialog is for: publishing, proposing (four-eyes) or approving a proposal. */
type NoteAction = 'publish' | 'propose' | 'approve';
const actionTitles: Record<NoteAction, string> = { publish: '发布', propose: '提交审批', approve: '批准发布' };

/** Whether a key press belongs to a text being edited (its own undo), not to the draft's. */
const editing = (t: EventTarget | null) =>
  t instanceof HTMLElement && (t.isContentEditable || ['INPUT', 'TEXTAREA', 'SELECT'].includes(t.tagName) || !!t.closest('.cm-editor'));

/**
 * The studio's draft bar, always in view: no draft → 打开草稿; a draft → its version and who saved
 * it when, 撤销/重做 (also Ctrl+Z / Ctrl+Shift+Z outside a text field), its check errors (each a link
 * to the place), warnings, the impact on the stored records, 发布 with a note (refused → the
 * server's messages), 提交审批 / 批准发布 when the manifest asks for a second admin, 放弃草稿.
 */
@customElement('caiji-studio-draft-bar')
export class StudioDraftBar extends LightElement {
  @state() private busy = false;
  @state() private manifest?: ManifestDoc;
  @state() private noteFor?: NoteAction;
  @state() private note = '';
  @state() private refusal?: { message: string; details: FieldError[] };
  @state() private impact?: { report?: ImpactReport; done: number; total: number; error?: string; draftVersion: number };
  @state() private showProblems = true;
  private unsubscribe?: () => void;
  private manifestOf = -1;

  /** Tells the page how tall the bar is (--studio-bar-h): the sections' sticky toolbars stick below it, not under it. */
  private sizes = new ResizeObserver(() => {
    document.documentElement.style.setProperty('--studio-bar-h', `${Math.ceil(this.getBoundingClientRect().height)}px`);
  });

  override connectedCallback() {
    super.connectedCallback();
    this.unsubscribe = draftStore.subscribe(() => this.onStore());
    document.addEventListener('keydown', this.onKey);
    this.sizes.observe(this);
    this.onStore();
  }

  override disconnectedCallback() {
    super.disconnectedCallback();
    this.unsubscribe?.();
    document.removeEventListener('keydown', this.onKey);
    this.sizes.disconnect();
    document.documentElement.style.removeProperty('--studio-bar-h');
  }

  private onStore() {
    this.requestUpdate();
    const v = draftStore.view;
    // The manifest names the places of the problems; read again when the draft changed.
    if (v && v.version !== this.manifestOf) {
      this.manifestOf = v.version;
      draftStore.json<ManifestDoc>(MANIFEST).then((m) => { this.manifest = m; }).catch(() => {});
    }
  }

  private onKey = (e: KeyboardEvent) => {
    if (!(e.ctrlKey || e.metaKey) || e.altKey || editing(e.target)) return;
    const key = e.key.toLowerCase();
    if (key === 'z' && !e.shiftKey) { e.preventDefault(); void this.step('undo'); }
    else if ((key === 'z' && e.shiftKey) || key === 'y') { e.preventDefault(); void this.step('redo'); }
  };

  private async run(what: () => Promise<unknown>) {
    this.busy = true;
    try {
      await what();
    } catch (e) {
      toast(e instanceof ApiError ? e.message : String(e), 'error');
    } finally {
      this.busy = false;
    }
  }

  private async step(dir: 'undo' | 'redo') {
    if (this.busy || !(dir === 'undo' ? draftStore.canUndo : draftStore.canRedo)) return;
    // A section's unsaved edits were made over the document the step is about to change.
    if (draftStore.dirty && !confirm('当前页面有未保存的修改，撤销/重做将丢弃这些修改。继续吗？')) return;
    draftStore.clearDirty();
    await this.run(() => (dir === 'undo' ? draftStore.undo() : draftStore.redo()));
  }

  private open() {
    return this.run(async () => { await draftStore.open(); toast('已打开草稿'); });
  }

  private discard() {
    if (!confirm('确定放弃草稿吗？草稿中的全部修改都将丢失，已发布的配置不受影响。')) return;
    draftStore.clearDirty();
    return this.run(async () => { await draftStore.discard(); this.impact = undefined; toast('已放弃草稿'); });
  }

  private async analyse() {
    const draftVersion = draftStore.view!.version;
    this.impact = { done: 0, total: 0, draftVersion };
    try {
      const report = await draftStore.impact((done, total) => { if (this.impact?.draftVersion === draftVersion) this.impact = { ...this.impact, done, total }; });
      if (this.impact?.draftVersion === draftVersion) this.impact = { ...this.impact, report };
    } catch (e) {
      if (this.impact?.draftVersion === draftVersion) this.impact = { ...this.impact, error: e instanceof ApiError ? e.message : String(e) };
    }
  }

  private async submitNote() {
    const action = this.noteFor!;
    const note = this.note.trim();
    if (action === 'propose' && !note) return void (this.refusal = { message: '请写明说明：审批人据此了解修改的内容', details: [] });
    this.busy = true;
    this.refusal = undefined;
    try {
      if (action === 'propose') {
        await draftStore.propose(note);
        toast('已提交审批，等待另一位配置管理员批准发布');
      } else {
        const r = await draftStore.publish(note);
        await reloadProductConfig();
        toast(`已发布为第 ${r.version} 版`);
        this.impact = undefined;
      }
      this.noteFor = undefined;
    } catch (e) {
      this.refusal = e instanceof ApiError ? { message: e.message, details: e.details } : { message: String(e), details: [] };
    } finally {
      this.busy = false;
    }
  }

  override render() {
    const v = draftStore.view;
    if (!v) {
      return html`<div class="studio-bar" role="region" aria-label="草稿">
        <span class="studio-bar-state">${draftStore.error ? html`<span class="error-text">${draftStore.error}</span>` : '没有打开的草稿：已发布的配置只能在草稿中修改。'}</span>
        <span class="spacer"></span>
        <button type="button" class="btn btn-primary" ?disabled=${this.busy} @click=${this.open}>打开草稿</button>
      </div>`;
    }
    const me = session.me?.username;
    const proposal = v.proposal;
    const stale = this.impact && this.impact.draftVersion !== v.version;
    return html`<div class="studio-bar" role="region" aria-label="草稿">
      <div class="studio-bar-row">
        <span class="studio-bar-state"><strong>草稿第 ${v.version} 稿</strong>（基于第 ${v.base} 版）
          <span class="muted" title=${v.updatedBy ?? v.createdBy ?? ''}>${v.updatedByName ?? v.updatedBy ?? v.createdByName ?? v.createdBy ?? ''} ${formatTime(v.updatedAt ?? v.createdAt)}</span>
          ${v.changed.length ? html`· 已改 ${v.changed.length} 个文件` : html`· 尚无修改`}
          ${!v.publishable ? html`<span class="badge warn">有 ${v.problems.length} 个错误</span>`
            // Nothing changed is nothing to publish: no 可发布 beside a disabled 发布.
            : v.changed.length ? html`<span class="badge ok">可发布</span>` : nothing}</span>
        <span class="spacer"></span>
        <button type="button" class="btn btn-small" ?disabled=${this.busy || !draftStore.canUndo} title="Ctrl+Z" @click=${() => this.step('undo')}>撤销</button>
        <button type="button" class="btn btn-small" ?disabled=${this.busy || !draftStore.canRedo} title="Ctrl+Shift+Z" @click=${() => this.step('redo')}>重做</button>
        <button type="button" class="btn btn-small" ?disabled=${!v.publishable || (!!this.impact && !this.impact.report && !this.impact.error && !stale)}
          title=${v.publishable ? '检查草稿对已录入记录的影响' : '草稿有错误，修正后才能分析'} @click=${this.analyse}>影响分析</button>
        ${v.needsSecondAdmin
          ? proposal
            ? proposal.by !== me
              ? html`<button type="button" class="btn btn-primary btn-small" ?disabled=${this.busy || !v.publishable} @click=${() => this.ask('approve')}>批准发布</button>`
              : html`<span class="muted">已提交审批，等待另一位配置管理员批准</span>`
            : html`<button type="button" class="btn btn-primary btn-small" ?disabled=${this.busy || !v.publishable || !v.changed.length} @click=${() => this.ask('propose')}>提交审批</button>`
          : html`<button type="button" class="btn btn-primary btn-small" ?disabled=${this.busy || !v.publishable || !v.changed.length}
              title=${!v.publishable ? '草稿有错误，不能发布' : v.changed.length ? '' : '草稿尚无修改'} @click=${() => this.ask('publish')}>发布</button>`}
        <button type="button" class="btn btn-small" ?disabled=${this.busy} @click=${this.discard}>放弃草稿</button>
      </div>
      ${proposal ? html`<div class="studio-bar-row proposal">审批申请：<span title=${proposal.by}>${proposal.byName ?? proposal.by}</span> 于 ${formatTime(proposal.at)} 提交${proposal.note ? html`——${proposal.note}` : nothing}</div>` : nothing}
      ${v.problems.length ? this.renderProblems(v.problems) : nothing}
      ${v.warnings.length ? html`<details class="studio-warnings"><summary>${v.warnings.length} 个提醒</summary><ul>${v.warnings.map((w) => html`<li>${w}</li>`)}</ul></details>` : nothing}
      ${this.impact ? html`<caiji-studio-impact .report=${this.impact.report} .done=${this.impact.done} .total=${this.impact.total}
        .error=${this.impact.error ?? ''} .stale=${!!stale} @close=${() => { this.impact = undefined; }}></caiji-studio-impact>` : nothing}
    </div>
    ${this.noteFor ? this.renderNoteDialog(this.noteFor) : nothing}`;
  }

  private renderProblems(problems: FieldError[]) {
    return html`<details class="studio-problems" ?open=${this.showProblems} @toggle=${(e: Event) => { this.showProblems = (e.target as HTMLDetailsElement).open; }}>
      <summary>${problems.length} 个错误：修正后才能发布</summary>
      <ul>${problems.map((p) => {
        const place = placeOf(p, this.manifest);
        return html`<li><a href=${place.href} class="problem-link"><span class="problem-where">${place.where}</span> ${p.message}</a></li>`;
      })}</ul>
    </details>`;
  }

  private ask(action: NoteAction) {
    const proposal = draftStore.view?.proposal;
    this.note = action === 'approve' ? proposal?.note ?? '' : '';
    this.refusal = undefined;
    this.noteFor = action;
  }

  /**
   * What the publish (proposal, approval) does to the stored records, repeated where it is decided:
   * the impact analysis of this draft version, or that it is running, out of date or not run.
   */
  private renderImpactNote() {
    const v = draftStore.view!;
    const i = this.impact;
    // An arrow: the dialog renders this template, and lit calls a listener with its host as `this`.
    const run = html`<button type="button" class="btn btn-small" @click=${() => this.analyse()}>影响分析</button>`;
    let text;
    if (!i) text = html`尚未做影响分析：不知道已录入的记录会有多少变得不合规或不完整。${run}`;
    else if (i.draftVersion !== v.version) text = html`影响分析针对的是草稿第 ${i.draftVersion} 稿，草稿之后又有修改。${run}`;
    else if (i.error) text = html`影响分析失败：${i.error} ${run}`;
    else if (!i.report) text = html`正在做影响分析…（${i.done}/${i.total}）`;
    else {
      const lines = impactLines(i.report);
      text = lines.length
        ? html`影响分析（已检查 ${i.report.scanned} 条记录）：<ul>${lines.map((l) => html`<li>${l}</li>`)}</ul>`
        : html`影响分析：已检查 ${i.report.scanned} 条记录，都不受影响。`;
    }
    return html`<div class="studio-note-impact" role="status">${text}</div>`;
  }

  private renderNoteDialog(action: NoteAction) {
    const title = actionTitles[action];
    const body = html`<form id="studio-note-form" @submit=${(e: Event) => { e.preventDefault(); void this.submitNote(); }}>
        <label class="field-label" for="studio-note">说明${action === 'propose' ? '（必填）' : ''}</label>
        <textarea id="studio-note" rows="3" maxlength="2000" .value=${this.note} placeholder="这次修改了什么、为什么"
          @input=${(e: Event) => { this.note = (e.target as HTMLTextAreaElement).value; }}></textarea>
        ${action === 'approve' ? html`<p class="muted">批准后草稿即发布为新版本，所有用户随即使用新配置。</p>` : nothing}
        ${this.renderImpactNote()}
        ${this.refusal ? html`<div class="error-box" role="alert"><p>${this.refusal.message}</p>
          ${this.refusal.details.length ? html`<ul>${this.refusal.details.map((d) => html`<li>${d.message}</li>`)}</ul>` : nothing}</div>` : nothing}
      </form>`;
    const footer = html`<button type="button" class="btn" @click=${() => { this.noteFor = undefined; }}>取消</button>
      <button type="submit" form="studio-note-form" class="btn btn-primary" ?disabled=${this.busy}>${title}</button>`;
    return html`<caiji-dialog .heading=${title} .body=${body} .footer=${footer} @close=${() => { this.noteFor = undefined; }}></caiji-dialog>`;
  }
}
