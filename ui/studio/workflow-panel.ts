import { html, nothing } from 'lit';
import { customElement, property } from 'lit/decorators.js';
import { LightElement, emit } from '../components/light-element.js';
import {
  ACTIONS, GUARDS, PARAM_TITLES, eventTitle, guardList, guardOf, permissionsOf, stateTitle,
  type ActionRef, type GuardRef, type MachineDoc, type TransitionDoc,
} from './workflow-model.js';
import type { Selection } from './workflow-diagram.js';

/** The manifest's roles as the panel names them: who holds which permission. */
export type Roles = Record<string, { title?: string; permissions?: string[] }>;

const val = (e: Event) => (e.target as HTMLInputElement).value;
/** A params value as typed: numbers stay numbers, true/false booleans, a list by 、 or commas. */
function typed(name: string, raw: string): unknown {
  if (raw === '') return undefined;
  if (['levels', 'min', 'max'].includes(name) && /^\d+$/.test(raw)) return Number(raw);
  if (name === 'event' && /[、,，]/.test(raw)) return raw.split(/[、,，]\s*/).filter(Boolean);
  if (raw === 'true' || raw === 'false') return raw === 'true';
  return raw;
}

/**
 * The workflow designer's side panel for what the diagram selected. A state: its title, the hint
 * the record's own person sees (selfHint), its name (renaming writes a moveState step when records
 * may sit in it), removal, and a new event out of it. An event: its title, the target state, its
 * guards from the engine's vocabulary (permission, above, notSender, self, complete, field …) as
 * form fields, who may send it (the roles holding the guard's permission), and its actions.
 * Every edit is announced as `machine-change` (detail: the new machine); state renames and
 * removals as `rename-state` / `remove-state` for the designer to record the migration.
 */
@customElement('caiji-studio-workflow-panel')
export class StudioWorkflowPanel extends LightElement {
  @property({ attribute: false }) machine!: MachineDoc;
  @property({ attribute: false }) selected: Selection = null;
  @property({ attribute: false }) roles: Roles = {};
  @property({ attribute: false }) counts?: Record<string, number>;

  private set(m: MachineDoc) {
    emit(this, 'machine-change', m);
  }

  private patchState(state: string, meta: Record<string, unknown>) {
    const s = this.machine.states[state];
    const next = { ...(s.meta ?? {}), ...meta };
    for (const [k, v] of Object.entries(meta)) if (v === '' || v === undefined) delete next[k];
    this.set({ ...this.machine, states: { ...this.machine.states, [state]: { ...s, meta: next } } });
  }

  private patchTransition(state: string, event: string, patch: Partial<TransitionDoc>) {
    const s = this.machine.states[state];
    const t: TransitionDoc = { ...s.on![event], ...patch };
    for (const [k, v] of Object.entries(patch)) if (v === undefined || (Array.isArray(v) && !v.length)) delete t[k];
    this.set({ ...this.machine, states: { ...this.machine.states, [state]: { ...s, on: { ...s.on, [event]: t } } } });
  }

  private setEventTitle(event: string, title: string) {
    const meta = this.machine.meta ?? {};
    const events = { ...(meta.events ?? {}), [event]: { ...(meta.events?.[event] ?? {}), title } };
    this.set({ ...this.machine, meta: { ...meta, events } });
  }

  override render() {
    const sel = this.selected;
    if (!sel || !this.machine.states[sel.state]) return html`<p class="muted">点击流程图中的状态或事件，在这里修改。</p>`;
    return sel.kind === 'state' ? this.state(sel.state) : this.machine.states[sel.state].on?.[sel.event] ? this.event(sel.state, sel.event) : nothing;
  }

