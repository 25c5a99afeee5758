import { html, nothing } from 'lit';
import { customElement, property } from 'lit/decorators.js';
import { LightElement, emit } from './light-element.js';

/** A field as GET /api/query/:collection/fields describes it. */
export interface QueryFieldInfo {
  name: string; title: string; kind: string; codes?: { code: string; label: string; parent?: string; deprecated?: string }[];
  /** A child table's columns: "任一行满足" edits a condition group over them. */
  columns?: QueryFieldInfo[];
  /** A date field: what the years since it are (x-dateBands) — an age, years elapsed, or nothing. */
  bands?: 'age' | 'elapsed' | 'none';
}
/** `bands`: an operator on the years since a date, named per the field's bands; offered only for those listed. */
export interface OperatorInfo { op: string; title: string; kinds: string[]; bands?: Partial<Record<'age' | 'elapsed' | 'none', string>> }

/** Whether an operator is offered for a field: its kind fits, and a date's years since mean something. */
export const fits = (o: OperatorInfo, f: QueryFieldInfo) => o.kinds.includes(f.kind) && (!o.bands || !!o.bands[f.bands ?? 'elapsed']);
/** What an operator is called on a field: 年龄 on a birth date, 距今年数 on another date. */
export const opTitle = (o: OperatorInfo, f: QueryFieldInfo | undefined) => (f && o.bands?.[f.bands ?? 'elapsed']) || o.title;
export type Cond = { op: 'and' | 'or'; items: Cond[] } | ({ op: string; field: string } & Record<string, unknown>);
/** A refusal's detail: the JSON pointer of the condition at fault (under /where) and its message. */
export interface CondError { path: string; message: string }

/** Groups deeper than this are not offered (the server refuses them too). */
const MAX_DEPTH = 5;

/** A code table's codes in hierarchy order, each indented under its parent. */
export function codeOptions(codes: NonNullable<QueryFieldInfo['codes']>): { code: string; label: string }[] {
  const kids = new Map<string, typeof codes>();
  for (const c of codes) kids.set(c.parent ?? '', [...(kids.get(c.parent ?? '') ?? []), c]);
  const out: { code: string; label: string }[] = [];
  const walk = (parent: string, depth: number) => {
    for (const c of kids.get(parent) ?? []) {
      out.push({ code: c.code, label: `${'　'.repeat(depth)}${c.label}${c.deprecated ? '（已停用）' : ''}${kids.has(c.code) ? '（含下级）' : ''}` });
      if (depth < 8) walk(c.code, depth + 1);
    }
  };
  walk('', 0);
  return out;
}

/**
 * The 且 / 或 condition tree of the query builder, edited in place: each row a field (by its
 * title), an operator that fits the field's kind and the value(s) it needs; a group holds rows and
 * groups. Fires `conditions-change` with the new tree on every edit (not `change`: its selects' own change events bubble through it). Plain form controls: keyboard usable.
 */
@customElement('caiji-condition-editor')
export class ConditionEditor extends LightElement {
  @property({ attribute: false }) value: Cond = { op: 'and', items: [] };
  @property({ attribute: false }) fields: QueryFieldInfo[] = [];
  @property({ attribute: false }) operators: OperatorInfo[] = [];
  /** The server's messages for this tree, shown at the condition (or group) each points at. */
  @property({ attribute: false }) errors: CondError[] = [];
  /** The pointer of the tree's root in the request body, as the errors' paths name it. */
  @property() pointer = '/where';

  /** Messages pointing at this condition or inside it (its field, operator or values). */
  private messagesAt(path: string, exact = false): string[] {
    return this.errors.filter((e) => e.path === path || (!exact && e.path.startsWith(`${path}/`))).map((e) => e.message);
  }

  /** The condition or group just added: its first control takes the focus, so typing goes on there. */
  private focusAt = '';

  override updated() {
    if (!this.focusAt) return;
    (this.querySelector(`[data-path="${this.focusAt}"] select`) as HTMLSelectElement | null)?.focus();
    this.focusAt = '';
  }

  private changed() {
    // An edit answers the refusal shown: the messages go until the next run says otherwise.
    this.errors = [];
    this.value = structuredClone(this.value);
    emit(this, 'conditions-change', this.value);
  }

  private newLeaf(): Cond {
    const f = this.fields.find((x) => x.kind !== 'node')!;
    return this.defaults(f);
  }

