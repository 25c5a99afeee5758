import { html, nothing, type PropertyValues } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import { SessionElement } from '../components/session-element.js';
import { Task, TaskStatus } from '@lit/task';
import { api, enc, messageOf, ApiError } from '../api/client.js';
import { href } from '../router.js';
import { session } from '../api/session.js';
import { toast } from '../components/toast.js';
import type { CodeEntry, FieldError } from '../api/types.js';
import { cleanCodes, editRows, rowOf, type CodeRow } from '../components/code-table-editor.js';
import '../components/code-table-editor.js';
import '../components/modal-dialog.js';
import { usedCodeChanges, type UsedCodeChange } from '../components/code-table-changes.js';

interface TableInfo { table: string; title: string; version: number; size: number; provisional: number; deprecated: number }
interface CodeTable { table: string; title: string; version: number; source?: string; codes: CodeEntry[]; [k: string]: unknown }
interface ConfigStatus { generation: number; loadedAt: string; problems: string[]; refusedAt: string | null }
/**
 * The code tables (代码表): every table, and one table's codes with search. Config admins also
 * edit a table here — labels, new codes, deprecation with a date and replacement codes,
 * provisional rows with a note — and save it with its version (If-Match); the server's errors
 * are shown at the rows they name. Problems of a refused config change on disk are shown too.
 */
@customElement('caiji-codes-page')
export class CodesPage extends SessionElement {
  @property() table = '';
  @state() private tables: TableInfo[] = [];
  /** The table shown; kept here because saving it replaces it. */
  @state() private current?: CodeTable;
  @state() private q = '';
  /** Show only what is still 待核实 (tables holding such codes; a table's such rows). */
  @state() private pendingOnly = false;
  @state() private draft?: CodeRow[];
  @state() private saveErrors: FieldError[] = [];
  @state() private saveMessage = '';
  @state() private busy = false;
  /** Codes records use that the save about to be made deprecates or renames: asked before it goes live. */
  @state() private confirming?: UsedCodeChange[];

  private get isConfigAdmin() { return session.can('config'); }

  /** The list of tables, or the table the address names; read again when a save met a newer version. */
  private contents = new Task(this, {
    task: ([table], { signal }): Promise<{ one?: CodeTable; all?: TableInfo[] }> => (table
      ? api.get<CodeTable>(`/api/codes/${enc(table)}`, signal).then((one) => ({ one }))
      : api.get<{ items: TableInfo[] }>('/api/codes', signal).then((r) => ({ all: r.items }))),
    args: () => [this.table],
    onComplete: ({ one, all }) => {
      this.current = one;
      if (all) this.tables = all;
    },
  });

  /** Whether the config on disk was refused (config admins only), asked on each visit. */
  private configStatus = new Task(this, {
    task: (_args, { signal }) => (this.isConfigAdmin ? api.get<ConfigStatus>('/api/config/status', signal).catch(() => undefined) : Promise.resolve(undefined)),
    args: () => [this.table],
  });

  /** Records using each code of the table shown (config admins only); read again after a save. */
  private usageTask = new Task(this, {
    task: async ([table], { signal }) => {
      if (!table || !this.isConfigAdmin) return undefined;
      // totals: each record once per code, whether a field or a child table's rows hold it.
      const u = await api.get<{ totals: { code: string; count: number }[] }>(`/api/codes/${enc(table)}/usage`, signal).catch(() => undefined);
      if (!u) return undefined;
      return { table, counts: new Map(u.totals.map((x) => [x.code, x.count])) };
    },
    args: () => [this.table],
  });

  private get usage(): Map<string, number> | undefined {
    const u = this.usageTask.value;
    return u?.table === this.table ? u.counts : undefined;
  }

  /** Another table starts without the previous one's search, edit and messages. */
  override willUpdate(changed: PropertyValues<this>) {
    if (!changed.has('table')) return;
    this.q = '';
    this.draft = undefined;
    this.saveErrors = [];
    this.saveMessage = '';
    this.confirming = undefined;
  }

