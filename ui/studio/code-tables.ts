import { html, nothing } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import { LightElement } from '../components/light-element.js';
import { api, enc, ApiError } from '../api/client.js';
import { toast } from '../components/toast.js';
import type { CodeEntry, FieldError } from '../api/types.js';
import { cleanCodes, editRows, rowOf, type CodeRow } from '../components/code-table-editor.js';
import { draftStore } from './draft-store.js';
import { studioHref } from './shell-places.js';
import type { CodeImportPreview } from './codes-import.js';
import '../components/code-table-editor.js';
import './codes-import.js';
import '../styles/studio-codes-workflows.css';

interface CodeTableDoc { table: string; title: string; version: number; source?: string; codes: CodeEntry[]; [k: string]: unknown }

const OWNER = 'caiji-studio-code-tables';
const pathOf = (table: string) => `forms/codes/${table}.json`;

/**
 * The studio's 代码表 section: one code table of the draft (forms/codes/<table>.json) in the same
 * editing grid as the 代码表 page — labels, new codes, 停用 with its date and 替代代码, 待核实 — saved
 * into the draft (its version one above the published table's, once), plus 从文件导入: a notice's
 * xlsx/CSV previewed as a diff against the draft's table before it is taken. The draft's check
 * problems of the table are shown at their rows; ?focus=/codes/<i> marks that row.
 */
@customElement('caiji-studio-code-tables')
export class StudioCodeTables extends LightElement {
  /** The table's name (its file name without .json); empty lists the draft's tables. */
  @property() item = '';
  /** The JSON pointer the route focuses (?focus=, e.g. /codes/3 from a check problem's link). */
  @property() focusPath = '';
  @state() private doc?: CodeTableDoc;
  @state() private rows: CodeRow[] = [];
  @state() private usage?: Map<string, number>;
  /** The published table's version (the draft saves it one above), undefined for a new table. */
  @state() private publishedVersion?: number;
  @state() private error = '';
  @state() private busy = false;
  @state() private tables: { table: string; title: string }[] = [];
  private loaded?: string;
  private unsubscribe?: () => void;

  override connectedCallback() {
    super.connectedCallback();
    this.unsubscribe = draftStore.subscribe(() => this.onStore());
  }

  override disconnectedCallback() {
    super.disconnectedCallback();
    this.unsubscribe?.();
    draftStore.setDirty(OWNER, false);
  }

  /** The draft changed (a save, undo, another admin's save): read the table again unless edits are pending. */
  private onStore() {
    if (!this.dirty) void this.load(true);
    else this.requestUpdate();
  }

  override willUpdate(changed: Map<string, unknown>) {
    if (changed.has('item') && this.item !== this.loaded) {
      this.loaded = this.item;
      this.doc = undefined;
      this.usage = undefined;
      this.publishedVersion = undefined;
      void this.load(false);
    }
  }

  private async load(fromStore: boolean) {
    const item = this.item;
    try {
      if (!item) {
        const docs = (draftStore.view?.documents ?? []).filter((p) => /^forms\/codes\/[^/]+\.json$/.test(p));
        const tables = await Promise.all(docs.map(async (p) => {
          const t = await draftStore.json<CodeTableDoc>(p);
          const name = p.slice('forms/codes/'.length, -'.json'.length);
          return { table: name, title: t?.title ?? name };
        }));
        if (!this.item) this.tables = tables;
        return;
      }
      const doc = await draftStore.json<CodeTableDoc>(pathOf(item));
      if (this.item !== item) return;
      const same = this.doc && JSON.stringify(this.doc) === JSON.stringify(doc);
      this.doc = doc;
      if (!same) this.rows = doc ? editRows(doc.codes ?? []) : [];
      this.error = doc || !draftStore.view ? '' : `草稿中没有代码表“${item}”（或它不是有效的 JSON，请在 JSON 视图中修正）`;
      if (!fromStore) {
        api.get<{ version: number }>(`/api/codes/${enc(item)}`).then((t) => { if (this.item === item) this.publishedVersion = t.version; }).catch(() => {});
        api.get<{ totals: { code: string; count: number }[] }>(`/api/codes/${enc(item)}/usage`).then((u) => {
          if (this.item === item) this.usage = new Map(u.totals.map((x) => [x.code, x.count]));
        }).catch(() => {});
      }
    } catch (e) {
      this.error = e instanceof ApiError ? e.message : String(e);
    }
  }

