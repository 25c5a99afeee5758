import { html, nothing } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import { LightElement } from '../components/light-element.js';
import { api, ApiError } from '../api/client.js';
import { session } from '../api/session.js';
import { toast } from '../components/toast.js';
import type { TreeAnswer } from '../api/types.js';
import { draftStore } from './draft-store.js';
import { studioHref, MANIFEST, MIGRATIONS } from './shell-places.js';
import { freeName, removeState, renameState, stateTitle, warnings, withMove, type MachineDoc } from './workflow-model.js';
import type { Selection } from './workflow-diagram.js';
import type { Roles } from './workflow-panel.js';
import './workflow-diagram.js';
import './workflow-panel.js';
import '../styles/studio-codes-workflows.css';

const OWNER = 'caiji-studio-workflow';
const pathOf = (name: string) => `workflows/${name}.json`;
interface Manifest { roles?: Roles; collections?: Record<string, { title?: string; workflow?: string }> }

/**
 * The studio's 流程设计 section: one workflow of the draft (workflows/<name>.json) drawn as a
 * diagram (dagre layout, SVG) with the records per state (the published figures of the tree's
 * root), warnings for states no path reaches and states with no way out, a side panel editing
 * what is clicked, 添加状态 (a state and the event into it), and a JSON view. A state renamed or
 * removed while the published workflow has it writes a moveState step into migrations.json, so
 * the publish can move its records. Edits stay here until 保存到草稿 (the shell warns on leaving).
 */
@customElement('caiji-studio-workflow')
export class StudioWorkflowDesigner extends LightElement {
  /** The workflow's file name without .json; empty lists the draft's workflows. */
  @property() item = '';
  /** The JSON pointer the route focuses (?focus=/states/<name>/… from a check problem's link). */
  @property() focusPath = '';
  @state() private machine?: MachineDoc;
  @state() private saved = '';
  @state() private steps: unknown[] = [];
  @state() private savedSteps = '';
  @state() private selected: Selection = null;
  @state() private manifest?: Manifest;
  @state() private counts?: Record<string, number>;
  @state() private json = false;
  @state() private jsonText = '';
  @state() private jsonError = '';
  @state() private adding = false;
  @state() private busy = false;
  @state() private error = '';
  @state() private list: string[] = [];
  private loaded?: string;
  private unsubscribe?: () => void;

  override connectedCallback() {
    super.connectedCallback();
    this.unsubscribe = draftStore.subscribe(() => { if (!this.dirty) void this.load(); else this.requestUpdate(); });
  }

  override disconnectedCallback() {
    super.disconnectedCallback();
    this.unsubscribe?.();
    draftStore.setDirty(OWNER, false);
  }

  override willUpdate(changed: Map<string, unknown>) {
    if (changed.has('item') && this.item !== this.loaded) {
      this.loaded = this.item;
      this.machine = undefined;
      this.selected = null;
      this.counts = undefined;
      void this.load().then(() => this.loadCounts());
    }
    if (changed.has('focusPath') && this.focusPath) {
      const m = /^\/states\/([^/]+)(?:\/on\/([^/]+))?/.exec(this.focusPath);
      if (m) this.selected = m[2] ? { kind: 'event', state: m[1], event: m[2] } : { kind: 'state', state: m[1] };
    }
  }

  private async load() {
    const item = this.item;
    try {
      this.list = (draftStore.view?.documents ?? []).filter((p) => /^workflows\/[^/]+\.json$/.test(p)).map((p) => p.slice(10, -5));
      if (!item) return;
      const [machine, manifest, steps] = await Promise.all([
        draftStore.json<MachineDoc>(pathOf(item)), draftStore.json<Manifest>(MANIFEST), draftStore.json<unknown[]>(MIGRATIONS),
      ]);
      if (this.item !== item) return;
      this.manifest = manifest;
      this.machine = machine && typeof machine.states === 'object' ? machine : undefined;
      this.saved = JSON.stringify(this.machine);
      this.steps = Array.isArray(steps) ? steps : [];
      this.savedSteps = JSON.stringify(this.steps);
      this.error = this.machine || !draftStore.view ? '' : `草稿中没有流程“${item}”（或它不是有效的流程 JSON：请在 JSON 视图中修正）`;
      if (!this.machine && draftStore.view) { this.json = true; this.jsonText = (await draftStore.text(pathOf(item))) ?? ''; }
    } catch (e) {
      this.error = e instanceof ApiError ? e.message : String(e);
    }
  }

  /** The collections whose records follow this workflow (the draft's manifest). */
  private get collections(): string[] {
    return Object.entries(this.manifest?.collections ?? {}).filter(([, c]) => c.workflow === this.item).map(([n]) => n);
  }

