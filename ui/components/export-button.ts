import { html } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import { LightElement } from './light-element.js';
import { downloadFile, ApiError } from '../api/client.js';
import { toast } from './toast.js';

/**
 * A button that downloads a file the server makes on request (an export of the list as shown):
 * busy while it is made, and a refusal (too many rows, no right) told in a toast, not saved.
 */
@customElement('caiji-export-button')
export class ExportButton extends LightElement {
  @property() href = '';
  @property() label = '导出';
  @property() hint = '';
  @state() private busy = false;

  private async run() {
    this.busy = true;
    try {
      const name = await downloadFile(this.href);
      toast(`已导出 ${name}`);
    } catch (e) {
      toast(e instanceof ApiError ? e.message : '导出失败，请稍后重试', 'error');
    } finally {
      this.busy = false;
    }
  }

  override render() {
    return html`<button type="button" class="btn" title=${this.hint} ?disabled=${this.busy} @click=${this.run}>${this.busy ? '正在导出…' : this.label}</button>`;
  }
}
