import { html, nothing, type PropertyValues } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import { SessionElement } from '../components/session-element.js';
import { Task, TaskStatus } from '@lit/task';
import { api, enc, messageOf, ApiError } from '../api/client.js';
import { session, type BrowserValidator } from '../api/session.js';
import { href, navigate } from '../router.js';
import { toast } from '../components/toast.js';
import { differingFields } from '../components/conflict-dialog.js';
import '../form/record-form.js';
import '../components/bread-crumb.js';
import '../components/action-bar.js';
import '../components/history-panel.js';
import '../components/conflict-dialog.js';
import '../components/document-buttons.js';
import '../components/attached-records.js';
import '../components/grants-panel.js';
import '../components/account-panel.js';
import type { RecordForm } from '../form/record-form.js';
import type { FieldError, FormInfo, RecordJson, TreeAnswer } from '../api/types.js';

/**
 * One record: its form (live validation, save with optimistic locking and conflict handling),
 * the workflow events the user may send now, documents, and its history. Also new records.
 */
@customElement('caiji-record-page')
export class RecordPage extends SessionElement {
  @property() collection = '';
  @property() recordId = '';
  /** For a new record: the node it will hang on. */
  @property() nodeId = '';
  @state() private form?: FormInfo;
  @state() private v?: BrowserValidator;
  @state() private record?: RecordJson;
  @state() private data: Record<string, unknown> = {};
  @state() private serverErrors: FieldError[] = [];
  @state() private conflict?: { current: RecordJson; message: string; mine: Record<string, unknown> };
  @state() private busy = false;
  @state() private showAll = false;
  @state() private tick = 0;

  /**
   * The form, its validator and the record the address names; run again after an event or a
   * change in a panel. Reloading the record shown keeps it on screen until the new version comes:
   * the page neither blanks its panels nor jumps under the user's pointer (another record's is
   * gone already: willUpdate). The record is kept in `record` because saving replaces it here.
   */
  private loader = new Task(this, {
    task: async ([collection, recordId], { signal }) => {
      this.serverErrors = [];
      const [form, v] = await Promise.all([session.form(collection), session.validator(collection)]);
      const record = recordId ? await api.get<RecordJson>(`/api/records/${enc(collection)}/${enc(recordId)}`, signal) : undefined;
      return { form, v, record };
    },
    args: () => [this.collection, this.recordId, this.nodeId],
    onComplete: ({ form, v, record }) => {
      this.form = form;
      this.v = v;
      if (record) {
        this.record = record;
        this.data = structuredClone(record.data);
        this.showAll = true;
      } else {
        this.data = form.nodeField && this.nodeId ? { [form.nodeField]: this.nodeId } : {};
        this.showAll = false;
      }
    },
  });

  /** The breadcrumb of the node the record hangs on (or is), asked again with each version of the record. */
  private crumbs = new Task(this, {
    task: ([nodeId], { signal }) => (nodeId
      ? api.get<Pick<TreeAnswer, 'breadcrumb'>>(`/api/tree/${enc(nodeId)}/path`, signal).then((t) => ({ nodeId, crumbs: t.breadcrumb }))
      : Promise.resolve({ nodeId, crumbs: [] })),
    args: () => [this.crumbNode, this.record],
  });

  /** The node whose path the page shows: the record's own (a tree node) or the one it hangs on, or a new record's. */
  private get crumbNode(): string {
    if (!this.recordId) return this.nodeId;
    if (!this.record) return '';
    return this.collection === session.app!.tree.collection ? this.record.id : this.record.node ?? '';
  }

  /**
   * Lit reuses this element when the route goes from one record to another (a member's page, then
   * an organization's). What belongs to the previous record is dropped before the next render:
   * otherwise that render would hand the panels of the new collection (units, grants, history …)
   * the previous record's id, and they would ask the server about it.
   */
  override willUpdate(changed: PropertyValues<this>) {
    if (changed.has('collection')) { this.form = undefined; this.v = undefined; }
    if (this.record && (this.record.id !== this.recordId || this.record.collection !== this.collection)) {
      this.record = undefined;
      this.data = {};
      this.serverErrors = [];
      this.conflict = undefined;
    }
  }