  private get dirty(): boolean {
    return !!this.doc && JSON.stringify(cleanCodes(this.rows)) !== JSON.stringify(this.doc.codes ?? []);
  }

  private edited(rows: CodeRow[]) {
    this.rows = rows;
    draftStore.setDirty(OWNER, this.dirty);
  }

  /** The table as saved into the draft: its version one above the published table's (as a file's next version). */
  private next(codes: CodeEntry[]): CodeTableDoc {
    const doc = this.doc!;
    const version = this.publishedVersion !== undefined ? Math.max(doc.version, this.publishedVersion + 1) : doc.version;
    return { ...doc, version, codes };
  }

  private async save(codes = cleanCodes(this.rows), what = '已保存到草稿') {
    this.busy = true;
    try {
      await draftStore.saveJson(pathOf(this.item), this.next(codes));
      this.doc = await draftStore.json<CodeTableDoc>(pathOf(this.item));
      this.rows = editRows(this.doc?.codes ?? []);
      draftStore.setDirty(OWNER, false);
      toast(`代码表「${this.doc?.title ?? this.item}」${what}`);
    } catch (e) {
      toast(e instanceof ApiError ? e.message : String(e), 'error');
    } finally {
      this.busy = false;
    }
  }

  private revert() {
    this.rows = editRows(this.doc?.codes ?? []);
    draftStore.setDirty(OWNER, false);
  }

  /** The draft's check problems of this table, with their JSON pointers (rows by /codes/<i>). */
  private problems(): FieldError[] {
    return draftStore.problemsOf(pathOf(this.item)).map((p) => ({ ...p, path: p.path.split('#')[1] ?? '' }));
  }

  override render() {
    if (!draftStore.view) return html`<p class="muted">没有打开的草稿。请先在草稿栏中打开草稿，再编辑代码表。</p>`;
    if (!this.item) return this.list();
    if (this.error) return html`<p class="form-error" role="alert">${this.error}</p>`;
    const doc = this.doc;
    if (!doc) return html`<p class="muted">正在加载…</p>`;
    const problems = this.problems();
    const general = problems.filter((p) => rowOf(p.path) === null);
    const focus = /^\/codes\/(\d+)/.exec(this.focusPath);
    const dirty = this.dirty;
    return html`<section class="studio-codes code-editor" aria-labelledby="studio-codes-title">
      <h2 id="studio-codes-title" tabindex="-1">${doc.title} <small class="muted">${doc.table} · 草稿中为第 ${doc.version} 版${this.publishedVersion !== undefined ? `（已发布第 ${this.publishedVersion} 版）` : ''}</small></h2>
      <p class="hint">停用的代码在已有记录上仍然显示，新录入只能选择现行代码；被记录使用的代码不能删除，请停用并指定替代代码。修改保存在草稿中，发布后才生效；发布前可在草稿栏查看受影响的记录。</p>
      <caiji-studio-codes-import .table=${this.item} ?blocked=${dirty || this.busy}
        @import-take=${(e: CustomEvent<CodeImportPreview>) => this.save(e.detail.table.codes, '已按导入的文件保存到草稿')}></caiji-studio-codes-import>
      ${general.map((p) => html`<p class="form-error" role="alert">${p.message}</p>`)}
      <caiji-code-table-editor .rows=${this.rows} .usage=${this.usage} .errors=${problems} ?busy=${this.busy}
        .focusRow=${focus ? Number(focus[1]) : -1} @rows-change=${(e: CustomEvent<CodeRow[]>) => this.edited(e.detail)}></caiji-code-table-editor>
      <div class="toolbar"><span class="spacer"></span>
        <span class="muted">${dirty ? '有未保存的修改' : '与草稿一致'}</span>
        <button type="button" class="btn" ?disabled=${!dirty || this.busy} @click=${() => this.revert()}>撤销修改</button>
        <button type="button" class="btn btn-primary" ?disabled=${!dirty || this.busy} @click=${() => this.save()}>${this.busy ? '正在保存…' : '保存到草稿'}</button></div>
    </section>`;
  }

  private list() {
    return html`<section class="studio-codes"><h2 tabindex="-1">代码表</h2>
      <ul class="studio-list">${this.tables.map((t) => html`<li><a href=${studioHref('codes', t.table)}>${t.title}</a> <code class="muted">${t.table}</code></li>`)}</ul></section>`;
  }
}
