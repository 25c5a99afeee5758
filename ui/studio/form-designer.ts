import { html, nothing } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import { LightElement } from '../components/light-element.js';
import { messageOf } from '../api/client.js';
import { session } from '../api/session.js';
import { draftStore } from './draft-store.js';
import { addField, designFields, fieldNamePattern, kindOf, kinds, moveField, placeField, withKind, type Json, type Kind } from './form-schema.js';
import {
  fieldInDemo, mentions, removeFromManifest, removeFromSchema, renameInManifest, renameInSchema, stepsAfterRemove, stepsAfterRename,
} from './form-rules.js';
import type { SchemaEdit } from './form-properties.js';
import type { CodeOption } from './form-rules-panel.js';
import type { StudioFormFieldList } from './form-field-list.js';
import type { StudioFormJson } from './form-json-view.js';
import './form-field-list.js';
import './form-properties.js';
import './form-table-columns.js';
import './form-rules-panel.js';
import './form-json-view.js';
import './form-preview.js';
import './form-demo-fixes.js';
import { demoProblems } from './form-demo-fixes.js';
import { columnInDemo, columnStepsInWords, removeColumnAndUses, renameColumn } from './form-columns.js';
import '../styles/studio-forms.css';

const MANIFEST = 'forms/app.json';
const MIGRATIONS = 'migrations.json';
const OWNER = 'form-designer';

type Tab = 'fields' | 'rules' | 'json';

/**
 * The studio's 表单设计 section for one collection (`item`): its fields in display order and
 * sections (add, remove, reorder by drag or Alt+↑/↓, rename with its migration step), a property
 * panel per field, the rules in words, the schema as JSON, and beside them the live preview of the
 * form users will get. Every change is one save of the draft through draftStore (undoable); a
 * rename or removal also rewrites the manifest's uses and migrations.json, and names the uses it
 * could not rewrite (templates, workflows).
 */
@customElement('caiji-studio-form-designer')
export class StudioFormDesigner extends LightElement {
  /** The collection the route names. */
  @property() item = '';
  /** A JSON pointer into the schema (the draft bar's error links, ?focus=): its field is selected. */
  @property() focusPath = '';
  @state() private tab: Tab = 'fields';
  @state() private manifest?: Json;
  @state() private schemaPath = '';
  @state() private schemaText = '';
  @state() private schema?: Json;
  @state() private selected = '';
  @state() private codeTables: { table: string; title: string }[] = [];
  @state() private codes = new Map<string, CodeOption[]>();
  @state() private notices: string[] = [];
  @state() private error = '';
  @state() private busy = false;
  @state() private loaded = false;
  @state() private adding = false;
  /** The manifest's demo data documents that hold records of this collection. */
  @state() private demoPaths: string[] = [];
  private published = new Set<string>();
  /** The published schema's properties: a table's published columns need steps when renamed or removed. */
  private publishedProps: Json = {};
  /** The draft's migration steps (the columns' panel lists those on its table). */
  @state() private stepsDoc: Json[] = [];
  /** The focusPath already honoured (a later draft change keeps the person's own choice). */
  private focused = '';
  private codesOfDraft = '';
  private saving: Promise<unknown> = Promise.resolve();
  private unsubscribe?: () => void;

  override connectedCallback() {
    super.connectedCallback();
    this.unsubscribe = draftStore.subscribe(() => void this.refresh());
    void (draftStore.view ? this.refresh() : draftStore.load());
  }

  override disconnectedCallback() {
    super.disconnectedCallback();
    this.unsubscribe?.();
    draftStore.setDirty(OWNER, false);
  }

  override willUpdate(changed: Map<string, unknown>) {
    if (changed.has('item') && changed.get('item') !== undefined) {
      this.selected = '';
      this.notices = [];
      this.querySelector<StudioFormJson>('caiji-studio-form-json')?.reset();
      void this.refresh();
    }
  }

  override updated(changed: Map<string, unknown>) {
    if (changed.has('focusPath')) this.applyFocus();
  }