  /** The record's path from the top, once it is the path of the node shown. */
  private get path(): TreeAnswer['breadcrumb'] {
    const v = this.crumbs.value;
    return v && v.nodeId === this.crumbNode ? v.crumbs : [];
  }

  private get formEl() { return this.querySelector<RecordForm>('caiji-record-form'); }

  private get dirty(): boolean {
    return !!this.record && differingFields(this.data, this.record.data).length > 0;
  }

  private async save() {
    const ev = this.formEl?.evaluation;
    if (ev?.blocking.length) {
      this.showAll = true;
      toast(`有 ${ev.blocking.length} 处需要更正后才能保存`, 'error');
      await this.updateComplete;
      this.formEl?.focusFirstError();
      return;
    }
    this.busy = true;
    try {
      const base = `/api/records/${enc(this.collection)}`;
      const saved = this.record
        ? await api.put<RecordJson>(`${base}/${enc(this.record.id)}`, this.data, this.record.version)
        : await api.post<RecordJson>(base, this.data);
      this.serverErrors = [];
      toast(saved.complete || !session.app!.collections[this.collection]?.completeness ? '已保存' : '已保存（信息尚不完整）');
      if (!this.record) {
        navigate(href('record', this.collection, saved.id), true);
        return;
      }
      this.record = saved;
      this.data = structuredClone(saved.data);
      this.tick++;
    } catch (e) {
      if (e instanceof ApiError && e.status === 409 && e.body?.error?.current) {
        this.conflict = { current: e.body.error.current, message: e.message, mine: { ...this.data } };
      } else if (e instanceof ApiError && e.details.length) {
        this.serverErrors = e.details;
        this.showAll = true;
        toast(e.message, 'error');
        await this.updateComplete;
        this.formEl?.focusFirstError();
      } else {
        toast(e instanceof ApiError ? e.message : String(e), 'error');
      }
    } finally {
      this.busy = false;
    }
  }

  private resolveConflict(e: CustomEvent<{ data: Record<string, unknown>; current: RecordJson }>) {
    this.record = e.detail.current;
    this.data = e.detail.data;
    this.conflict = undefined;
    this.tick++;
    toast('已按您的选择合并，请核对后再次保存', 'info');
  }

  private async deleteRecord() {
    if (!this.record || !confirm('确定删除这条记录吗？删除后不能恢复。')) return;
    try {
      await api.del(`/api/records/${enc(this.collection)}/${enc(this.record.id)}`, this.record.version);
      toast('已删除');
      history.back();
    } catch (e) {
      toast(e instanceof ApiError ? e.message : String(e), 'error');
    }
  }

  /** Whether plain writes of this kind are allowed (others go through workflow events). */
  private allows(kind: 'create' | 'update' | 'delete'): boolean {
    const d = session.app?.collections[this.collection]?.direct;
    return !d || d.includes(kind);
  }

