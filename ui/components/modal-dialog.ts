import { html } from 'lit';
import { customElement, property } from 'lit/decorators.js';
import { LightElement, emit } from './light-element.js';

let seq = 0;

/**
 * A modal dialog on the native <dialog> (focus kept inside, Esc closes). Content comes from
 * `body` (a template); fires `close` when dismissed.
 */
@customElement('caiji-dialog')
export class ModalDialog extends LightElement {
  @property() heading = '';
  @property({ attribute: false }) body: unknown = null;
  @property({ attribute: false }) footer: unknown = null;
  @property({ type: Boolean }) wide = false;
  private dlgId = `dlg-${++seq}`;

  override firstUpdated() {
    const d = this.querySelector('dialog')!;
    d.showModal();
    d.addEventListener('close', () => emit(this, 'close'));
  }

  close() {
    this.querySelector('dialog')?.close();
  }

  override render() {
    return html`<dialog class="dialog ${this.wide ? 'wide' : ''}" aria-labelledby=${`${this.dlgId}-h`}>
      <header class="dialog-head"><h2 id=${`${this.dlgId}-h`}>${this.heading}</h2>
        <button type="button" class="btn-close" aria-label="关闭" @click=${() => this.close()}>×</button></header>
      <div class="dialog-body">${this.body}</div>
      ${this.footer ? html`<footer class="dialog-foot">${this.footer}</footer>` : ''}
    </dialog>`;
  }
}
