import { html, nothing } from 'lit';
import { customElement, property } from 'lit/decorators.js';
import * as core from 'echarts/core';
import * as charts from 'echarts/charts';
import * as components from 'echarts/components';
import * as renderers from 'echarts/renderers';
import { LightElement } from './light-element.js';

// echarts' type files re-export without file extensions, which NodeNext resolution cannot follow:
// the little of its API used here is typed by hand.
interface Chart { setOption(option: unknown, notMerge?: boolean): void; resize(): void; dispose(): void }
interface Api { use(parts: unknown[]): void; init(el: HTMLElement, theme?: string, opts?: { renderer: 'svg' | 'canvas' }): Chart }
type Parts = Record<string, unknown>;

// Only what is drawn: bar and pie, their axes, tooltip and legend, drawn as SVG (crisp in print and
// screenshots). Every part is read off its namespace inline, never through a variable holding the
// namespace: a namespace that escapes into a variable makes the bundler keep all its exports
// (echarts/core's geo helpers and more, ~14 KiB), an inline property read keeps only that export.
(core as unknown as Api).use([(charts as Parts).BarChart, (charts as Parts).PieChart, (components as Parts).GridComponent,
  (components as Parts).TooltipComponent, (components as Parts).LegendComponent, (renderers as Parts).SVGRenderer]);

export interface ChartTable { rows: { label: string }[]; cols: { label: string }[]; cells: number[][]; colTitle: string | null; rowTitle?: string; total?: number }

/** Past this many characters a category label makes the bars lie down (labels read along the row). */
const LONG_LABEL = 6;

/**
 * A statistic's table as a bar chart (one series per column, stacked when cross-tabbed) or a pie
 * (of the row totals). Zero counts draw nothing (no empty bar, no slice of no angle), so what is
 * drawn is exactly the table's non-zero counts. Long or many category labels turn the bars
 * horizontal and the chart grows with the rows; the text uses the page's own Chinese font stack.
 */
@customElement('caiji-stats-chart')
export class StatsChart extends LightElement {
  @property({ attribute: false }) table?: ChartTable;
  @property() kind: 'bar' | 'pie' = 'bar';
  private chart?: Chart;
  private resizer?: ResizeObserver;

  override disconnectedCallback() {
    super.disconnectedCallback();
    this.resizer?.disconnect();
    this.resizer = undefined;
    this.chart?.dispose();
    this.chart = undefined;
  }

  private get empty() { return !this.table || !this.table.cells.some((row) => row.some((n) => n > 0)); }

  /** Horizontal bars when labels are long or many: a district's branch names do not fit under a column. */
  private get lying() {
    const t = this.table!;
    return t.rows.length > 8 || t.rows.some((r) => r.label.length > LONG_LABEL);
  }

  private height(): number {
    const t = this.table!;
    if (this.kind === 'pie') return 420;
    return this.lying ? Math.max(240, t.rows.length * (t.colTitle ? 30 : 26) + 110) : 380;
  }

  private option() {
    const t = this.table!;
    const font = getComputedStyle(this).fontFamily || 'sans-serif';
    const textStyle = { fontFamily: font, fontSize: 13 };
    const labels = t.rows.map((r) => r.label);
    const legend = { type: 'scroll', top: 0, textStyle };
    if (this.kind === 'pie') {
      const data = t.rows.map((r, i) => ({ name: r.label, value: t.cells[i].reduce((a, b) => a + b, 0) })).filter((d) => d.value > 0);
      return {
        textStyle, tooltip: { trigger: 'item', formatter: '{b}：{c}（{d}%）', textStyle },
        legend: { ...legend, type: 'scroll', orient: 'vertical', left: 0, top: 20, bottom: 20 },
        series: [{ type: 'pie', radius: ['0%', '62%'], center: ['60%', '52%'], data, label: { formatter: '{b}\n{c}（{d}%）', fontFamily: font } }],
      };
    }
    const category = { type: 'category', data: labels, axisLabel: { interval: 0, fontFamily: font, width: 180, overflow: 'truncate' }, ...(this.lying ? { inverse: true } : {}) };
    const value = { type: 'value', minInterval: 1, axisLabel: { fontFamily: font } };
    return {
      textStyle,
      tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' }, textStyle },
      ...(t.colTitle ? { legend } : {}),
      grid: { left: 12, right: 32, top: t.colTitle ? 36 : 16, bottom: 12, containLabel: true },
      xAxis: this.lying ? value : category,
      yAxis: this.lying ? category : value,
      // A zero is '-' (no bar drawn) rather than a bar of no length.
      series: t.cols.map((c, j) => ({ type: 'bar', name: c.label, stack: t.colTitle ? 'all' : undefined, barMaxWidth: 48, data: t.cells.map((row) => (row[j] > 0 ? row[j] : '-')) })),
    };
  }

  override updated() {
    const el = this.querySelector('.chart') as HTMLElement | null;
    if (!el || !this.table || this.empty) {
      this.chart?.dispose();
      this.chart = undefined;
      return;
    }
    el.style.height = `${this.height()}px`;
    this.chart ??= (core as unknown as Api).init(el, undefined, { renderer: 'svg' });
    this.chart.resize();
    this.chart.setOption(this.option(), true);
    // The chart follows its box when the window (or the panel) changes width.
    this.resizer ??= new ResizeObserver(() => this.chart?.resize());
    this.resizer.observe(el);
  }

  override render() {
    if (!this.table) return nothing;
    if (this.empty) return html`<p class="muted chart-empty">没有可画图的数据：范围内没有符合条件的记录。</p>`;
    const what = this.kind === 'pie' ? '饼图' : '柱状图';
    return html`<div class="chart stats-chart-box" role="img" aria-label=${`${this.table.rowTitle ?? ''}${what}`}></div>`;
  }
}