  override render() {
    const app = session.app!;
    const col = app.collections[this.collection];
    if (this.loader.status === TaskStatus.ERROR) return html`<section class="panel"><h1 tabindex="-1">无法打开</h1><p class="form-error" role="alert">${messageOf(this.loader.error)}</p></section>`;
    if (!this.form || !this.v || !col || (this.recordId && !this.record)) return html`<section class="panel"><p class="muted">正在加载…</p></section>`;
    const r = this.record;
    const title = r ? String(r.data[col.titleField ?? ''] ?? '') || col.title : `新增${col.title}`;
    const canWrite = session.can('write');
    const ev = this.formEl?.evaluation;
    // The summary counts what the form shows: a child-table row just added is not wrong yet.
    const shownBlocking = this.formEl?.shownBlocking.length ?? 0;
    const isTree = this.collection === app.tree.collection;
    // A node whose parent the user does not manage (the top of their grant, or the tree's root) is
    // not theirs to delete: the server refuses it, so the button is not offered.
    const crumbs = this.path;
    const deletable = !isTree || !!crumbs.at(-2)?.readable;
    return html`<div class="record-layout">
      <section class="panel grow">
        <caiji-breadcrumb class="reserved" .items=${crumbs} linkLast></caiji-breadcrumb>
        <div class="record-head">
          <h1 tabindex="-1">${title}${r && col.title !== title ? html` <small class="muted">${col.title}</small>` : nothing}</h1>
          ${r && col.completeness ? html`<span class=${r.complete ? 'badge ok' : 'badge warn'}>${r.complete ? '信息完整' : '信息待完善'}</span>` : nothing}
        </div>
        <div class="toolbar sticky">
          ${canWrite && this.allows(r ? 'update' : 'create') ? html`<button type="button" class="btn btn-primary" ?disabled=${this.busy} @click=${this.save}>${this.busy ? '正在保存…' : '保存'}</button>` : nothing}
          ${r ? html`<caiji-action-bar .collection=${this.collection} .recordId=${r.id} .version=${r.version} ?dirty=${this.dirty}
            @sent=${() => this.loader.run()}></caiji-action-bar>
            <caiji-document-buttons .collection=${this.collection} .ids=${[r.id]}></caiji-document-buttons>` : nothing}
          <span class="spacer"></span>
          ${r && canWrite && deletable && this.allows('delete') ? html`<button type="button" class="btn btn-danger-link" @click=${this.deleteRecord}>删除</button>` : nothing}
        </div>
        ${ev && (shownBlocking || ev.incomplete.length) && this.showAll ? html`<div class="summary" role="status">
          ${shownBlocking ? html`<span class="err-count">${shownBlocking} 处需更正后才能保存</span>` : nothing}
          ${ev.incomplete.length ? html`<span class="gap-count">${ev.incomplete.length} 项尚待完善${app.essentialLabel ? `（${app.essentialLabel}）` : ''}</span>` : nothing}
        </div>` : nothing}
        <caiji-record-form .schema=${this.form.schema} .validator=${this.v} .data=${this.data} .previous=${r?.data}
          .serverErrors=${this.serverErrors} ?showAll=${this.showAll} ?readonly=${!canWrite} essentialLabel=${app.essentialLabel ?? ''}
          @form-change=${(e: CustomEvent<Record<string, unknown>>) => { this.data = e.detail; }}
          @shown-errors-change=${() => this.requestUpdate()}></caiji-record-form>
        ${r && isTree ? html`<caiji-attached-records .nodeId=${r.id} .version=${r.version} @changed=${() => this.loader.run()}></caiji-attached-records>
          ${session.can('grant') ? html`<caiji-grants-panel .nodeId=${r.id} @changed=${() => this.loader.run()}></caiji-grants-panel>` : nothing}` : nothing}
        ${r && !isTree && session.can('grant') && Object.values(app.roles).some((role) => role.self === this.collection)
          ? html`<caiji-account-panel .recordId=${r.id} @changed=${() => { this.tick++; }}></caiji-account-panel>` : nothing}
      </section>
      ${r ? html`<aside class="panel side-right"><caiji-history .collection=${this.collection} .recordId=${r.id} .schema=${this.form.schema} .version=${r.version + this.tick}></caiji-history></aside>` : nothing}
      ${this.conflict ? html`<caiji-conflict-dialog .schema=${this.form.schema} .base=${r?.data ?? {}} .mine=${this.conflict.mine}
        .current=${this.conflict.current} message=${this.conflict.message} @resolve=${this.resolveConflict}
        @close=${() => { this.conflict = undefined; }}></caiji-conflict-dialog>` : nothing}
    </div>`;
  }
}