  override render() {
    const notice = this.configNotice();
    if (this.contents.status === TaskStatus.ERROR) return html`<section class="panel"><h1 tabindex="-1">代码表</h1>${notice}<p class="form-error" role="alert">${messageOf(this.contents.error)}</p></section>`;
    return this.table ? this.one(notice) : this.all(notice);
  }

  /** A refused config change (e.g. a broken file on disk): the last good config is still in force. */
  private configNotice() {
    const s = this.configStatus.value;
    if (!s?.problems.length) return nothing;
    return html`<div class="notice notice-error" role="alert"><strong>配置修改未生效</strong>${s.refusedAt ? html`<span class="muted">（${s.refusedAt.replace('T', ' ').slice(0, 19)}）</span>` : nothing}：
      当前仍使用上次检查通过的配置。请修正以下问题：<ul>${s.problems.map((p) => html`<li>${p}</li>`)}</ul></div>`;
  }

  private all(notice: unknown) {
    const pending = this.tables.filter((t) => t.provisional);
    const shown = this.pendingOnly ? pending : this.tables;
    return html`<section class="panel"><h1 tabindex="-1">代码表</h1>${notice}
      <div class="filters"><label class="inline"><input type="checkbox" id="codes-pending" .checked=${this.pendingOnly}
        @change=${(e: Event) => { this.pendingOnly = (e.target as HTMLInputElement).checked; }}>只看有待核实代码的表</label>
        <span class="muted pending-summary">${pending.length} 个代码表共 ${pending.reduce((n, t) => n + t.provisional, 0)} 项待核实（代码或名称未经官方代码表确认）</span></div>
      <div class="table-wrap"><table class="data-table">
        <thead><tr><th scope="col">名称</th><th scope="col">标识</th><th scope="col">版本</th><th scope="col">代码数</th><th scope="col">已停用</th><th scope="col">待核实</th></tr></thead>
        <tbody>${shown.map((t) => html`<tr data-table=${t.table}>
          <th scope="row"><a href=${href('codes', t.table)}>${t.title}</a></th><td><code>${t.table}</code></td><td class="num">${t.version}</td>
          <td class="num">${t.size}</td><td class="num">${t.deprecated || ''}</td><td class="num">${t.provisional ? html`<span class="tag tag-warn">${t.provisional}</span>` : ''}</td>
        </tr>`)}</tbody>
      </table></div></section>`;
  }

  private head(t: CodeTable) {
    return html`<nav class="breadcrumb" aria-label="所在位置"><ol><li><a href=${href('codes')}>代码表</a></li><li><span class="sep" aria-hidden="true">&gt;&gt;</span><span aria-current="location">${t.title}</span></li></ol></nav>
      <h1 tabindex="-1">${t.title} <small class="muted">${t.table} · 第 ${t.version} 版${t.source ? ` · ${t.source}` : ''}</small></h1>`;
  }

