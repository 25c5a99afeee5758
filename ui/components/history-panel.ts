import { html, nothing } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import { LightElement } from './light-element.js';
import { Task } from '@lit/task';
import { api, enc, qs } from '../api/client.js';
import { session } from '../api/session.js';
import { dateTime, displayValue } from '../format.js';
import type { HistoryItem, JsonSchema } from '../api/types.js';
import { inSchemaOrder, isRowsDiff, rowChangeLines } from '../../engine/workflow/history.js';

const actions: Record<string, string> = {
  create: '新建', update: '修改', delete: '删除', grant: '授予职务', revoke: '撤销职务',
  'account-open': '开通账号', 'account-reset': '重置密码', 'account-lock': '停用账号', 'account-unlock': '启用账号',
};

/** How many entries the panel shows at first, and how many more each 更多 adds. */
const PAGE = 10;

interface HistoryAnswer { items: HistoryItem[]; nextBefore: number | string | null; total: number }

/**
 * The record's audit log, newest first: who did what when, state changes and the fields changed.
 * A long history (a joint branch's units, years of edits) shows its latest entries and 更多 reads
 * the ones before them, a page at a time, from the server.
 */
@customElement('caiji-history')
export class HistoryPanel extends LightElement {
  @property() collection = '';
  @property() recordId = '';
  @property({ attribute: false }) schema: JsonSchema = {};
  /** Bump to reload. */
  @property({ type: Number }) version = 0;
  @state() private items: HistoryItem[] = [];
  /** Where the entries before the shown ones start (null: none left), and how many there are in all. */
  @state() private nextBefore: number | string | null = null;
  @state() private total = 0;
  @state() private loadingMore = false;
  /** The record whose entries are shown. */
  private shownFor = '';

  /**
   * The latest entries of the record and version shown. The entries read by 更多 are kept beside
   * it (items), which is why the answer goes there and is not read from the task.
   */
  private latestEntries = new Task(this, {
    task: ([collection, recordId], { signal }) => {
      if (!recordId) return Promise.resolve(undefined);
      // The same record reloaded (after a save or an event) keeps as many entries open as were shown.
      const limit = this.shownFor === recordId ? Math.min(500, Math.max(PAGE, this.items.length)) : PAGE;
      return api.get<HistoryAnswer>(this.url(collection, recordId, limit), signal)
        .then((r) => ({ recordId, r }), () => ({ recordId, r: { items: [], nextBefore: null, total: 0 } }));
    },
    args: () => [this.collection, this.recordId, this.version],
    onComplete: (answer) => { if (answer) this.show(answer.recordId, answer.r, []); },
  });

  private url(collection: string, recordId: string, limit: number, before?: number | string) {
    return `/api/records/${enc(collection)}/${enc(recordId)}/history${qs({ limit, before })}`;
  }

  private show(recordId: string, r: HistoryAnswer, newer: HistoryItem[]) {
    this.shownFor = recordId;
    this.items = [...newer, ...[...r.items].reverse()];
    this.nextBefore = r.nextBefore;
    this.total = r.total;
  }

  /** The page of entries before the oldest one shown (dropped if a reload replaced them meanwhile). */
  private async more() {
    if (this.nextBefore === null) return;
    const shown = this.items;
    this.loadingMore = true;
    try {
      const r = await api.get<HistoryAnswer>(this.url(this.collection, this.shownFor, PAGE, this.nextBefore));
      if (this.items === shown) this.show(this.shownFor, r, shown);
    } catch {
      // The button stays for another try.
    } finally {
      this.loadingMore = false;
    }
  }

  /** An event's payload, each field titled by the event's payload schema (the server names them). */
  private payload(h: HistoryItem) {
    const lines = (h.payload ?? []).filter((l) => l.value);
    if (!lines.length) return nothing;
    return html`<ul class="diff">${lines.map((l) => html`<li><span class="diff-field">${l.title}</span>：${l.value}</li>`)}</ul>`;
  }

  private changes(h: HistoryItem) {
    const diff = h.diff as Record<string, any> | null | undefined;
    if (!diff || h.action === 'create' || h.action === 'delete') return nothing;
    const props = this.schema.properties ?? {};
    // Only the record's own fields: a payload field of the same name is not one of them.
    const payload = new Set((h.payload ?? []).map((l) => l.field));
    const names = inSchemaOrder(diff, props).map(([n]) => n).filter((n) => props[n] && !payload.has(n));
    if (!names.length) return nothing;
    return html`<ul class="diff">${names.slice(0, 12).map((n) => {
      const [from, to] = Array.isArray(diff[n]) ? diff[n] : [undefined, diff[n]];
      // A child table: which rows were added, removed or changed, and their cells.
      if (isRowsDiff(diff[n])) {
        return html`<li><span class="diff-field">${props[n].title ?? n}</span>：<ul class="diff-rows">${rowChangeLines(props[n], diff[n], displayValue).map((l) => html`<li>${l}</li>`)}</ul></li>`;
      }
      if (props[n]?.['x-widget'] === 'node') return html`<li><span class="diff-field">${props[n].title}</span>：已更改</li>`;
      return html`<li><span class="diff-field">${props[n]?.title ?? n}</span>：${from === undefined || from === null ? '' : html`<del>${displayValue(props[n], from) || '空'}</del> → `}<ins>${displayValue(props[n], to) || '空'}</ins></li>`;
    })}${names.length > 12 ? html`<li class="muted">等 ${names.length} 项</li>` : nothing}</ul>`;
  }

  override render() {
    return html`<section class="history" aria-labelledby="history-h"><h2 id="history-h" class="panel-title">办理记录</h2>
      ${this.items.length ? nothing : html`<p class="muted">暂无记录</p>`}
      <ol class="timeline">${this.items.map((h) => html`<li>
        <div class="tl-head"><time>${dateTime((h.at ?? h.ts ?? h.createdAt) as string)}</time>
          <span class="tl-actor" title=${h.actor ?? ''}>${h.actorName ?? h.actor ?? '系统'}</span>
          <span class="tl-action">${session.app?.collections[this.collection]?.events?.[h.action] ?? actions[h.action] ?? h.action}</span>
          ${h.fromState !== h.toState && h.toState ? html`<span class="tl-state">${session.stateTitle(this.collection, h.fromState) || '—'} → ${session.stateTitle(this.collection, h.toState)}</span>` : nothing}
        </div>
        ${h.note && !h.payload?.some((l) => l.value === h.note) ? html`<div class="tl-note">说明：${h.note}</div>` : nothing}
        ${this.payload(h)}
        ${this.changes(h)}
      </li>`)}</ol>
      ${this.nextBefore !== null ? html`<button type="button" class="btn btn-small history-more" ?disabled=${this.loadingMore} @click=${this.more}>
        更多<span class="muted">（还有 ${this.total - this.items.length} 条）</span></button>` : nothing}
    </section>`;
  }
}
