import { html, nothing, type TemplateResult } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import { LightElement } from '../components/light-element.js';
import { ApiError } from '../api/client.js';
import { toast } from '../components/toast.js';
import type { FieldError } from '../api/types.js';
import { draftStore } from './draft-store.js';
import { MANIFEST, placeOf } from './shell-places.js';
import { checkJson } from './shell-json.js';

const TAG = 'caiji-studio-manifest';

type Obj = Record<string, any>;
interface Field { name: string; title: string }

/** Permissions the engine itself knows, by their titles; an application may declare more (shown by name). */
const PERMISSIONS: Record<string, string> = { read: '查看', write: '编辑', grant: '授权', config: '配置' };
const FORMATS: Record<string, string> = { html: '网页预览', pdf: 'PDF', xlsx: 'Excel' };

const inputValue = (e: Event) => (e.target as HTMLInputElement).value;
const words = (s: string) => s.split(/[\s,，、]+/).filter(Boolean);

/**
 * 应用设置: the manifest (forms/app.json) edited as forms — the application's titles, each
 * collection's title, list columns, search fields and unique keys (chosen from its fields),
 * printed documents (title, formats), the roles with their permissions, scope and the node kinds
 * they fit — and, for power users, the same document as JSON, checked as it is typed. Saved whole
 * through draftStore.saveJson; the draft's check messages of the manifest show at the collection
 * or role they concern. Honours `focusPath` (a pointer such as /collections/member).
 */
@customElement(TAG)
export class StudioManifestEditor extends LightElement {
  @property() focusPath = '';
  @state() private doc?: Obj;
  @state() private fields: Record<string, Field[]> = {};
  @state() private mode: 'form' | 'json' = 'form';
  @state() private jsonText = '';
  @state() private jsonError = '';
  @state() private saveError?: { message: string; details: FieldError[] };
  @state() private busy = false;
  @state() private newRole = { name: '', title: '' };
  /** The manifest's text as the draft holds it (what "unsaved" is measured against). */
  private base?: string;
  private unsubscribe?: () => void;
  private focused = '';

  /** This page holds edits of the manifest not saved to the draft. */
  @state() private unsaved = false;

  private markDirty(dirty: boolean) {
    this.unsaved = dirty;
    draftStore.setDirty(TAG, dirty);
  }

  override connectedCallback() {
    super.connectedCallback();
    this.unsubscribe = draftStore.subscribe(() => void this.sync());
    void this.sync();
  }

  override disconnectedCallback() {
    super.disconnectedCallback();
    this.unsubscribe?.();
    this.markDirty(false);
  }

  private textOf(doc: unknown) { return `${JSON.stringify(doc, null, 2)}\n`; }

  /** Takes the draft's manifest unless this page holds unsaved edits of it. */
  private async sync() {
    this.requestUpdate();
    if (!draftStore.view) return;
    // Leaving anyway (the shell cleared every section's mark) drops this page's edits too.
    if (this.unsaved && !draftStore.dirty) this.unsaved = false;
    if (this.unsaved && this.doc) return;
    const text = await draftStore.text(MANIFEST);
    if (text === undefined || text === this.base) return;
    this.base = text;
    const parsed = checkJson(text);
    if (parsed.ok && parsed.value && typeof parsed.value === 'object') {
      this.doc = parsed.value as Obj;
      this.jsonText = text;
      this.jsonError = '';
    } else {
      // A manifest that is not JSON (saved so in the JSON view) can only be mended there.
      this.doc = undefined;
      this.mode = 'json';
      this.jsonText = text;
      this.jsonError = parsed.ok ? '应用设置应为 JSON 对象' : parsed.message;
    }
    await this.loadFields();
  }

  /** Each collection's fields (name and title) from the draft's schemas: what columns and keys are chosen from. */
  private async loadFields() {
    const out: Record<string, Field[]> = {};
    for (const [name, c] of Object.entries<Obj>(this.doc?.collections ?? {})) {
      const schema = typeof c?.schema === 'string' ? await draftStore.json<Obj>(`forms/${c.schema}`).catch(() => undefined) : undefined;
      out[name] = Object.entries<Obj>(schema?.properties ?? {}).map(([f, p]) => ({ name: f, title: typeof p?.title === 'string' ? p.title : f }));
    }
    this.fields = out;
  }