  private one(notice: unknown) {
    const t = this.current;
    if (!t) return html`<section class="panel"><p class="muted">正在加载…</p></section>`;
    if (this.draft) return this.editor(t, this.draft, notice);
    const matches = this.matcher();
    const codes = t.codes.filter((c) => matches(c) && (!this.pendingOnly || c.provisional || c.labelPending));
    const pendingCount = t.codes.filter((c) => c.provisional || c.labelPending).length;
    const label = (code: string) => t.codes.find((c) => c.code === code)?.label ?? '';
    return html`<section class="panel">${this.head(t)}${notice}
      ${this.saveMessage ? html`<p class="notice" role="status">${this.saveMessage}</p>` : nothing}
      <div class="filters"><label for="code-q">查找</label><input id="code-q" type="search" placeholder="代码或名称" .value=${this.q}
        @input=${(e: Event) => { this.q = (e.target as HTMLInputElement).value; }}>
        <label class="inline"><input type="checkbox" id="code-pending" .checked=${this.pendingOnly}
          @change=${(e: Event) => { this.pendingOnly = (e.target as HTMLInputElement).checked; }}>只看待核实（${pendingCount}）</label>
        <span class="muted">共 ${codes.length} 项</span>
        ${this.isConfigAdmin ? html`<span class="spacer"></span><button type="button" class="btn btn-primary" @click=${() => this.startEdit()}>编辑代码表</button>` : nothing}</div>
      <div class="table-wrap"><table class="data-table">
        <thead><tr><th scope="col">代码</th><th scope="col">名称</th><th scope="col">上级代码</th><th scope="col">状态</th>${this.usage ? html`<th scope="col">使用记录数</th>` : nothing}<th scope="col">说明</th></tr></thead>
        <tbody>${codes.map((c) => html`<tr class=${c.deprecated ? 'off' : ''}>
          <td><code>${c.code}</code></td><td>${c.label}</td><td>${c.parent ?? ''}</td>
          <td>${c.deprecated ? html`<span class="tag tag-off">已停用</span> ${c.deprecated}${c.replacedBy?.length ? html`，改用 ${c.replacedBy.map((r) => `${label(r)}（${r}）`).join('、')}` : nothing}` : nothing}
            ${c.provisional ? html`<span class="tag tag-warn">待核实</span>` : nothing}
            ${c.labelPending ? html`<span class="tag tag-warn" title="名称未经官方代码表确认：表单和打印只显示代码与“名称待核实”">名称待核实</span>` : nothing}</td>
          ${this.usage ? html`<td class="num">${c.deprecated && this.usage.get(c.code) ? html`<strong class="warn" title="已停用但仍有记录使用，须重新选择">${this.usage.get(c.code)}</strong>` : this.usage.get(c.code) ?? 0}</td>` : nothing}
          <td>${c.note ?? ''}</td>
        </tr>`)}</tbody>
      </table></div></section>`;
  }

  /** The search box's test: code or name contains what was typed (everything when it is empty). */
  private matcher(): (c: CodeEntry) => boolean {
    const q = this.q.trim().toLowerCase();
    return (c) => !q || c.code.toLowerCase().includes(q) || c.label.toLowerCase().includes(q);
  }

  // ——— editing ———

  private startEdit(t = this.current!) {
    this.draft = editRows(t.codes);
    this.saveErrors = [];
    this.saveMessage = '';
  }

  /** An edit of the grid; a removed row shifts the rows below, so errors by row no longer hold. */
  private edited(rows: CodeRow[]) {
    if (rows.length < this.draft!.length) this.saveErrors = [];
    this.draft = rows;
  }

  /** The table as saved: the edited rows without empty optional properties. */
  private body(t: CodeTable): CodeTable {
    const codes = cleanCodes(this.draft!);
    // The table's own fields only: the server refuses keys the code-table format does not know.
    return { table: t.table, title: t.title, version: t.version, ...(t.source !== undefined ? { source: t.source } : {}), codes };
  }

  /**
   * 保存代码表: a save that deprecates or renames codes records hold goes live at once for all of
   * them, so it is asked first, naming those codes with their records; otherwise saved at once.
   */
  private requestSave() {
    const changes = this.usage ? usedCodeChanges(this.current!.codes, this.body(this.current!).codes, this.usage) : [];
    if (changes.length) this.confirming = changes;
    else void this.save();
  }

  private confirmDialog(changes: UsedCodeChange[]) {
    const deprecating = changes.filter((c) => c.deprecated);
    const records = deprecating.reduce((n, c) => n + c.count, 0);
    const body = html`<p>以下代码仍有记录使用，保存后立即生效：</p>
      <ul class="used-code-changes">${changes.map((c) => html`<li data-code=${c.code}>${c.label}（${c.code}）：
        ${c.deprecated ? html`停用（${c.deprecated.date} 起${c.deprecated.replacedBy.length ? `，改用 ${c.deprecated.replacedBy.join('、')}` : '，未指定替代代码'}）` : nothing}
        ${c.newLabel !== undefined ? html`${c.deprecated ? '；' : ''}名称改为“${c.newLabel}”` : nothing}
        — <strong>${c.count}</strong> 条记录使用</li>`)}</ul>
      ${deprecating.length ? html`<p class="notice notice-warn">停用后，使用这些代码的 ${records} 条记录将列入「需重新录入」，须改为替代代码（只有一个替代代码的可在那里批量替换）。</p>` : nothing}
      ${changes.some((c) => c.newLabel !== undefined && !c.deprecated) ? html`<p class="muted">改名的代码在已有记录上即刻显示新名称。</p>` : nothing}`;
    const footer = html`<button type="button" class="btn" @click=${() => { this.confirming = undefined; }}>取消</button>
      <button type="button" class="btn btn-primary" @click=${() => { this.confirming = undefined; void this.save(); }}>确认保存</button>`;
    return html`<caiji-dialog heading="确认保存代码表" .body=${body} .footer=${footer} @close=${() => { this.confirming = undefined; }}></caiji-dialog>`;
  }