  /** Records per state now: the subtree counters of the tree's root, summed over the collections. */
  private async loadCounts() {
    const item = this.item;
    try {
      const tree = await api.get<TreeAnswer>('/api/tree');
      if (this.item !== item) return;
      const counts: Record<string, number> = {};
      for (const s of tree.node.stats) {
        if (!this.collections.includes(s.collection)) continue;
        for (const [st, n] of Object.entries(s.byState)) counts[st] = (counts[st] ?? 0) + n;
      }
      this.counts = counts;
    } catch { /* a config admin without read on the tree sees no figures */ }
  }

  private get dirty() {
    return !!this.machine && (JSON.stringify(this.machine) !== this.saved || JSON.stringify(this.steps) !== this.savedSteps);
  }

  private change(m: MachineDoc) {
    this.machine = m;
    draftStore.setDirty(OWNER, this.dirty);
  }

  /** The states of the published workflow (records can only sit in those). */
  private get published(): Set<string> {
    return new Set(this.collections.flatMap((c) => session.states(c).map((s) => s.id)));
  }

  private rename(from: string, to: string) {
    this.steps = withMove(this.steps, this.collections, this.published, from, to);
    this.change(renameState(this.machine!, from, to));
    this.selected = { kind: 'state', state: to };
  }

  private removeStateTo(name: string, to: string) {
    this.steps = withMove(this.steps, this.collections, this.published, name, to);
    this.change(removeState(this.machine!, name));
    this.selected = { kind: 'state', state: to };
  }

  private addEvent(from: string, title = '新事件', target = from) {
    const m = this.machine!;
    let n = 1;
    while (m.meta?.events?.[`EVENT_${n}`]) n++;
    const event = `EVENT_${n}`;
    const events = { ...(m.meta?.events ?? {}), [event]: { title } };
    const on = { ...(m.states[from].on ?? {}), [event]: { target, guard: { type: 'permission', params: { permission: 'write' } } } };
    this.change({ ...m, meta: { ...(m.meta ?? {}), events }, states: { ...m.states, [from]: { ...m.states[from], on } } });
    this.selected = { kind: 'event', state: from, event };
  }

  private addState(form: HTMLFormElement) {
    const data = new FormData(form);
    const title = String(data.get('title') ?? '').trim();
    const from = String(data.get('from') ?? '');
    const eventTitle = String(data.get('event') ?? '').trim() || title;
    if (!title) return;
    const m = this.machine!;
    const name = freeName(m);
    this.machine = { ...m, states: { ...m.states, [name]: { meta: { title }, on: {} } } };
    this.addEvent(from, eventTitle, name);
    this.adding = false;
  }

  private async save() {
    if (this.json && !this.applyJson()) return;
    this.busy = true;
    try {
      if (JSON.stringify(this.machine) !== this.saved) await draftStore.saveJson(pathOf(this.item), this.machine);
      if (JSON.stringify(this.steps) !== this.savedSteps) await draftStore.saveJson(MIGRATIONS, this.steps);
      this.saved = JSON.stringify(this.machine);
      this.savedSteps = JSON.stringify(this.steps);
      draftStore.setDirty(OWNER, false);
      toast(`流程「${this.machine?.meta?.title ?? this.item}」已保存到草稿`);
    } catch (e) {
      toast(e instanceof ApiError ? e.message : String(e), 'error');
    } finally {
      this.busy = false;
    }
  }

  private revert() {
    this.machine = JSON.parse(this.saved);
    this.steps = JSON.parse(this.savedSteps);
    this.json = false;
    draftStore.setDirty(OWNER, false);
  }

  private openJson() {
    this.jsonText = `${JSON.stringify(this.machine, null, 2)}\n`;
    this.jsonError = '';
    this.json = true;
  }

  /** The JSON view's text becomes the machine (refused, with the reason, when it is no machine). */
  private applyJson(): boolean {
    try {
      const m = JSON.parse(this.jsonText) as MachineDoc;
      if (!m || typeof m.states !== 'object' || typeof m.initial !== 'string') throw new Error('流程应含「initial」和「states」');
      this.change(m);
      this.jsonError = '';
      this.json = false;
      return true;
    } catch (e) {
      this.jsonError = `JSON 有误：${e instanceof Error ? e.message : String(e)}`;
      return false;
    }
  }

