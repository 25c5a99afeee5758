import { html } from 'lit';
import { customElement, property } from 'lit/decorators.js';
import { LightElement } from '../components/light-element.js';

/** The studio's 表单设计 section (being built): which item of the draft it edits. */
@customElement('caiji-studio-form-designer')
export class StudioFormDesigner extends LightElement {
  /** The item the route names (a collection, table, workflow or template), if any. */
  @property() item = '';

  override render() {
    return html`<p class="muted">「表单设计」正在建设中。</p>`;
  }
}
