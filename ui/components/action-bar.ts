import { html, nothing } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import { LightElement, emit } from './light-element.js';
import { api, enc, ApiError } from '../api/client.js';
import { Task } from '@lit/task';
import { session } from '../api/session.js';
import { toast } from './toast.js';
import './modal-dialog.js';
import './payload-form.js';
import './linked-record-form.js';
import { rowEventCollection } from './row-events.js';
import type { EventInfo, EventsAnswer, FieldError } from '../api/types.js';

/**
 * The workflow events this user may send on this record now, as buttons. An event with a
 * payload opens a dialog with a form rendered from its payload schema. Fires `sent` with the
 * updated record (or the answer) afterwards.
 */
@customElement('caiji-action-bar')
export class ActionBar extends LightElement {
  @property() collection = '';
  @property() recordId = '';
  /** Bump to ask again (after a save). */
  @property({ type: Number }) version = 0;
  /** Events are disabled while the form has unsaved changes. */
  @property({ type: Boolean }) dirty = false;
  @state() private open?: EventInfo;
  @state() private payloadErrors: FieldError[] = [];
  @state() private busy = false;
  /** The events of the record and version shown; the previous answer stays until the next one comes. */
  private events = new Task(this, {
    // A collection without a workflow has no events to ask for (the server would answer 404).
    task: ([collection, recordId], { signal }) => (recordId && session.app?.collections[collection]?.workflow
      ? api.get<EventsAnswer>(`/api/records/${enc(collection)}/${enc(recordId)}/events`, signal)
      : Promise.resolve(undefined)),
    args: () => [this.collection, this.recordId, this.version],
  });

  private async send(e: EventInfo, payload: Record<string, unknown> = {}) {
    this.busy = true;
    try {
      const res = await api.post(`/api/records/${enc(this.collection)}/${enc(this.recordId)}/events`, { type: e.type, ...payload });
      toast(`已${e.title}`);
      this.open = undefined;
      this.payloadErrors = [];
      emit(this, 'sent', res);
    } catch (err) {
      if (err instanceof ApiError && err.details.length && this.open) this.payloadErrors = err.details;
      toast(err instanceof ApiError ? err.message : String(err), 'error');
    } finally {
      this.busy = false;
    }
  }

  /** A record created by the event hangs on this record when it is a tree node. */
  private initialFor(collection: string): Record<string, unknown> {
    const nodeField = session.app?.collections[collection]?.nodeField;
    return nodeField && this.collection === session.app?.tree.collection ? { [nodeField]: this.recordId } : {};
  }

  override render() {
    const a = this.events.value;
    if (!a) return nothing;
    return html`<div class="action-bar" role="group" aria-label="办理">
      ${a.stateTitle ? html`<span class="state-now">当前状态：<span class=${session.stateClass(this.collection, a.state)}>${a.stateTitle}</span></span>` : nothing}
      ${a.events.filter((e) => !rowEventCollection(e)).map((e) => html`<button type="button" class="btn btn-primary" ?disabled=${this.busy || this.dirty}
        title=${this.dirty ? '请先保存修改' : ''} @click=${() => (e.payload || e.form ? (this.open = e, this.payloadErrors = []) : this.send(e))}>${e.title}</button>`)}
      ${(a.blocked ?? []).filter((e) => !rowEventCollection(e)).map((e) => html`<button type="button" class="btn" disabled title=${e.error?.message ?? ''}
        aria-describedby=${`blocked-${e.type}`}>${e.title}</button><span class="sr-only" id=${`blocked-${e.type}`}>${e.error?.message ?? ''}</span>`)}
      ${this.open ? html`<caiji-dialog heading=${this.open.title} @close=${() => { this.open = undefined; }}
        .wide=${!!this.open.form}
        .body=${this.open.form ? html`<caiji-linked-record-form .collection=${this.open.form} .initial=${this.initialFor(this.open.form)}
          .errors=${this.payloadErrors} .busy=${this.busy} submitLabel="保存"
          @submit-payload=${(ev: CustomEvent<Record<string, unknown>>) => this.send(this.open!, ev.detail)}></caiji-linked-record-form>`
        : html`<caiji-payload-form .schema=${this.open.payload ?? {}} .errors=${this.payloadErrors} .busy=${this.busy}
          .recordCollection=${this.collection} submitLabel=${this.open.title}
          @submit-payload=${(ev: CustomEvent<Record<string, unknown>>) => this.send(this.open!, ev.detail)}></caiji-payload-form>`}></caiji-dialog>` : nothing}
    </div>`;
  }
}