  /** Reads the manifest, the schema and the draft's code tables again (after any draft change). */
  private async refresh() {
    const view = draftStore.view;
    if (!view || !this.item) { this.loaded = true; this.schema = undefined; return; }
    try {
      const manifest = await draftStore.json<Json>(MANIFEST);
      const file = manifest?.collections?.[this.item]?.schema;
      this.manifest = manifest;
      if (typeof file !== 'string') { this.error = `草稿的 ${MANIFEST} 中没有集合“${this.item}”`; this.loaded = true; return; }
      this.schemaPath = `forms/${file}`;
      this.schemaText = (await draftStore.text(this.schemaPath)) ?? '';
      try { this.schema = JSON.parse(this.schemaText); } catch { this.schema = undefined; this.tab = 'json'; }
      this.error = '';
      void this.loadCodes(view.documents);
      void this.loadDemoPaths();
      void this.loadPublished();
      this.stepsDoc = await this.steps();
    } catch (e) {
      this.error = messageOf(e);
    }
    this.loaded = true;
    this.applyFocus();
  }

  /** The draft's code tables (titles for the property panel, codes for the rule sentences). */
  private async loadCodes(documents: string[]) {
    const paths = documents.filter((p) => /^forms\/codes\/[^/]+\.json$/.test(p));
    const key = `${draftStore.view?.version}|${paths.join()}`;
    if (key === this.codesOfDraft) return;
    this.codesOfDraft = key;
    const tables = (await Promise.all(paths.map((p) => draftStore.json<Json>(p)))).filter((t): t is Json => !!t?.table);
    this.codeTables = tables.map((t) => ({ table: t.table, title: t.title ?? t.table })).sort((a, b) => a.title.localeCompare(b.title, 'zh'));
    this.codes = new Map(tables.map((t) => [t.table, (t.codes ?? []) as CodeOption[]]));
  }

  private async loadDemoPaths() {
    const paths = ((this.manifest?.demo ?? []) as string[]).map((f) => `forms/${f}`);
    const docs = await Promise.all(paths.map((p) => draftStore.json<Json>(p).catch(() => undefined)));
    const mine = paths.filter((_, i) => docs[i]?.collection === this.item);
    if (mine.join() !== this.demoPaths.join()) this.demoPaths = mine;
  }

  /** The fields the published version has: a rename or removal of one needs a migration step. */
  private async loadPublished() {
    try {
      const f = await session.form(this.item);
      this.publishedProps = f.schema.properties ?? {};
      this.published = new Set(Object.keys(this.publishedProps));
    } catch {
      this.publishedProps = {};
      this.published = new Set();
    }
  }

  /** focusPath /properties/<field>… selects that field; /allOf, /x-rules open the rules; others the JSON. */
  private applyFocus() {
    const focus = this.focusPath;
    if (!focus || !this.schema || focus === this.focused) return;
    this.focused = focus;
    const field = /^\/properties\/([^/]+)/.exec(focus)?.[1];
    const name = field ? decodeURIComponent(field.replace(/~1/g, '/').replace(/~0/g, '~')) : '';
    if (name && this.schema.properties?.[name]) {
      this.tab = 'fields';
      this.select(name);
    } else if (/^\/(allOf|x-rules)/.test(focus)) this.tab = 'rules';
    else if (!name) this.tab = 'json';
  }

  private select(name: string) {
    this.selected = name;
    void this.updateComplete.then(() => this.querySelector(`li[data-name="${CSS.escape(name)}"]`)?.scrollIntoView({ block: 'nearest' }));
  }

  /** Saves documents one after another (a second edit waits for the first). */
  private queue(work: () => Promise<unknown>): Promise<void> {
    const next = this.saving.then(async () => {
      this.busy = true;
      try {
        await work();
        this.error = '';
      } catch (e) {
        this.error = `保存失败：${e instanceof Error ? e.message : String(e)}`;
      } finally {
        this.busy = false;
      }
    });
    this.saving = next;
    return next;
  }

  /**
   * A document as the draft holds it now, parsed afresh: a queued edit builds on the save before it
   * (the store keeps what it saved), not on what this page last rendered.
   */
  private async latest(path: string): Promise<Json> {
    const doc = await draftStore.json<Json>(path);
    if (!doc) throw new Error(`草稿中的 ${path} 不是有效的 JSON，请在「JSON」中改正`);
    return doc;
  }