  override render() {
    if (!draftStore.view) return html`<p class="muted">没有打开的草稿。请先在草稿栏中打开草稿，再设计流程。</p>`;
    if (!this.item) {
      return html`<h2 tabindex="-1">流程</h2><ul class="studio-list">${this.list.map((w) => html`<li><a href=${studioHref('workflows', w)}>${w}</a></li>`)}</ul>`;
    }
    const m = this.machine;
    const problems = draftStore.problemsOf(pathOf(this.item));
    return html`<section class="studio-workflow" aria-labelledby="wf-title">
      <h2 id="wf-title" tabindex="-1">${m?.meta?.title ?? this.item} <small class="muted">${this.item}</small></h2>
      ${this.error ? html`<p class="form-error" role="alert">${this.error}</p>` : nothing}
      ${problems.map((p) => html`<p class="form-error" role="alert">${p.message}</p>`)}
      ${m && !this.json ? this.designer(m) : nothing}
      ${this.json ? html`<div class="wf-json"><label for="wf-json-text">流程 JSON（XState 配置）</label>
        <textarea id="wf-json-text" class="code" rows="24" spellcheck="false" .value=${this.jsonText}
          @input=${(e: Event) => { this.jsonText = (e.target as HTMLTextAreaElement).value; draftStore.setDirty(OWNER, true); }}></textarea>
        ${this.jsonError ? html`<p class="form-error" role="alert">${this.jsonError}</p>` : nothing}
        <div class="toolbar"><button type="button" class="btn" @click=${() => this.applyJson()}>应用到流程图</button></div></div>` : nothing}
      <div class="toolbar"><button type="button" class="btn" ?disabled=${!m && !this.json} @click=${() => (this.json ? this.applyJson() : this.openJson())}>${this.json ? '返回流程图' : 'JSON 视图'}</button>
        <span class="spacer"></span><span class="muted">${this.dirty || this.json ? '有未保存的修改' : '与草稿一致'}</span>
        <button type="button" class="btn" ?disabled=${!this.dirty || this.busy} @click=${() => this.revert()}>撤销修改</button>
        <button type="button" class="btn btn-primary" id="wf-save" ?disabled=${(!this.dirty && !this.json) || this.busy} @click=${() => this.save()}>${this.busy ? '正在保存…' : '保存到草稿'}</button></div>
    </section>`;
  }

  private designer(m: MachineDoc) {
    const warns = warnings(m);
    const moves = (this.steps as { op?: string; collection?: string; from?: string; to?: string }[]).filter((s) => s.op === 'moveState' && this.collections.includes(s.collection ?? ''));
    return html`${warns.length ? html`<ul class="notice wf-warnings" aria-label="流程提醒">${warns.map((w) => html`<li><a href="#" @click=${(e: Event) => { e.preventDefault(); this.selected = { kind: 'state', state: w.state }; }}>${w.message}</a></li>`)}</ul>` : nothing}
      ${moves.length ? html`<p class="notice wf-moves">发布时迁移：${moves.map((s) => `「${s.from}」的记录迁到「${stateTitle(m, s.to!)}」`).join('；')}（已写入迁移步骤；不写则发布会被拒绝：处于被删除或改名状态的记录会失去状态）</p>` : nothing}
      <div class="wf-layout">
        <div class="wf-canvas">
          <caiji-studio-workflow-diagram .machine=${m} .selected=${this.selected} .counts=${this.counts} .warned=${new Set(warns.map((w) => w.state))}
            @wf-select=${(e: CustomEvent<Selection>) => { this.selected = e.detail; }}></caiji-studio-workflow-diagram>
          <div class="toolbar"><button type="button" class="btn" id="wf-add-state" @click=${() => { this.adding = true; }}>添加状态</button>
            ${this.counts ? html`<span class="muted">框中数字为现有记录数（已发布版本）</span>` : nothing}</div>
          ${this.adding ? html`<form class="wf-add" @submit=${(e: Event) => { e.preventDefault(); this.addState(e.target as HTMLFormElement); }}>
            <div class="field field-inline"><label for="wf-new-title">新状态名称</label><input id="wf-new-title" name="title" required></div>
            <div class="field field-inline"><label for="wf-new-from">从状态</label><select id="wf-new-from" name="from">
              ${Object.keys(m.states).map((s) => html`<option value=${s} ?selected=${this.selected?.state === s}>${stateTitle(m, s)}</option>`)}</select></div>
            <div class="field field-inline"><label for="wf-new-event">经事件</label><input id="wf-new-event" name="event" placeholder="默认同状态名称"></div>
            <button type="submit" class="btn btn-primary">添加</button> <button type="button" class="btn" @click=${() => { this.adding = false; }}>取消</button></form>` : nothing}
        </div>
        <aside class="wf-panel" aria-label="属性">
          <caiji-studio-workflow-panel .machine=${m} .selected=${this.selected} .roles=${this.manifest?.roles ?? {}} .counts=${this.counts}
            @machine-change=${(e: CustomEvent<MachineDoc>) => this.change(e.detail)}
            @rename-state=${(e: CustomEvent<{ from: string; to: string }>) => this.rename(e.detail.from, e.detail.to)}
            @remove-state=${(e: CustomEvent<{ state: string; to: string }>) => this.removeStateTo(e.detail.state, e.detail.to)}
            @add-event=${(e: CustomEvent<string>) => this.addEvent(e.detail)}
            @select-state=${(e: CustomEvent<string>) => { this.selected = { kind: 'state', state: e.detail }; }}></caiji-studio-workflow-panel>
        </aside>
      </div>`;
  }
}
