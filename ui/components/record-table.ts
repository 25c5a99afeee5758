import { html, nothing } from 'lit';
import { customElement, property } from 'lit/decorators.js';
import { LightElement, emit } from './light-element.js';
import { session } from '../api/session.js';
import { href } from '../router.js';
import { displayValue } from '../format.js';
import type { JsonSchema, RecordJson } from '../api/types.js';

/**
 * Records as a table: the collection's list columns (titles and code labels from its schema),
 * its workflow state and completeness; optional multi-select (fires `selection-change`).
 */
@customElement('caiji-record-table')
export class RecordTable extends LightElement {
  @property() collection = '';
  @property({ attribute: false }) schema: JsonSchema = {};
  @property({ attribute: false }) columns: string[] = [];
  @property({ attribute: false }) items: RecordJson[] = [];
  @property({ type: Boolean }) selectable = false;
  @property({ attribute: false }) selected = new Set<string>();
  /** Extra trailing column (e.g. 删除) rendered by the caller. */
  @property({ attribute: false }) actions?: (r: RecordJson) => unknown;
  @property() actionsTitle = '操作';

  private toggle(id: string, on: boolean) {
    const next = new Set(this.selected);
    if (on) next.add(id); else next.delete(id);
    this.selected = next;
    emit(this, 'selection-change', next);
  }

  private toggleAll(on: boolean) {
    this.selected = on ? new Set(this.items.map((r) => r.id)) : new Set();
    emit(this, 'selection-change', this.selected);
  }

  override render() {
    const props = this.schema.properties ?? {};
    const col = session.app?.collections[this.collection];
    const hasState = !!col?.workflow;
    const tracked = !!col?.completeness;
    const all = this.items.length > 0 && this.items.every((r) => this.selected.has(r.id));
    const titleOf = (r: RecordJson) => String(r.data[col?.titleField ?? this.columns[0]] ?? '');
    return html`<div class="table-wrap"><table class="data-table">
      <thead><tr>
        ${this.selectable ? html`<th scope="col" class="check"><input type="checkbox" aria-label="全选本页" .checked=${all} @change=${(e: Event) => this.toggleAll((e.target as HTMLInputElement).checked)}></th>` : nothing}
        ${this.columns.map((c) => html`<th scope="col">${props[c]?.title ?? c}</th>`)}
        ${hasState ? html`<th scope="col">状态</th>` : nothing}
        ${tracked ? html`<th scope="col">信息完整</th>` : nothing}
        ${this.actions ? html`<th scope="col">${this.actionsTitle}</th>` : nothing}
      </tr></thead>
      <tbody>
        ${this.items.length ? nothing : html`<tr><td class="empty" colspan="99">暂无记录</td></tr>`}
        ${this.items.map((r) => html`<tr class=${this.selected.has(r.id) ? 'selected' : ''}>
          ${this.selectable ? html`<td class="check"><input type="checkbox" aria-label=${`选择 ${titleOf(r)}`} .checked=${this.selected.has(r.id)}
            @change=${(e: Event) => this.toggle(r.id, (e.target as HTMLInputElement).checked)}></td>` : nothing}
          ${this.columns.map((c, i) => i === 0
            ? html`<th scope="row"><a href=${href('record', this.collection, r.id)}>${displayValue(props[c], r.data[c]) || '（未填写）'}</a></th>`
            : html`<td>${displayValue(props[c], r.data[c])}</td>`)}
          ${hasState ? html`<td><span class=${session.stateClass(this.collection, r.state)}>${session.stateTitle(this.collection, r.state)}</span></td>` : nothing}
          ${tracked ? html`<td>${r.complete ? html`<span class="ok">完整</span>` : html`<span class="warn">待完善</span>`}</td>` : nothing}
          ${this.actions ? html`<td>${this.actions(r)}</td>` : nothing}
        </tr>`)}
      </tbody>
    </table></div>`;
  }
}
