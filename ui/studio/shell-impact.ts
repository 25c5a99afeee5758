import { html, nothing } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import { LightElement, emit } from '../components/light-element.js';
import { href } from '../router.js';
import type { ImpactReport } from './draft-store.js';

type Category = ImpactReport['collections'][number]['categories'][number];

/** The three counts the summary always shows per collection; other categories follow by their titles. */
const MAIN: [Category['kind'], string][] = [['invalid', '将不合规'], ['incomplete', '将不完整'], ['migrated', '需迁移']];

/**
 * The report in a few lines for the publish confirmation: per collection its non-zero counts
 * (「<collection title>：将不完整 13 条」); none when the stored records are untouched.
 */
export function impactLines(r: ImpactReport): string[] {
  return r.collections.flatMap((c) => {
    const counts = [
      ...MAIN.map(([kind, title]) => [title, c.categories.filter((x) => x.kind === kind).reduce((s, x) => s + x.count, 0)] as const),
      ...c.categories.filter((x) => !MAIN.some(([k]) => k === x.kind) && x.kind !== 'alreadyInvalid').map((x) => [x.title, x.count] as const),
    ].filter(([, n]) => n > 0);
    return counts.length ? [`${c.title}：${counts.map(([t, n]) => `${t} ${n} 条`).join('，')}`] : [];
  });
}

/**
 * The impact summary of the draft bar: per collection the records that would become invalid,
 * incomplete or be migrated (and every other category the engine reports: removed fields, codes,
 * states …); each count opens the list of its sample records, linked to their pages.
 */
@customElement('caiji-studio-impact')
export class StudioImpact extends LightElement {
  @property({ attribute: false }) report?: ImpactReport;
  @property({ type: Number }) done = 0;
  @property({ type: Number }) total = 0;
  @property() error = '';
  /** The draft changed since the analysis: the figures describe an earlier draft. */
  @property({ type: Boolean }) stale = false;
  /** The category whose records are listed: "collection|key". */
  @state() private opened = '';

  override render() {
    const close = html`<button type="button" class="btn-close" aria-label="关闭影响分析" @click=${() => emit(this, 'close')}>×</button>`;
    if (this.error) return html`<div class="studio-impact" role="alert"><div class="studio-impact-head"><strong>影响分析失败</strong>：${this.error}${close}</div></div>`;
    const r = this.report;
    if (!r) {
      const pct = this.total ? Math.round((this.done / this.total) * 100) : 0;
      return html`<div class="studio-impact"><div class="studio-impact-head" role="status">正在分析草稿对已录入记录的影响…
        <progress max="100" value=${pct} aria-label="影响分析进度"></progress> ${this.done}/${this.total}${close}</div></div>`;
    }
    return html`<div class="studio-impact" aria-label="影响分析">
      <div class="studio-impact-head"><strong>影响分析</strong>：已检查 ${r.scanned} 条记录
        ${this.stale ? html`<span class="badge warn">草稿已变更，请重新分析</span>` : nothing}${close}</div>
      <table class="data-table studio-impact-table">
        <thead><tr><th scope="col">数据类别</th><th scope="col">已检查</th>${MAIN.map(([, t]) => html`<th scope="col">${t}</th>`)}<th scope="col">其他影响</th></tr></thead>
        <tbody>${r.collections.map((c) => {
          const others = c.categories.filter((x) => !MAIN.some(([k]) => k === x.kind) && x.kind !== 'alreadyInvalid' && x.count > 0);
          return html`<tr data-collection=${c.collection}><th scope="row">${c.title}</th><td>${c.scanned}</td>
            ${MAIN.map(([kind]) => {
              const cats = c.categories.filter((x) => x.kind === kind);
              const n = cats.reduce((s, x) => s + x.count, 0);
              return html`<td data-kind=${kind}>${n ? cats.map((x) => this.countButton(c.collection, x)) : '0'}</td>`;
            })}
            <td>${others.length ? others.map((x) => html`<div>${x.title}：${this.countButton(c.collection, x)}</div>`) : '—'}</td></tr>`;
        })}</tbody>
      </table>
      ${this.renderOpened(r)}
    </div>`;
  }

  private countButton(collection: string, c: Category) {
    const key = `${collection}|${c.key}`;
    return html`<button type="button" class="btn-link" aria-expanded=${this.opened === key ? 'true' : 'false'} title=${c.title}
      @click=${() => { this.opened = this.opened === key ? '' : key; }}>${c.count}</button>`;
  }

  private renderOpened(r: ImpactReport) {
    if (!this.opened) return nothing;
    const [collection, key] = this.opened.split('|');
    const c = r.collections.find((x) => x.collection === collection)?.categories.find((x) => x.key === key);
    if (!c) return nothing;
    return html`<div class="studio-impact-list"><strong>${c.title}</strong>（${c.count} 条${c.count > c.ids.length ? `，列出前 ${c.ids.length} 条` : ''}）
      <ul>${c.ids.map((id) => html`<li><a href=${href('record', collection, id)} title=${id}>${c.titles?.[id] ?? html`<span class="muted">（无标题）</span> ${id}`}</a></li>`)}</ul></div>`;
  }
}