  private state(name: string) {
    const m = this.machine;
    const s = m.states[name];
    const n = this.counts?.[name] ?? 0;
    const others = Object.keys(m.states).filter((x) => x !== name);
    return html`<h3>状态「${stateTitle(m, name)}」</h3>
      <div class="field"><label for="wf-state-title">名称</label>
        <input id="wf-state-title" .value=${s.meta?.title ?? ''} @change=${(e: Event) => this.patchState(name, { title: val(e) })}></div>
      <div class="field"><label for="wf-state-hint">给记录本人的提示（selfHint）</label>
        <textarea id="wf-state-hint" rows="3" .value=${s.meta?.selfHint ?? ''} @change=${(e: Event) => this.patchState(name, { selfHint: val(e) })}></textarea></div>
      <div class="field"><label for="wf-state-name">标识（英文）</label>
        <input id="wf-state-name" .value=${name} pattern="[A-Za-z][A-Za-z0-9_]*"
          @change=${(e: Event) => { const to = val(e).trim(); if (to && to !== name && /^[A-Za-z][A-Za-z0-9_]*$/.test(to) && !m.states[to]) emit(this, 'rename-state', { from: name, to }); else (e.target as HTMLInputElement).value = name; }}>
        <p class="hint">改标识后，已在此状态的记录由迁移步骤（moveState）迁到新标识${n ? `（现有 ${n} 条）` : ''}。</p></div>
      <div class="toolbar">
        ${m.initial === name ? html`<span class="muted">初始状态</span>` : html`<button type="button" class="btn btn-small" @click=${() => this.set({ ...m, initial: name })}>设为初始状态</button>`}
        <button type="button" class="btn btn-small" id="wf-add-event" @click=${() => emit(this, 'add-event', name)}>添加从此出发的事件</button></div>
      ${m.initial === name ? nothing : html`<div class="field wf-remove"><label for="wf-remove-to">删除此状态，记录迁到</label>
        <select id="wf-remove-to">${others.map((o) => html`<option value=${o}>${stateTitle(m, o)}</option>`)}</select>
        <button type="button" class="btn btn-small btn-danger" @click=${() => emit(this, 'remove-state', { state: name, to: (this.querySelector('#wf-remove-to') as HTMLSelectElement).value })}>删除状态</button></div>`}`;
  }

