import { html, nothing } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import { LightElement } from './light-element.js';
import { api, enc } from '../api/client.js';
import { latestOnly } from '../api/latest.js';
import { session } from '../api/session.js';
import { dateTime, displayValue } from '../format.js';
import type { HistoryItem, JsonSchema } from '../api/types.js';

const actions: Record<string, string> = {
  create: '新建', update: '修改', delete: '删除', grant: '授予职务', revoke: '撤销职务',
  'account-open': '开通账号', 'account-reset': '重置密码', 'account-lock': '停用账号', 'account-unlock': '启用账号',
};

/** The record's audit log: who did what when, state changes and the fields changed. */
@customElement('caiji-history')
export class HistoryPanel extends LightElement {
  @property() collection = '';
  @property() recordId = '';
  @property({ attribute: false }) schema: JsonSchema = {};
  /** Bump to reload. */
  @property({ type: Number }) version = 0;
  @state() private items: HistoryItem[] = [];
  private loaded = '';
  private latest = latestOnly();

  override updated() {
    const key = `${this.recordId}@${this.version}`;
    if (this.recordId && key !== this.loaded) {
      this.loaded = key;
      const current = this.latest();
      api.get<{ items: HistoryItem[] }>(`/api/records/${enc(this.collection)}/${enc(this.recordId)}/history`)
        .then((r) => { if (current()) this.items = [...r.items].reverse(); }).catch(() => { if (current()) this.items = []; });
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
    const names = Object.keys(diff).filter((n) => props[n] && !payload.has(n));
    if (!names.length) return nothing;
    return html`<ul class="diff">${names.slice(0, 12).map((n) => {
      const [from, to] = Array.isArray(diff[n]) ? diff[n] : [undefined, diff[n]];
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
    </section>`;
  }
}