  private defaults(f: QueryFieldInfo): Cond {
    const op = f.kind === 'table' ? 'anyRow' : this.operators.find((o) => fits(o, f))!.op;
    if (op === 'anyRow') return { field: f.name, op, where: { op: 'and', items: [this.defaults(f.columns!.find((x) => x.kind !== 'node')!)] } };
    return { field: f.name, op, ...(op === 'in' ? { values: [f.codes![0]?.code] } : {}), ...(f.kind === 'boolean' ? { value: true } : {}) };
  }

  /** "任一行满足": the row's conditions, a group edited by a nested editor over the table's columns. */
  private rows(c: Cond & Record<string, any>, f: QueryFieldInfo, path: string) {
    if (c.op !== 'anyRow') return nothing;
    c.where ??= { op: 'and', items: [] };
    return html`<div class="cond-rows"><caiji-condition-editor .fields=${f.columns ?? []} .operators=${this.operators.filter((o) => o.op !== 'anyRow')}
      .value=${c.where} .errors=${this.errors} pointer=${`${path}/where`}
      @conditions-change=${(e: CustomEvent<Cond>) => { e.stopPropagation(); c.where = e.detail; this.changed(); }}></caiji-condition-editor></div>`;
  }

  private group(g: { op: 'and' | 'or'; items: Cond[] }, depth: number, path: string, remove?: () => void): unknown {
    const own = this.messagesAt(path, true);
    return html`<fieldset class="cond-group${depth > 1 ? ' cond-subgroup' : ''}" data-path=${path}>
      <legend><label class="inline">满足<select class="cond-join" aria-label=${depth > 1 ? '分组内条件的组合方式' : '条件组合方式'} .value=${g.op} @change=${(e: Event) => { g.op = (e.target as HTMLSelectElement).value as 'and' | 'or'; this.changed(); }}>
        <option value="and" ?selected=${g.op === 'and'}>全部条件（且）</option><option value="or" ?selected=${g.op === 'or'}>任一条件（或）</option></select></label>
        ${remove ? html`<button type="button" class="btn-danger-link" @click=${remove}>删除分组</button>` : nothing}</legend>
      ${g.items.map((it, i) => {
        const drop = () => { g.items.splice(i, 1); this.changed(); };
        const at = `${path}/items/${i}`;
        return 'items' in it ? this.group(it as { op: 'and' | 'or'; items: Cond[] }, depth + 1, at, drop) : this.leaf(it as Cond & { field: string }, at, drop);
      })}
      ${g.items.length ? nothing : html`<p class="muted cond-none">${depth > 1 ? '分组内还没有条件' : '无条件：范围内全部记录'}</p>`}
      ${own.map((m) => html`<p class="field-error cond-error" role="alert">${m}</p>`)}
      <div class="toolbar cond-actions">
        <button type="button" class="btn btn-small" @click=${() => { g.items.push(this.newLeaf()); this.focusAt = `${path}/items/${g.items.length - 1}`; this.changed(); }}>添加条件</button>
        ${depth < MAX_DEPTH ? html`<button type="button" class="btn btn-small" @click=${() => { g.items.push({ op: g.op === 'and' ? 'or' : 'and', items: [this.newLeaf()] }); this.focusAt = `${path}/items/${g.items.length - 1}`; this.changed(); }}>添加分组</button>` : nothing}
      </div>
    </fieldset>`;
  }