  private async save() {
    const t = this.current!;
    this.busy = true;
    this.saveErrors = [];
    try {
      const { unchanged, message, ...saved } = await api.put<CodeTable & { unchanged?: true; message?: string }>(`/api/codes/${enc(t.table)}`, this.body(t), t.version);
      this.current = saved;
      this.draft = undefined;
      if (unchanged) { this.saveMessage = `${message}。`; return; }
      session.invalidateForms();
      this.saveMessage = `已保存为第 ${saved.version} 版，表单即刻使用新的代码表。`;
      toast(`代码表「${saved.title}」已保存（第 ${saved.version} 版）`);
      this.updateComplete.then(() => this.querySelector('.notice')?.scrollIntoView({ block: 'center' }));
      void this.usageTask.run();
    } catch (e) {
      if (!(e instanceof ApiError)) { toast(String(e), 'error'); return; }
      if (e.status === 409 && e.code !== 'code_in_use') {
        // Someone saved first: load their version and start again from it.
        await this.contents.run();
        await this.usageTask.run();
        this.startEdit();
        this.saveErrors = [{ path: '', message: `${e.message}。已重新加载第 ${this.current!.version} 版，您的修改未保存，请重新编辑。` }];
      } else {
        this.saveErrors = e.details.length ? e.details.map((d) => ({ path: d.path, message: d.message })) : [{ path: '', message: e.message }];
        if (e.details.length && !e.details.some((d) => rowOf(d.path) !== null)) this.saveErrors = [{ path: '', message: e.message }];
      }
      this.updateComplete.then(() => (this.querySelector('.code-editor .row-error, .code-editor .form-error') as HTMLElement | null)?.scrollIntoView({ block: 'center' }));
    } finally {
      this.busy = false;
    }
  }

  private editor(t: CodeTable, rows: CodeRow[], notice: unknown) {
    const dirty = JSON.stringify(this.body(t).codes) !== JSON.stringify(t.codes);
    const general = this.saveErrors.filter((e) => rowOf(e.path) === null);
    return html`<section class="panel code-editor">${this.head(t)}${notice}
      <p class="hint">停用的代码在已有记录上仍然显示（标记为已停用），新录入只能选择现行代码；被记录使用的代码不能删除，请停用并指定替代代码。保存后表单即刻使用新的代码表。</p>
      ${general.map((e) => html`<p class="form-error" role="alert">${e.message}</p>`)}
      <caiji-code-table-editor .rows=${rows} .usage=${this.usage} .errors=${this.saveErrors} ?busy=${this.busy}
        @rows-change=${(e: CustomEvent<CodeRow[]>) => this.edited(e.detail)}></caiji-code-table-editor>
      <div class="toolbar"><span class="spacer"></span>
        <button type="button" class="btn" ?disabled=${this.busy} @click=${() => { this.draft = undefined; this.saveErrors = []; }}>取消</button>
        <span class="muted">${dirty ? '有未保存的修改' : '尚未修改'}</span>
        <button type="button" class="btn btn-primary" ?disabled=${this.busy || !dirty} @click=${() => this.requestSave()}>${this.busy ? '正在保存…' : '保存代码表'}</button></div>
      ${this.confirming ? this.confirmDialog(this.confirming) : nothing}
    </section>`;
  }
}
