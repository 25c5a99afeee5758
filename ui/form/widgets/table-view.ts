import { html, nothing, type TemplateResult } from 'lit';
import { columnsOf, rowsOf, cellText } from './table-columns.js';
import type { JsonSchema } from '../../api/types.js';

/** Read-only rows as a table (record view, self page): code labels, dates as stored. */
export function tableView(prop: JsonSchema, value: unknown): TemplateResult {
  const columns = columnsOf(prop);
  const rows = rowsOf(value);
  if (!rows.length) return html`<span class="muted">暂无</span>`;
  return html`<div class="table-wrap"><table class="data-table child-table-view" aria-label=${prop.title ?? nothing}>
    <thead><tr><th scope="col" class="row-no">序号</th>${columns.map((c) => html`<th scope="col">${c.title}</th>`)}</tr></thead>
    <tbody>${rows.map((r, i) => html`<tr><th scope="row" class="row-no">${i + 1}</th>${columns.map((c) => html`<td class=${c.prop.format === 'date' ? 'nowrap' : ''}>${cellText(c, r) || '—'}</td>`)}</tr>`)}</tbody>
  </table></div>`;
}
