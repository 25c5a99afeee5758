import { html } from 'lit';
import { customElement, property } from 'lit/decorators.js';
import { LightElement } from '../components/light-element.js';

/** The studio's 代码表 section (being built): which item of the draft it edits. */
@customElement('caiji-studio-code-tables')
export class StudioCodeTables extends LightElement {
  /** The item the route names (a collection, table, workflow or template), if any. */
  @property() item = '';

  override render() {
    return html`<p class="muted">「代码表」正在建设中。</p>`;
  }
}