  private edit(fn: SchemaEdit) {
    return this.queue(async () => {
      const next = await this.latest(this.schemaPath);
      fn(next);
      await draftStore.saveJson(this.schemaPath, next);
    });
  }

  private async steps(): Promise<Json[]> {
    const s = await draftStore.json<Json[]>(MIGRATIONS);
    return Array.isArray(s) ? s : [];
  }

  /** Documents other than those rewritten that still name the field, as warnings. */
  private async usesLeft(field: string, exceptManifest: boolean): Promise<string[]> {
    const docs = (draftStore.view?.documents ?? []).filter((p) =>
      (p.startsWith('templates/') || p.startsWith('workflows/') || (p.startsWith('forms/') && p.endsWith('.schema.json') && p !== this.schemaPath) || (!exceptManifest && p === MANIFEST))
      && !/\.(woff2?|ttf|otf|png|jpe?g|gif|pdf|xlsx)$/i.test(p));
    const out: string[] = [];
    for (const p of docs) {
      const text = await draftStore.text(p);
      if (typeof text === 'string' && mentions(text, field)) out.push(`${p} 中仍写着“${field}”，请到相应的编辑页检查并修改`);
    }
    return out;
  }

  /** Renames (or, with to null, removes) the field in the manifest's demo data of this collection; returns the files changed. */
  private demoData(from: string, to: string | null): Promise<string[]> {
    return this.changeDemo((doc) => fieldInDemo(doc, this.item, from, to) > 0);
  }

  /** Changes the manifest's demo documents of this collection where `change` (on a copy) says it changed something; returns the files saved. */
  private async changeDemo(change: (doc: Json) => boolean): Promise<string[]> {
    const changed: string[] = [];
    for (const file of (this.manifest?.demo ?? []) as string[]) {
      const path = `forms/${file}`;
      const doc = await draftStore.json<Json>(path);
      if (!doc || doc.collection !== this.item) continue;
      const next = structuredClone(doc);
      if (change(next)) {
        await draftStore.saveJson(path, next);
        changed.push(path);
      }
    }
    return changed;
  }

  /** Gives one demo record's field a value (undefined clears it): a fix the check asked for. */
  private fixDemo(d: { path: string; index: number; field: string; value: unknown }) {
    return this.queue(async () => {
      const doc = structuredClone(await draftStore.json<Json>(d.path));
      const r = doc?.records?.[d.index];
      if (!r) return;
      if (d.value === undefined || d.value === '') delete r[d.field];
      else r[d.field] = d.value;
      await draftStore.saveJson(d.path, doc);
    });
  }

  private rename(from: string, to: string) {
    return this.queue(async () => {
      const schema = await this.latest(this.schemaPath);
      const places = renameInSchema(schema, from, to);
      await draftStore.saveJson(this.schemaPath, schema);
      const manifest = await this.latest(MANIFEST);
      const mPlaces = renameInManifest(manifest, this.item, from, to);
      if (mPlaces.length) await draftStore.saveJson(MANIFEST, manifest);
      mPlaces.push(...(await this.demoData(from, to)).map((p) => `演示数据 ${p}`));
      const stepChanged = await this.saveSteps((steps) => stepsAfterRename(steps, this.item, from, to, this.published));
      this.selected = to;
      this.notices = [
        `字段“${from}”已改名为“${to}”${[...places, ...mPlaces].length ? `，同时改写了：${[...places, ...mPlaces].join('、')}` : ''}。`,
        stepChanged ? `已在 ${MIGRATIONS} 中写入迁移步骤：发布时已存储的“${from}”值改存为“${to}”。` : '这是本草稿新增的字段，无需迁移步骤。',
        ...(await this.usesLeft(from, false)),
      ];
    });
  }

