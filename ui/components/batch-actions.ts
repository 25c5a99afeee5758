import { html, nothing } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import { LightElement, emit } from './light-element.js';
import { Task } from '@lit/task';
import { api, enc, messageOf, ApiError } from '../api/client.js';
import { href } from '../router.js';
import { toast } from './toast.js';
import type { EventInfo, EventsAnswer } from '../api/types.js';

interface BatchResult { id: string; ok: boolean; state?: string; stateTitle?: string; error?: { message: string } | string }

/** One event over the selection: the records it would go to, and those it would not, with why. */
interface Plan { event: EventInfo; ready: string[]; held: { id: string; reason: string }[] }

/** What became of one batch: each record's outcome, the refused ones with their reason. */
interface Outcome { title: string; done: { id: string; stateTitle?: string }[]; refused: { id: string; reason: string }[] }

/** How many records' events are asked at once: a selection of a hundred should not fire a hundred requests together. */
const ASK_AT_ONCE = 8;

const reasonOf = (e: { message: string } | string | undefined) => (typeof e === 'string' ? e : e?.message ?? '未成功');

/**
 * The workflow events of the selected records (asked per record, so each answer is the user's and
 * the record's own), offered while any selected record allows one. Before sending, the bar says how
 * many records the event goes to and which it will not, and why; only those go, as one batch;
 * afterwards each refused record is listed with its reason and a link to open it. Fires `done`.
 */
@customElement('caiji-batch-actions')
export class BatchActions extends LightElement {
  @property() collection = '';
  @property({ attribute: false }) ids: string[] = [];
  @property({ attribute: false }) titles = new Map<string, string>();
  @state() private busy = false;
  @state() private outcome?: Outcome;
  /** The plans for the selection (the ids joined: the list hands a new array on each render); run again after sending. */
  private plans = new Task(this, {
    task: ([collection, key], { signal }) => this.plan(collection, key ? key.split(',') : [], signal),
    args: () => [this.collection, this.ids.join(',')],
  });

  /** The events of each record, a few at a time; a newer selection stops the asking. */
  private async ask(collection: string, ids: string[], signal: AbortSignal): Promise<(EventsAnswer | null)[]> {
    const answers: (EventsAnswer | null)[] = new Array(ids.length).fill(null);
    let next = 0;
    const worker = async () => {
      while (next < ids.length && !signal.aborted) {
        const i = next++;
        answers[i] = await api.get<EventsAnswer>(`/api/records/${enc(collection)}/${enc(ids[i])}/events`, signal).catch(() => null);
      }
    };
    await Promise.all(Array.from({ length: Math.min(ASK_AT_ONCE, ids.length) }, worker));
    return answers;
  }

  private async plan(collection: string, ids: string[], signal: AbortSignal): Promise<Plan[]> {
    if (!ids.length) return [];
    const answers = await this.ask(collection, ids, signal);
    // Events with a payload or a form of their own are sent one record at a time, from its page.
    const simple = (e: EventInfo) => !e.payload && !e.form;
    const plans = new Map<string, Plan>();
    for (const a of answers) {
      for (const e of a?.events ?? []) if (simple(e) && !plans.has(e.type)) plans.set(e.type, { event: e, ready: [], held: [] });
    }
    for (const plan of plans.values()) {
      ids.forEach((id, i) => {
        const a = answers[i];
        if (a?.events.some((e) => e.type === plan.event.type)) { plan.ready.push(id); return; }
        const blocked = a?.blocked?.find((e) => e.type === plan.event.type);
        const reason = blocked ? reasonOf(blocked.error) : a ? `当前状态为「${a.stateTitle ?? '未提交'}」，不能${plan.event.title}` : '无法读取该记录';
        plan.held.push({ id, reason });
      });
    }
    return [...plans.values()];
  }

  private async send(plan: Plan) {
    const title = plan.event.title;
    this.busy = true;
    this.outcome = undefined;
    const refused = [...plan.held];
    const done: Outcome['done'] = [];
    try {
      const res = await api.post<{ results: BatchResult[] }>(`/api/records/${enc(this.collection)}/events`, { type: plan.event.type, ids: plan.ready });
      for (const r of res.results) {
        if (r.ok) done.push({ id: r.id, stateTitle: r.stateTitle });
        else refused.push({ id: r.id, reason: reasonOf(r.error) });
      }
      if (refused.length) toast(`「${title}」：${done.length} 条成功，${refused.length} 条未执行`, 'error');
      else toast(`已${title} ${done.length} 条`);
    } catch (err) {
      for (const r of (err instanceof ApiError ? err.body?.results ?? [] : []) as BatchResult[]) if (!r.ok) refused.push({ id: r.id, reason: reasonOf(r.error) });
      toast(messageOf(err), 'error');
    } finally {
      this.outcome = { title, done, refused };
      this.busy = false;
      // The records' states changed: what each may do next is asked again.
      void this.plans.run();
      emit(this, 'done');
    }
  }

  private name(id: string) {
    return this.titles.get(id) ?? id;
  }

  private recordLink(id: string) {
    return html`<a href=${href('record', this.collection, id)}>${this.name(id)}</a>`;
  }

  /** Before sending: which selected records an event would not go to, and why. */
  private heldNote(plan: Plan) {
    if (!plan.held.length) return nothing;
    return html`<div class="notice notice-warn batch-held" data-event=${plan.event.type}>
      「${plan.event.title}」将发送 ${plan.ready.length} 条；以下 ${plan.held.length} 条不会发送：
      <ul>${plan.held.map((h) => html`<li>${this.recordLink(h.id)}：${h.reason}</li>`)}</ul></div>`;
  }

  /** After sending: how many went through, and each refused record with its reason. */
  private outcomeNote(o: Outcome) {
    return html`<div class="notice ${o.refused.length ? 'notice-error' : ''} batch-outcome" role="status">
      「${o.title}」：${o.done.length} 条已执行${o.done.length ? `（${o.done.map((d) => this.name(d.id)).join('、')}）` : ''}${o.refused.length ? `，${o.refused.length} 条未执行：` : '。'}
      ${o.refused.length ? html`<ul>${o.refused.map((r) => html`<li>${this.recordLink(r.id)}：${r.reason}</li>`)}</ul>` : nothing}
      <button type="button" class="btn-link" @click=${() => { this.outcome = undefined; }}>关闭</button></div>`;
  }

  override render() {
    const n = this.ids.length;
    const plans = this.plans.value ?? [];
    return html`<div class="batch-bar" role="group" aria-label="批量操作">
      <span class="muted">${n ? `已选 ${n} 条` : '勾选记录后可批量操作'}</span>
      ${plans.map((p) => html`<button type="button" class="btn btn-primary" data-event=${p.event.type} ?disabled=${this.busy || !p.ready.length}
        title=${p.held.length ? `${p.ready.length} 条可${p.event.title}，${p.held.length} 条不能` : ''}
        @click=${() => this.send(p)}>${p.event.title}${p.held.length ? `（${p.ready.length}/${n}）` : ''}</button>`)}
    </div>
    ${n ? plans.map((p) => this.heldNote(p)) : nothing}
    ${this.outcome ? this.outcomeNote(this.outcome) : nothing}`;
  }
}
