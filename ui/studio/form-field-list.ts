import { html, nothing } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import { LightElement, emit } from '../components/light-element.js';
import { designGroups, kindOf, kinds, type DesignField } from './form-schema.js';

/**
 * The designer's field list: sections and fields in display order. A field is chosen by click or
 * Enter; moved by drag and drop, or with Alt+↑/↓ on the focused row (the focus follows it). Events:
 * `field-select` (name), `field-move` ({name, delta}), `field-place` ({name, before, group}).
 */
@customElement('caiji-studio-form-field-list')
export class StudioFormFieldList extends LightElement {
  @property({ attribute: false }) fields: DesignField[] = [];
  @property() selected = '';
  /** Fields with a check problem (marked). */
  @property({ attribute: false }) flagged = new Set<string>();
  @property({ attribute: false }) required = new Set<string>();
  @state() private dragging = '';
  @state() private over = '';

  /** Focuses a field's row (after a keyboard move the row is rendered anew). */
  async focusRow(name: string) {
    await this.updateComplete;
    this.querySelector<HTMLElement>(`li[data-name="${CSS.escape(name)}"]`)?.focus();
  }

  private key(e: KeyboardEvent, f: DesignField) {
    if (e.altKey && (e.key === 'ArrowUp' || e.key === 'ArrowDown')) {
      e.preventDefault();
      emit(this, 'field-move', { name: f.name, delta: e.key === 'ArrowUp' ? -1 : 1 });
    } else if (e.key === 'Enter' || e.key === ' ') {
      e.preventDefault();
      emit(this, 'field-select', f.name);
    } else if (e.key === 'ArrowUp' || e.key === 'ArrowDown') {
      e.preventDefault();
      const rows = [...this.querySelectorAll<HTMLElement>('li[data-name]')];
      const i = rows.indexOf(e.currentTarget as HTMLElement);
      rows[i + (e.key === 'ArrowUp' ? -1 : 1)]?.focus();
    }
  }

  private drop(e: DragEvent, before: string | null, group: string) {
    e.preventDefault();
    const name = this.dragging || e.dataTransfer?.getData('text/plain') || '';
    this.dragging = '';
    this.over = '';
    if (name && name !== before) emit(this, 'field-place', { name, before, group });
  }

  override render() {
    const label = (k: string) => kinds.find((x) => x.id === k)?.label ?? '其他';
    return html`<p class="muted small" id="field-list-help">点击选择字段；拖动或按 Alt+↑/↓ 调整顺序。</p>
      ${designGroups(this.fields).map((g) => html`<section class="designer-group">
        <h4 class="designer-group-title" @dragover=${(e: DragEvent) => e.preventDefault()} @drop=${(e: DragEvent) => this.drop(e, null, g.title)}>${g.title || '（未分组）'}</h4>
        <ul class="designer-fields" role="listbox" aria-label=${`${g.title || '未分组'}的字段`} aria-describedby="field-list-help">
          ${g.fields.map((f) => html`<li role="option" tabindex="0" data-name=${f.name} draggable="true"
              aria-selected=${f.name === this.selected ? 'true' : 'false'}
              class="designer-field ${f.name === this.selected ? 'selected' : ''} ${this.over === f.name ? 'drop-before' : ''} ${f.prop['x-essential'] ? 'essential' : ''} ${this.flagged.has(f.name) ? 'flagged' : ''}"
              @click=${() => emit(this, 'field-select', f.name)} @keydown=${(e: KeyboardEvent) => this.key(e, f)}
              @dragstart=${(e: DragEvent) => { this.dragging = f.name; e.dataTransfer?.setData('text/plain', f.name); }}
              @dragend=${() => { this.dragging = ''; this.over = ''; }}
              @dragover=${(e: DragEvent) => { e.preventDefault(); this.over = f.name; }}
              @dragleave=${() => { if (this.over === f.name) this.over = ''; }}
              @drop=${(e: DragEvent) => this.drop(e, f.name, g.title)}>
            <span class="grip" aria-hidden="true">⋮⋮</span>
            <span class="designer-field-title">${this.required.has(f.name) ? html`<span class="req" aria-hidden="true">*</span>` : nothing}${f.title}</span>
            <span class="designer-field-meta">${f.name} · ${label(kindOf(f.prop))}${f.prop['x-widget'] === 'hidden' ? ' · 隐藏' : ''}</span>
            ${this.flagged.has(f.name) ? html`<span class="sr-only">（有错误）</span>` : nothing}
          </li>`)}
        </ul>
      </section>`)}`;
  }
}