  override updated() {
    if (this.focusPath && this.focusPath !== this.focused && this.doc) {
      this.focused = this.focusPath;
      if (this.mode !== 'form' && !this.jsonError) this.mode = 'form';
      // After the app shell has moved the focus to the page's heading.
      setTimeout(() => this.focusPlace(this.focusPath), 60);
    }
  }

  /** Scrolls to the element of the longest data-pointer that begins the pointer, marks and focuses it. */
  private focusPlace(pointer: string) {
    const els = [...this.querySelectorAll<HTMLElement>('[data-pointer]')]
      .filter((e) => pointer === e.dataset.pointer || pointer.startsWith(`${e.dataset.pointer}/`));
    const el = els.sort((a, b) => b.dataset.pointer!.length - a.dataset.pointer!.length)[0];
    if (!el) return;
    for (const x of this.querySelectorAll('.studio-focus')) x.classList.remove('studio-focus');
    el.classList.add('studio-focus');
    el.scrollIntoView({ block: 'start' });
    (el.querySelector<HTMLElement>('.missing button, input, select, textarea, button') ?? el).focus();
  }

  private edit(change: (d: Obj) => void) {
    const d = structuredClone(this.doc ?? {});
    change(d);
    this.doc = d;
    this.jsonText = this.textOf(d);
    this.jsonError = '';
    this.markDirty(this.textOf(d) !== this.base);
  }

  private onJson(text: string) {
    this.jsonText = text;
    this.markDirty(text !== this.base);
    const r = checkJson(text);
    if (!r.ok) return void (this.jsonError = r.message);
    if (!r.value || typeof r.value !== 'object' || Array.isArray(r.value)) return void (this.jsonError = '应用设置应为 JSON 对象（{ … }）');
    this.jsonError = '';
    this.doc = r.value as Obj;
  }

  private async save() {
    if (!this.doc || this.jsonError) return;
    this.busy = true;
    this.saveError = undefined;
    try {
      const text = this.textOf(this.doc);
      await draftStore.saveJson(MANIFEST, this.doc);
      this.base = text;
      this.jsonText = text;
      this.markDirty(false);
      const problems = draftStore.problemsOf(MANIFEST).length;
      toast(problems ? `已保存到草稿；应用设置有 ${problems} 个错误` : '已保存到草稿', problems ? 'info' : 'ok');
      await this.loadFields();
    } catch (e) {
      this.saveError = e instanceof ApiError ? { message: e.message, details: e.details } : { message: String(e), details: [] };
    } finally {
      this.busy = false;
    }
  }

  private revert() {
    this.base = undefined;
    this.saveError = undefined;
    this.markDirty(false);
    void this.sync();
  }

  override render() {
    if (!draftStore.view) return nothing;
    const problems = draftStore.problemsOf(MANIFEST);
    return html`<h1 tabindex="-1">应用设置</h1>
      <div class="toolbar sticky studio-toolbar">
        <div role="tablist" aria-label="编辑方式" class="studio-tabs">
          <button type="button" role="tab" aria-selected=${this.mode === 'form' ? 'true' : 'false'} class="btn btn-small ${this.mode === 'form' ? 'current' : ''}"
            ?disabled=${!this.doc || !!this.jsonError} @click=${() => { this.mode = 'form'; }}>表单</button>
          <button type="button" role="tab" aria-selected=${this.mode === 'json' ? 'true' : 'false'} class="btn btn-small ${this.mode === 'json' ? 'current' : ''}"
            @click=${() => { this.mode = 'json'; this.jsonText = this.doc ? this.textOf(this.doc) : this.jsonText; }}>JSON</button>
        </div>
        <span class="spacer"></span>
        ${this.unsaved ? html`<span class="muted" role="status">有未保存的修改</span>` : nothing}
        <button type="button" class="btn btn-small" ?disabled=${!this.unsaved || this.busy} @click=${this.revert}>放弃修改</button>
        <button type="button" class="btn btn-primary btn-small" ?disabled=${!this.unsaved || this.busy || !!this.jsonError} @click=${this.save}>保存</button>
      </div>
      ${this.saveError ? html`<div class="error-box" role="alert"><p>${this.saveError.message}</p>
        ${this.saveError.details.length ? html`<ul>${this.saveError.details.map((d) => html`<li>${d.message}</li>`)}</ul>` : nothing}</div>` : nothing}
      ${problems.length ? html`<div class="error-box" role="alert"><p>应用设置有 ${problems.length} 个错误（已保存在草稿中，修正后才能发布）：</p>
        <ul>${problems.map((p) => html`<li><a href=${placeOf(p, this.doc).href}>${p.message}</a></li>`)}</ul></div>` : nothing}
      ${this.mode === 'json' || !this.doc ? this.renderJson() : this.renderForm(this.doc, problems)}`;
  }