  private event(state: string, event: string) {
    const m = this.machine;
    const t = m.states[state].on![event];
    const guards = guardList(t);
    const perms = permissionsOf(t);
    const holders = (p: string) => Object.values(this.roles).filter((r) => r.permissions?.includes(p)).map((r) => r.title).join('、') || '（无职务持有）';
    const setGuards = (list: GuardRef[]) => this.patchTransition(state, event, { guard: guardOf(list) });
    const actions = t.actions ?? [];
    return html`<h3>事件「${eventTitle(m, event)}」<small class="muted">${stateTitle(m, state)} →</small></h3>
      <div class="field"><label for="wf-event-title">名称</label>
        <input id="wf-event-title" .value=${m.meta?.events?.[event]?.title ?? ''} @change=${(e: Event) => this.setEventTitle(event, val(e))}></div>
      <div class="field"><label for="wf-event-target">转到状态</label>
        <select id="wf-event-target" @change=${(e: Event) => this.patchTransition(state, event, { target: val(e) })}>
          ${Object.keys(m.states).map((s) => html`<option value=${s} ?selected=${(t.target ?? state) === s}>${stateTitle(m, s)}</option>`)}</select></div>
      <fieldset class="wf-guards"><legend>条件（全部满足才可办理）</legend>
        ${guards.length ? nothing : html`<p class="muted">无条件：任何能看到记录的人都可办理</p>`}
        ${guards.map((g, i) => this.guard(g, i, guards, setGuards))}
        <label for="wf-guard-add">添加条件</label>
        <select id="wf-guard-add" @change=${(e: Event) => { const type = val(e); if (type) setGuards([...guards, { type, params: type === 'permission' || type === 'above' ? { permission: 'write' } : {} }]); (e.target as HTMLSelectElement).value = ''; }}>
          <option value="">（选择）</option>${GUARDS.map((g) => html`<option value=${g.type}>${g.title}</option>`)}</select>
      </fieldset>
      <p class="wf-who" id="wf-who"><strong>谁可办理：</strong>${perms.length ? perms.map((p) => `持有「${p}」权限的职务：${holders(p)}`).join('；') : '不限职务'}${guards.some((g) => g.type === 'above') ? '（须在记录所在组织的上级）' : ''}${guards.some((g) => g.type === 'self') ? '（记录本人）' : ''}</p>
      <fieldset class="wf-actions"><legend>办理后执行</legend>
        <ul>${actions.map((a, i) => html`<li><code>${typeof a === 'string' ? a : a.type}</code> ${ACTIONS.find((x) => x.type === (typeof a === 'string' ? a : a.type))?.title ?? ''}
          ${typeof a === 'object' && a.params ? html`<small class="muted">${JSON.stringify(a.params)}</small>` : nothing}
          <button type="button" class="btn btn-small" aria-label="删除此动作" @click=${() => this.patchTransition(state, event, { actions: actions.filter((_, j) => j !== i) })}>删除</button></li>`)}</ul>
        <label for="wf-action-add">添加动作</label>
        <select id="wf-action-add" @change=${(e: Event) => { const type = val(e); if (type) this.patchTransition(state, event, { actions: [...actions, (type === 'clearContext' ? { type } : { type, params: { values: {} } }) as ActionRef] }); (e.target as HTMLSelectElement).value = ''; }}>
          <option value="">（选择）</option>${ACTIONS.map((a) => html`<option value=${a.type}>${a.title}（${a.type}）</option>`)}</select>
        <p class="hint">动作的参数（如 setContext 的 values）在 JSON 视图中填写。</p>
      </fieldset>
      <div class="toolbar"><button type="button" class="btn btn-small btn-danger" @click=${() => {
        const on = { ...m.states[state].on };
        delete on[event];
        this.set({ ...m, states: { ...m.states, [state]: { ...m.states[state], on } } });
        emit(this, 'select-state', state);
      }}>删除此事件</button></div>`;
  }

  private guard(g: GuardRef, i: number, guards: GuardRef[], setGuards: (l: GuardRef[]) => void) {
    const def = GUARDS.find((x) => x.type === g.type);
    const params = [...(def?.params ?? Object.keys(g.params ?? {})), 'message'];
    const setParam = (name: string, raw: string) => {
      const p = { ...(g.params ?? {}) };
      const v = typed(name, raw);
      if (v === undefined) delete p[name]; else p[name] = v;
      setGuards(guards.map((x, j) => (j === i ? { type: g.type, ...(Object.keys(p).length ? { params: p } : {}) } : x)));
    };
    const perms = [...new Set(Object.values(this.roles).flatMap((r) => r.permissions ?? []))];
    return html`<div class="wf-guard" data-guard=${g.type}>
      <div class="wf-guard-head"><strong>${def?.title ?? g.type}</strong> <code>${g.type}</code>
        <button type="button" class="btn btn-small" aria-label=${`删除条件 ${def?.title ?? g.type}`} @click=${() => setGuards(guards.filter((_, j) => j !== i))}>删除</button></div>
      ${params.map((name) => {
        const id = `wf-guard-${i}-${name}`;
        const v = g.params?.[name];
        const shown = Array.isArray(v) ? v.join('、') : v === undefined ? '' : typeof v === 'object' ? JSON.stringify(v) : String(v);
        return html`<div class="field field-inline"><label for=${id}>${PARAM_TITLES[name] ?? name}</label>
          ${name === 'permission'
            ? html`<select id=${id} @change=${(e: Event) => setParam(name, val(e))}>${perms.map((p) => html`<option value=${p} ?selected=${v === p}>${p}</option>`)}</select>`
            : html`<input id=${id} .value=${shown} @change=${(e: Event) => setParam(name, val(e))}>`}</div>`;
      })}
    </div>`;
  }
}
