import { html } from 'lit';
import { customElement, property } from 'lit/decorators.js';
import * as core from 'echarts/core';
import * as charts from 'echarts/charts';
import * as components from 'echarts/components';
import * as renderers from 'echarts/renderers';
import { LightElement } from './light-element.js';

// echarts' type files re-export without file extensions, which NodeNext resolution cannot follow:
// the little of its API used here is typed by hand.
interface Chart { setOption(option: unknown, notMerge?: boolean): void; dispose(): void }
const echarts = core as unknown as { use(parts: unknown[]): void; init(el: HTMLElement, theme?: string, opts?: { renderer: 'svg' | 'canvas' }): Chart };
type Parts = Record<string, unknown>;

// Only what is drawn: bar and pie, their axes, tooltip and legend, drawn as SVG (crisp in print and screenshots).
// Each part named on its namespace, never the namespace whole: the bundler keeps only these.
echarts.use([(charts as Parts).BarChart, (charts as Parts).PieChart, (components as Parts).GridComponent, (components as Parts).TooltipComponent,
  (components as Parts).LegendComponent, (renderers as Parts).SVGRenderer]);

export interface ChartTable { rows: { label: string }[]; cols: { label: string }[]; cells: number[][]; colTitle: string | null }

/** A statistic's table as a bar chart (one series per column) or a pie (of the row totals). */
@customElement('caiji-stats-chart')
export class StatsChart extends LightElement {
  @property({ attribute: false }) table?: ChartTable;
  @property() kind: 'bar' | 'pie' = 'bar';
  private chart?: Chart;

  override disconnectedCallback() {
    super.disconnectedCallback();
    this.chart?.dispose();
    this.chart = undefined;
  }

  override updated() {
    const el = this.querySelector('.chart') as HTMLElement;
    const t = this.table;
    if (!el || !t) return;
    this.chart ??= echarts.init(el, undefined, { renderer: 'svg' });
    const labels = t.rows.map((r) => r.label);
    const option = this.kind === 'pie'
      ? { tooltip: { trigger: 'item', formatter: '{b}：{c}（{d}%）' }, legend: { type: 'scroll', bottom: 0 },
        series: [{ type: 'pie', radius: ['0%', '62%'], data: t.rows.map((r, i) => ({ name: r.label, value: t.cells[i].reduce((a, b) => a + b, 0) })), label: { formatter: '{b}\n{d}%' } }] }
      : { tooltip: { trigger: 'axis' }, legend: t.colTitle ? { type: 'scroll', bottom: 0 } : undefined,
        grid: { left: 60, right: 20, top: 20, bottom: t.colTitle ? 70 : 50, containLabel: true },
        xAxis: { type: 'category', data: labels, axisLabel: { interval: 0, rotate: labels.length > 8 ? 30 : 0 } }, yAxis: { type: 'value', minInterval: 1 },
        series: t.cols.map((c, j) => ({ type: 'bar', name: c.label, stack: t.colTitle ? 'all' : undefined, data: t.cells.map((row) => row[j]) })) };
    this.chart.setOption(option, true);
  }

  override render() {
    return html`<div class="chart" role="img" aria-label=${this.kind === 'pie' ? '饼图' : '柱状图'} style="width:100%;max-width:900px;height:380px"></div>`;
  }
}