  private renderJson() {
    return html`<div class="studio-json">
      <label for="manifest-json" class="sr-only">应用设置（JSON）</label>
      <textarea id="manifest-json" class="code-text" spellcheck="false" rows="28" .value=${this.jsonText}
        aria-invalid=${this.jsonError ? 'true' : 'false'} aria-describedby="manifest-json-error"
        @input=${(e: Event) => this.onJson((e.target as HTMLTextAreaElement).value)}></textarea>
      <p id="manifest-json-error" class="error-text" role="status">${this.jsonError}</p>
    </div>`;
  }

  /** Problems of the manifest at a place (a pointer prefix such as /collections/member). */
  private problemsAt(problems: FieldError[], pointer: string) {
    const at = problems.filter((p) => {
      const focus = placeOf(p, this.doc).focus;
      return focus === pointer || focus.startsWith(`${pointer}/`);
    });
    return at.length ? html`<ul class="error-list" role="alert">${at.map((p) => html`<li>${p.message}</li>`)}</ul>` : nothing;
  }

  private renderForm(d: Obj, problems: FieldError[]) {
    const treeFields = this.fields[d.tree?.collection] ?? [];
    return html`<div class="studio-manifest">
      <fieldset class="panel" data-pointer="/app">
        <legend>应用</legend>
        ${this.text('应用名称', d.title, (v) => this.edit((x) => { x.title = v; }), 'm-title')}
        ${this.text('必填项的称呼', d.essentialLabel ?? '', (v) => this.edit((x) => { if (v) x.essentialLabel = v; else delete x.essentialLabel; }), 'm-essential')}
        ${this.text('登录页提示', d.loginNote ?? '', (v) => this.edit((x) => { if (v) x.loginNote = v; else delete x.loginNote; }), 'm-login-note')}
        <label class="m-check"><input type="checkbox" .checked=${d.publishNeedsSecondAdmin === true}
          @change=${(e: Event) => this.edit((x) => { if ((e.target as HTMLInputElement).checked) x.publishNeedsSecondAdmin = true; else delete x.publishNeedsSecondAdmin; })}>
          发布配置须经两位配置管理员（一人提交审批，另一人批准发布）</label>
      </fieldset>
      <h2>数据类别</h2>
      ${Object.entries<Obj>(d.collections ?? {}).map(([name, c]) => this.renderCollection(name, c, problems))}
      <h2>角色与权限</h2>
      ${Object.entries<Obj>(d.roles ?? {}).map(([name, r]) => this.renderRole(name, r, treeFields, problems))}
      <div class="panel m-new-role">
        <strong>添加角色</strong>
        <label>标识 <input id="m-new-role-name" pattern="[A-Za-z][A-Za-z0-9_]*" placeholder="英文字母开头" .value=${this.newRole.name}
          @input=${(e: Event) => { this.newRole = { ...this.newRole, name: inputValue(e).trim() }; }}></label>
        <label>名称 <input id="m-new-role-title" .value=${this.newRole.title} @input=${(e: Event) => { this.newRole = { ...this.newRole, title: inputValue(e).trim() }; }}></label>
        <button type="button" class="btn btn-small" ?disabled=${!/^[A-Za-z][A-Za-z0-9_]*$/.test(this.newRole.name) || !this.newRole.title || !!d.roles?.[this.newRole.name]}
          @click=${() => { const { name, title } = this.newRole; this.edit((x) => { x.roles = { ...x.roles, [name]: { title, permissions: ['read'] } }; }); this.newRole = { name: '', title: '' }; }}>添加</button>
      </div>
    </div>`;
  }

  private text(label: string, value: string, set: (v: string) => void, id: string) {
    return html`<div class="m-row"><label for=${id}>${label}</label><input id=${id} .value=${value ?? ''} @change=${(e: Event) => set(inputValue(e))}></div>`;
  }