  private leaf(c: Cond & { field: string } & Record<string, any>, path: string, remove: () => void): unknown {
    const f = this.fields.find((x) => x.name === c.field);
    const ops = this.operators.filter((o) => f && fits(o, f));
    const set = (k: string, v: unknown) => { if (v === '' || v === undefined) delete c[k]; else c[k] = v; this.changed(); };
    const num = (e: Event) => { const v = (e.target as HTMLInputElement).value; return v === '' ? undefined : Number(v); };
    const date = (k: string, label: string) => html`<input type="date" aria-label=${label} aria-invalid=${bad(k)} .value=${c[k] ?? ''} @change=${(e: Event) => set(k, (e.target as HTMLInputElement).value)}>`;
    const messages = this.messagesAt(path);
    const bad = (k: string) => (this.messagesAt(`${path}/${k}`).length ? 'true' : 'false');
    return html`<div class="cond-row${messages.length ? ' has-error' : ''}" data-path=${path}>
      <select aria-label="字段" @change=${(e: Event) => { const nf = this.fields.find((x) => x.name === (e.target as HTMLSelectElement).value)!; Object.keys(c).forEach((k) => delete c[k]); Object.assign(c, this.defaults(nf)); this.changed(); }}>
        ${this.fields.filter((x) => x.kind !== 'node').map((x) => html`<option value=${x.name} ?selected=${x.name === c.field}>${x.title}</option>`)}
      </select>
      <select aria-label="条件" @change=${(e: Event) => { c.op = (e.target as HTMLSelectElement).value; this.changed(); }}>
        ${ops.map((o) => html`<option value=${o.op} ?selected=${o.op === c.op}>${opTitle(o, f)}</option>`)}
      </select>
      ${c.op === 'in' && f?.codes ? html`<select aria-label=${`${f.title}的值`} @change=${(e: Event) => set('values', [(e.target as HTMLSelectElement).value])}>
        ${codeOptions(f.codes).map((o) => html`<option value=${o.code} ?selected=${c.values?.[0] === o.code}>${o.label}</option>`)}</select>` : nothing}
      ${c.op === 'between' && f?.kind === 'date' ? html`${date('from', '起始日期')}<span>至</span>${date('to', '截止日期')}` : nothing}
      ${c.op === 'between' && f?.kind === 'number' ? html`<input type="number" class="cond-num" aria-label="下限" aria-invalid=${bad('min')} .value=${c.min ?? ''} @change=${(e: Event) => set('min', num(e))}><span>至</span><input type="number" class="cond-num" aria-label="上限" aria-invalid=${bad('max')} .value=${c.max ?? ''} @change=${(e: Event) => set('max', num(e))}>` : nothing}
      ${c.op === 'age' ? this.years(c, f, set, num, date, bad) : nothing}
      ${(c.op === 'contains' || c.op === 'equals') && f?.kind === 'text' ? html`<input type="text" aria-label=${`${f.title}的值`} aria-invalid=${bad('value')} .value=${c.value ?? ''} @change=${(e: Event) => set('value', (e.target as HTMLInputElement).value)}>` : nothing}
      ${c.op === 'equals' && f?.kind === 'number' ? html`<input type="number" aria-label=${`${f.title}的值`} .value=${c.value ?? ''} @change=${(e: Event) => set('value', num(e))}>` : nothing}
      ${c.op === 'equals' && f?.kind === 'boolean' ? html`<select aria-label=${`${f.title}的值`} @change=${(e: Event) => set('value', (e.target as HTMLSelectElement).value === '1')}>
        <option value="1" ?selected=${c.value === true}>是</option><option value="0" ?selected=${c.value === false}>否</option></select>` : nothing}
      <button type="button" class="btn-danger-link" aria-label="删除此条件" @click=${remove}>删除</button>
      ${f ? this.rows(c, f, path) : nothing}
      ${(c.op === 'anyRow' ? this.messagesAt(path, true) : messages).map((m) => html`<p class="field-error cond-error" role="alert">${m}</p>`)}
    </div>`;
  }

  /** The age / years-since range: worded as the field's years since are (年龄…岁 or 距今年数…年). */
  private years(c: Record<string, any>, f: QueryFieldInfo | undefined, set: (k: string, v: unknown) => void, num: (e: Event) => number | undefined,
    date: (k: string, label: string) => unknown, bad: (k: string) => string) {
    const noun = opTitle(this.operators.find((o) => o.op === 'age') ?? { op: 'age', title: '年龄', kinds: [] }, f), unit = f?.bands === 'age' ? '岁' : '年';
    return html`<input type="number" class="cond-age" min="0" max="150" aria-label=${`最小${noun}`} aria-invalid=${bad('min')} .value=${c.min ?? ''} @change=${(e: Event) => set('min', num(e))}><span>至</span>
        <input type="number" class="cond-age" min="0" max="150" aria-label=${`最大${noun}`} aria-invalid=${bad('max')} .value=${c.max ?? ''} @change=${(e: Event) => set('max', num(e))}><span>${unit}，截至</span>${date('at', `计算${noun}的日期`)}<span class="muted">（不填为今天）</span>`;
  }

  override render() {
    if (!this.fields.length) return html`<p class="muted">正在加载字段…</p>`;
    return this.group(this.value as { op: 'and' | 'or'; items: Cond[] }, 1, this.pointer);
  }
}