  private removeField(field: string) {
    return this.queue(async () => {
      const schema = await this.latest(this.schemaPath);
      const gone = removeFromSchema(schema, field);
      await draftStore.saveJson(this.schemaPath, schema);
      const manifest = await this.latest(MANIFEST);
      const mGone = removeFromManifest(manifest, this.item, field);
      if (mGone.length) await draftStore.saveJson(MANIFEST, manifest);
      mGone.push(...(await this.demoData(field, null)).map((p) => `演示数据 ${p} 中的值`));
      const stepChanged = await this.saveSteps((steps) => stepsAfterRemove(steps, this.item, field, this.published));
      this.selected = '';
      this.notices = [
        `字段“${field}”已删除${[...gone, ...mGone].length ? `，同时删除了：${[...gone, ...mGone].join('、')}` : ''}。`,
        ...(stepChanged ? [`已在 ${MIGRATIONS} 中写入迁移步骤：发布时从记录中移除“${field}”的值（历史中保留）。`] : []),
        ...(await this.usesLeft(field, false)),
      ];
    });
  }

  /** A table's published columns (under the table's published name, should a step have renamed it). */
  private publishedColumns(steps: Json[], table: string): Set<string> {
    const origin = steps.find((s) => s?.op === 'renameField' && s.collection === this.item && s.table === undefined && s.to === table)?.from ?? table;
    return new Set(Object.keys(this.publishedProps[origin]?.items?.properties ?? {}));
  }

  /** Saves the steps after a change of them; whether they changed. */
  private async saveSteps(change: (steps: Json[]) => Json[]): Promise<boolean> {
    const before = await this.steps();
    const after = change(structuredClone(before));
    if (JSON.stringify(before) === JSON.stringify(after)) return false;
    await draftStore.saveJson(MIGRATIONS, after);
    return true;
  }

  private renameColumn({ table, from, to }: { table: string; from: string; to: string }) {
    return this.queue(async () => {
      const schema = await this.latest(this.schemaPath);
      const places = renameColumn(schema.properties[table], from, to);
      await draftStore.saveJson(this.schemaPath, schema);
      places.push(...(await this.changeDemo((doc) => columnInDemo(doc, this.item, table, from, to) > 0)).map((p) => `演示数据 ${p}`));
      const stepChanged = await this.saveSteps((steps) => stepsAfterRename(steps, this.item, from, to, this.publishedColumns(steps, table), table));
      const title = schema.properties[table]?.title ?? table;
      this.notices = [
        `子表「${title}」的列“${from}”已改名为“${to}”${places.length ? `，同时改写了：${places.join('、')}` : ''}。`,
        stepChanged ? `已在 ${MIGRATIONS} 中写入迁移步骤：发布时每一行已存储的“${from}”值改存为“${to}”。` : '这是本草稿新增的列，无需迁移步骤。',
        ...(await this.usesLeft(from, false)),
      ];
    });
  }

  private removeColumn({ table, column }: { table: string; column: string }) {
    return this.queue(async () => {
      const schema = await this.latest(this.schemaPath);
      const gone = removeColumnAndUses(schema.properties[table], column);
      await draftStore.saveJson(this.schemaPath, schema);
      gone.push(...(await this.changeDemo((doc) => columnInDemo(doc, this.item, table, column, null) > 0)).map((p) => `演示数据 ${p} 中的值`));
      const stepChanged = await this.saveSteps((steps) => stepsAfterRemove(steps, this.item, column, this.publishedColumns(steps, table), table));
      const title = schema.properties[table]?.title ?? table;
      this.notices = [
        `子表「${title}」的列“${column}”已删除${gone.length ? `，同时删除了：${gone.join('、')}` : ''}。`,
        ...(stepChanged ? [`已在 ${MIGRATIONS} 中写入迁移步骤：发布时从每一行中移除“${column}”的值（历史中保留）。`] : []),
        ...(await this.usesLeft(column, false)),
      ];
    });
  }

  private add(form: HTMLFormElement) {
    const data = new FormData(form);
    const title = String(data.get('title') ?? '').trim();
    const name = String(data.get('name') ?? '').trim();
    const group = String(data.get('group') ?? '').trim();
    const kind = String(data.get('kind') ?? 'text') as Kind;
    const problem = !title ? '请填写标题' : !fieldNamePattern.test(name) ? '字段名应以英文字母开头，只含英文字母、数字和下划线'
      : Object.hasOwn(this.schema?.properties ?? {}, name) ? `已有字段名为“${name}”` : '';
    if (problem) { this.error = problem; return; }
    const after = this.selected && this.schema!.properties[this.selected]?.['x-group'] === (group || undefined) ? this.selected : undefined;
    const table = this.codeTables[0]?.table;
    void this.edit((s) => {
      addField(s, name, title, group, after);
      if (kind !== 'text') s.properties[name] = withKind(s.properties[name], kind, table);
    }).then(() => {
      this.adding = false;
      this.select(name);
      this.notices = [`已添加字段「${title}」（${name}）：请在右侧设置它的类型和校验。`];
    });
  }

