import { html } from 'lit';
import { registerWidget, is } from '../registry.js';
import { tableView } from './table-view.js';
import './table-grid.js';

/** A child table (an array of objects): the editable grid, one row per item; read-only as a plain table. */
registerWidget({
  name: 'table',
  group: true,
  tester: (p) => (is.table(p) ? 10 : 0),
  render: (p) => p.disabled ? html`<div id=${p.id} aria-labelledby=${p.labelId}>${tableView(p.prop, p.value)}</div>` : html`<caiji-table-grid .prop=${p.prop} .value=${p.value} .gridId=${p.id} .labelId=${p.labelId}
    .describedBy=${p.describedBy} .basePath=${`/${p.name}`} ?disabled=${p.disabled} .errors=${p.innerErrors ?? []} .hints=${p.rowHints}
    .onSet=${(rows: unknown) => p.set(rows)} .onTouch=${() => p.touch()}></caiji-table-grid>`,
});
