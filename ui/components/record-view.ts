import { html, nothing } from 'lit';
import { customElement, property } from 'lit/decorators.js';
import { LightElement } from './light-element.js';
import { fieldsOf, groupsOf } from '../form/model.js';
import { displayValue } from '../format.js';
import { is } from '../form/registry.js';
import { tableView } from '../form/widgets/table-view.js';
import type { JsonSchema } from '../api/types.js';

/** A record read-only, as a list of labelled values by group (child tables as tables); essential items in red. */
@customElement('caiji-record-view')
export class RecordView extends LightElement {
  @property({ attribute: false }) schema: JsonSchema = {};
  @property({ attribute: false }) data: Record<string, unknown> = {};
  /** Display text for fields whose raw value means little (e.g. a node id → its path). */
  @property({ attribute: false }) overrides: Record<string, string> = {};

  override render() {
    return html`${groupsOf(fieldsOf(this.schema)).map((g) => html`<section class="view-group" aria-label=${g.title || nothing}>
      ${g.title ? html`<h3 class="group-title">${g.title}</h3>` : nothing}
      <dl class="view-grid">${g.fields.map((f) => is.table(f.prop) && !(f.name in this.overrides)
        // A child table reads as a table, over the whole width.
        ? html`<div class="view-item view-table ${f.essential ? 'essential' : ''}"><dt>${f.title}</dt><dd>${tableView(f.prop, this.data[f.name])}</dd></div>`
        : html`<div class="view-item ${f.essential ? 'essential' : ''}">
        <dt>${f.title}</dt><dd>${this.overrides[f.name] ?? (displayValue(f.prop, this.data[f.name]) || '—')}</dd></div>`)}</dl>
    </section>`)}`;
  }
}