  private renderCollection(name: string, c: Obj, problems: FieldError[]) {
    const fields = this.fields[name] ?? [];
    const at = (f: (x: Obj) => void) => this.edit((d) => f(d.collections[name]));
    const keys: Obj[] = Array.isArray(c.uniqueKeys) ? c.uniqueKeys : [];
    return html`<fieldset class="panel m-collection" data-pointer=${`/collections/${name}`} data-collection=${name}>
      <legend>${c.title ?? name} <code>${name}</code></legend>
      ${this.problemsAt(problems, `/collections/${name}`)}
      ${this.text('名称', c.title ?? '', (v) => at((x) => { x.title = v; }), `m-${name}-title`)}
      ${this.fieldList('列表列', `/collections/${name}/listColumns`, c.listColumns ?? [], fields, (v) => at((x) => { x.listColumns = v; }))}
      ${this.fieldList('检索字段', `/collections/${name}/search`, c.search ?? [], fields, (v) => at((x) => { x.search = v; }))}
      <div class="m-row" data-pointer=${`/collections/${name}/uniqueKeys`}><span class="m-label">唯一键</span><div>
        ${keys.map((k, i) => html`<div class="m-key">${this.fieldList(`唯一键 ${i + 1}`, `/collections/${name}/uniqueKeys/${i}`, k.fields ?? [], fields,
          (v) => at((x) => { if (v.length) x.uniqueKeys[i] = { ...x.uniqueKeys[i], fields: v }; else x.uniqueKeys.splice(i, 1); if (!x.uniqueKeys.length) delete x.uniqueKeys; }))}</div>`)}
        <label class="m-add">添加唯一键 <select aria-label=${`为「${c.title ?? name}」添加唯一键`} @change=${(e: Event) => {
          const f = (e.target as HTMLSelectElement).value;
          (e.target as HTMLSelectElement).value = '';
          if (f) at((x) => { x.uniqueKeys = [...(x.uniqueKeys ?? []), { fields: [f] }]; });
        }}><option value="">选择字段…</option>${fields.map((f) => html`<option value=${f.name}>${f.title}（${f.name}）</option>`)}</select></label>
      </div></div>
      ${Object.entries<Obj>(c.documents ?? {}).map(([doc, spec]) => html`<div class="m-row m-document" data-pointer=${`/collections/${name}/documents/${doc}`}>
        <span class="m-label">打印文档 <code>${doc}</code></span><div>
        <label>标题 <input .value=${spec.title ?? ''} @change=${(e: Event) => at((x) => { x.documents[doc].title = inputValue(e); })}></label>
        <span class="m-formats">${Object.entries(FORMATS).map(([f, t]) => html`<label class="m-check"><input type="checkbox" .checked=${(spec.formats ?? []).includes(f)}
          @change=${(e: Event) => at((x) => {
            const on = (e.target as HTMLInputElement).checked;
            const now: string[] = x.documents[doc].formats ?? [];
            x.documents[doc].formats = on ? [...now.filter((y) => y !== f), f] : now.filter((y) => y !== f);
          })}>${t}</label>`)}</span>
        <span class="muted">模板 ${spec.template ?? ''}</span></div></div>`)}
    </fieldset>`;
  }

  /** An ordered list of a collection's fields: move up and down, remove, add from the fields not chosen. */
  private fieldList(label: string, pointer: string, values: string[], fields: Field[], set: (v: string[]) => void): TemplateResult {
    const title = (v: string) => fields.find((f) => f.name === v)?.title;
    const id = `m${pointer.replaceAll('/', '-')}`;
    const move = (i: number, by: number) => { const v = [...values]; [v[i], v[i + by]] = [v[i + by], v[i]]; set(v); };
    return html`<div class="m-row m-list" data-pointer=${pointer}><span class="m-label" id=${`${id}-l`}>${label}</span><div>
      <ol class="m-chips" aria-labelledby=${`${id}-l`}>${values.map((v, i) => {
        const t = title(v);
        return html`<li class=${t ? '' : 'missing'} data-field=${v}>${t ?? v} <code>${v}</code>${t ? nothing : html`<span class="error-text">（字段不存在）</span>`}
          <button type="button" class="btn-link" aria-label=${`上移「${t ?? v}」`} ?disabled=${i === 0} @click=${() => move(i, -1)}>↑</button>
          <button type="button" class="btn-link" aria-label=${`下移「${t ?? v}」`} ?disabled=${i === values.length - 1} @click=${() => move(i, 1)}>↓</button>
          <button type="button" class="btn-danger-link" aria-label=${`移除「${t ?? v}」`} @click=${() => set(values.filter((_, j) => j !== i))}>×</button></li>`;
      })}</ol>
      <select aria-label=${`添加${label}`} @change=${(e: Event) => {
        const f = (e.target as HTMLSelectElement).value;
        (e.target as HTMLSelectElement).value = '';
        if (f) set([...values, f]);
      }}><option value="">添加…</option>${fields.filter((f) => !values.includes(f.name)).map((f) => html`<option value=${f.name}>${f.title}（${f.name}）</option>`)}</select>
    </div></div>`;
  }