  private async move(name: string, delta: -1 | 1) {
    const probe = structuredClone(this.schema!);
    if (!moveField(probe, name, delta)) return;
    await this.edit((s) => moveField(s, name, delta));
    await this.querySelector<StudioFormFieldList>('caiji-studio-form-field-list')?.focusRow(name);
  }

  private async applyJson(text: string) {
    await this.queue(() => draftStore.save(this.schemaPath, text));
    if (!this.error) this.querySelector<StudioFormJson>('caiji-studio-form-json')?.reset();
  }

  /**
   * The check problems of the schema document: by path, or — a problem the check could not place
   * (its path empty) — by the document its message starts with.
   */
  private schemaProblems() {
    const path = this.schemaPath;
    return (draftStore.view?.problems ?? []).filter((p) => p.path === path || p.path.startsWith(`${path}#`) || (!p.path && p.message.startsWith(path)));
  }

  private fieldProblems(name: string) {
    const at = `${this.schemaPath}#/properties/${name}`;
    return this.schemaProblems().filter((p) => [p.path, p.message].some((x) => x === at || x.startsWith(`${at}/`) || x.startsWith(`${at}:`)));
  }

  private renderAdd() {
    const groups = [...new Set(designFields(this.schema!).map((f) => f.group).filter(Boolean))];
    const current = this.selected ? this.schema!.properties[this.selected]?.['x-group'] ?? '' : groups[groups.length - 1] ?? '';
    return html`<form class="add-field" aria-label="添加字段" @submit=${(e: Event) => { e.preventDefault(); this.add(e.target as HTMLFormElement); }}>
      <label>标题 <input name="title" id="add-title" required /></label>
      <label>字段名 <input name="name" id="add-name" required placeholder="英文，如 wechatId" /></label>
      <label>分组 <input name="group" id="add-group" list="designer-groups" .value=${current} /></label>
      <label>类型 <select name="kind" id="add-kind">${kinds.map((k) => html`<option value=${k.id}>${k.label}</option>`)}</select></label>
      <datalist id="designer-groups">${groups.map((g) => html`<option value=${g}></option>`)}</datalist>
      <div class="toolbar"><button type="submit" class="primary">添加</button><button type="button" @click=${() => { this.adding = false; }}>取消</button></div>
    </form>`;
  }