  private renderRole(name: string, r: Obj, treeFields: Field[], problems: FieldError[]) {
    const at = (f: (x: Obj) => void) => this.edit((d) => f(d.roles[name]));
    const all = [...new Set([...Object.keys(PERMISSIONS), ...Object.values<Obj>(this.doc?.roles ?? {}).flatMap((x) => x.permissions ?? [])])];
    const kinds: Obj | undefined = r.nodeKinds;
    return html`<fieldset class="panel m-role" data-pointer=${`/roles/${name}`} data-role=${name}>
      <legend>${r.title ?? name} <code>${name}</code></legend>
      ${this.problemsAt(problems, `/roles/${name}`)}
      ${this.text('名称', r.title ?? '', (v) => at((x) => { x.title = v; }), `m-role-${name}-title`)}
      <div class="m-row"><span class="m-label">权限</span><div class="m-perms">${all.map((p) => html`<label class="m-check">
        <input type="checkbox" .checked=${(r.permissions ?? []).includes(p)} @change=${(e: Event) => at((x) => {
          const on = (e.target as HTMLInputElement).checked;
          x.permissions = on ? [...(x.permissions ?? []), p] : (x.permissions ?? []).filter((y: string) => y !== p);
        })}>${PERMISSIONS[p] ?? p}${PERMISSIONS[p] ? html` <code>${p}</code>` : nothing}</label>`)}</div></div>
      ${r.self ? html`<div class="m-row"><span class="m-label">本人角色</span><span>绑定「${this.doc?.collections?.[r.self]?.title ?? r.self}」的一条记录，只能查看本人信息</span></div>` : nothing}
      <div class="m-row"><label for=${`m-role-${name}-scope`}>范围</label>
        <select id=${`m-role-${name}-scope`} @change=${(e: Event) => at((x) => { if ((e.target as HTMLSelectElement).value === 'global') x.scope = 'global'; else delete x.scope; })}>
          <option value="subtree" ?selected=${r.scope !== 'global'}>所授节点及其下级</option>
          <option value="global" ?selected=${r.scope === 'global'}>全局（只能在根节点授予；配置权限须为全局）</option>
        </select></div>
      <div class="m-row"><span class="m-label">适用节点</span><div>
        <label>按字段 <select aria-label="适用节点的字段" @change=${(e: Event) => at((x) => {
          const f = (e.target as HTMLSelectElement).value;
          if (f) x.nodeKinds = { field: f, values: x.nodeKinds?.values ?? [] };
          else delete x.nodeKinds;
        })}><option value="" ?selected=${!kinds}>所有节点</option>${treeFields.map((f) => html`<option value=${f.name} ?selected=${kinds?.field === f.name}>${f.title}</option>`)}</select></label>
        ${kinds ? html`<label>取值 <input aria-label="适用节点的取值" .value=${(kinds.values ?? []).join('、')} placeholder="以顿号或空格分隔"
          @change=${(e: Event) => at((x) => { x.nodeKinds = { ...x.nodeKinds, values: words(inputValue(e)) }; })}></label>` : nothing}
      </div></div>
      <div class="m-row"><span></span><button type="button" class="btn-danger-link" @click=${() => {
        if (confirm(`确定删除角色「${r.title ?? name}」吗？已授予的该角色将失效。`)) this.edit((d) => { delete d.roles[name]; });
      }}>删除角色</button></div>
    </fieldset>`;
  }
}