  override render() {
    if (!draftStore.view) {
      if (!this.loaded) return html`<p class="muted">正在读取草稿…</p>`;
      return html`<div class="panel"><p>表单设计在配置草稿中进行，目前没有打开的草稿。</p>
        <button type="button" class="primary" @click=${() => void draftStore.open().catch((e) => { this.error = messageOf(e); })}>打开草稿</button>
        ${this.error ? html`<p class="error-text" role="alert">${this.error}</p>` : nothing}</div>`;
    }
    const title = this.manifest?.collections?.[this.item]?.title ?? this.item;
    const fields = this.schema ? designFields(this.schema) : [];
    const problems = this.schemaProblems();
    const flagged = new Set(problems.map((p) => /#\/properties\/([^/:\s]+)/.exec(p.path || p.message)?.[1] ?? '').filter(Boolean));
    const tab = (id: Tab, label: string) => html`<button type="button" role="tab" id=${`designer-tab-${id}`} aria-selected=${this.tab === id ? 'true' : 'false'}
      class=${this.tab === id ? 'current' : ''} @click=${() => { this.tab = id; }}>${label}</button>`;
    return html`<div class="form-designer">
      <div class="designer-head">
        <h2>表单设计：${title}</h2>
        <div class="tabs" role="tablist" aria-label="表单设计">${tab('fields', '字段')}${tab('rules', '规则')}${tab('json', 'JSON')}</div>
        <span class="designer-status" role="status">${this.busy ? '正在保存…' : problems.length ? `此表单有 ${problems.length} 个问题` : ''}</span>
      </div>
      ${this.error ? html`<p class="error-text" role="alert">${this.error}</p>` : nothing}
      ${this.notices.length ? html`<ul class="designer-notices" role="status">${this.notices.map((n) => html`<li>${n}</li>`)}
        <li><button type="button" class="link" @click=${() => { this.notices = []; }}>知道了</button></li></ul>` : nothing}
      ${this.schema ? html`<caiji-studio-form-demo-fixes .schema=${this.schema} .codes=${this.codes}
        .problems=${demoProblems(draftStore.view.problems, this.demoPaths)}
        @demo-fix=${(e: CustomEvent) => void this.fixDemo(e.detail)}></caiji-studio-form-demo-fixes>` : nothing}
      <div class="designer-body">
        ${this.tab === 'json' || !this.schema ? html`<div class="designer-json">
            <caiji-studio-form-json .text=${this.schemaText} path=${this.schemaPath} .problems=${problems}
              @json-dirty=${(e: CustomEvent<boolean>) => draftStore.setDirty(OWNER, e.detail)}
              @json-apply=${(e: CustomEvent<string>) => void this.applyJson(e.detail)}></caiji-studio-form-json></div>`
          : this.tab === 'rules' ? html`<div class="designer-rules">
            <caiji-studio-form-rules .schema=${this.schema} .codes=${this.codes} @schema-edit=${(e: CustomEvent<SchemaEdit>) => void this.edit(e.detail)}></caiji-studio-form-rules></div>`
          : html`<div class="designer-list">
              <div class="toolbar"><button type="button" id="add-field" @click=${() => { this.adding = true; }}>添加字段</button></div>
              ${this.adding ? this.renderAdd() : nothing}
              <caiji-studio-form-field-list .fields=${fields} selected=${this.selected} .flagged=${flagged} .required=${new Set<string>(this.schema.required ?? [])}
                @field-select=${(e: CustomEvent<string>) => this.select(e.detail)}
                @field-move=${(e: CustomEvent<{ name: string; delta: -1 | 1 }>) => void this.move(e.detail.name, e.detail.delta)}
                @field-place=${(e: CustomEvent<{ name: string; before: string | null; group: string }>) => void this.edit((s) => placeField(s, e.detail.name, e.detail.before, e.detail.group))}
              ></caiji-studio-form-field-list>
            </div>
            <div class="designer-props">
              <caiji-studio-form-properties .schema=${this.schema} name=${this.selected} .codeTables=${this.codeTables}
                essentialLabel=${this.manifest?.essentialLabel ?? ''} .problems=${this.selected ? this.fieldProblems(this.selected) : []}
                @schema-edit=${(e: CustomEvent<SchemaEdit>) => void this.edit(e.detail)}
                @field-rename=${(e: CustomEvent<{ from: string; to: string }>) => void this.rename(e.detail.from, e.detail.to)}
                @field-remove=${(e: CustomEvent<string>) => void this.removeField(e.detail)}></caiji-studio-form-properties>
              ${this.selected && this.schema.properties?.[this.selected] && kindOf(this.schema.properties[this.selected]) === 'table'
                ? html`<caiji-studio-form-table-columns .schema=${this.schema} name=${this.selected} .codeTables=${this.codeTables}
                    essentialLabel=${this.manifest?.essentialLabel ?? ''} .problems=${this.fieldProblems(this.selected)}
                    .steps=${columnStepsInWords(this.stepsDoc, this.item, this.selected)}
                    @schema-edit=${(e: CustomEvent<SchemaEdit>) => void this.edit(e.detail)}
                    @column-rename=${(e: CustomEvent<{ table: string; from: string; to: string }>) => void this.renameColumn(e.detail)}
                    @column-remove=${(e: CustomEvent<{ table: string; column: string }>) => void this.removeColumn(e.detail)}></caiji-studio-form-table-columns>` : nothing}
            </div>`}
        <div class="designer-preview">
          <caiji-studio-form-preview collection=${this.item} draftVersion=${draftStore.view.version}></caiji-studio-form-preview>
        </div>
      </div>
    </div>`;
  }
}
