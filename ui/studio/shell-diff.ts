import { html, nothing, type TemplateResult } from 'lit';
import { valueText } from './shell-format.js';
import { fieldKeywordTitles, formKeywordTitles } from './keyword-titles.js';

/** GET /api/config/versions/:a/diff/:b answers these, per document (types only: the bundle takes nothing from engine/). */
import type { Change, DocumentDiff } from '../../engine/config-versions/diff.js';

export type { DocumentDiff };

const changeTitles = { added: '新增', removed: '删除', changed: '修改' } as const;
type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => !!v && typeof v === 'object' && !Array.isArray(v);

/** One row of the side-by-side table: what changed, the value before and after. */
interface Row { what: string; change: Change['change']; before: unknown; after: unknown }

/** The leaves of a JSON value by pointer (lists of plain values are one leaf: 'a、b、c' reads best). */
function leaves(v: unknown, at: string, out: Map<string, unknown>) {
  if (isObj(v)) for (const [k, x] of Object.entries(v)) leaves(x, `${at}/${k}`, out);
  else if (Array.isArray(v) && v.some((x) => x !== null && typeof x === 'object')) v.forEach((x, i) => leaves(x, `${at}/${i}`, out));
  else out.set(at, v);
}

/**
 * A changed JSON value as the leaves that differ: "/collections/<name>/listColumns: a、b → a、b、c".
 * `segment` names each key below the prefix (a field's x-messages by the keywords it words).
 */
function leafRows(c: Change, prefix: string, segment: (k: string) => string = (k) => k): Row[] {
  const a = new Map<string, unknown>(), b = new Map<string, unknown>();
  leaves(c.before, prefix, a);
  leaves(c.after, prefix, b);
  const rows: Row[] = [];
  for (const k of new Set([...a.keys(), ...b.keys()])) {
    if (JSON.stringify(a.get(k)) === JSON.stringify(b.get(k))) continue;
    const what = prefix + k.slice(prefix.length).split('/').map((x) => (x ? segment(x) : x)).join('/');
    rows.push({ what, change: !a.has(k) ? 'added' : !b.has(k) ? 'removed' : 'changed', before: a.get(k), after: b.get(k) });
  }
  return rows;
}

const titleOf = (v: unknown) => (isObj(v) && typeof v.title === 'string' ? v.title : isObj(v) && typeof v.label === 'string' ? v.label : '');
const stateTitle = (v: unknown) => (isObj(v) && isObj(v.meta) && typeof v.meta.title === 'string' ? v.meta.title : titleOf(v));

/** Titles of an item's properties: a field's keywords as the studio's property panel names them; none for codes and states. */
type Titles = Record<string, string>;

/** A field, code or state changed: one row per changed property, named by the item's title and the property's. */
function itemRows(c: Change, name: string, titles: Titles = {}): Row[] {
  if (c.change !== 'changed') {
    const v = c.change === 'added' ? c.after : c.before;
    return [{ what: name, change: c.change, before: c.change === 'removed' ? summary(v) : undefined, after: c.change === 'added' ? summary(v) : undefined }];
  }
  const before = isObj(c.before) ? c.before : {}, after = isObj(c.after) ? c.after : {};
  const props = c.properties ?? [];
  if (!props.length) return [{ what: name, change: 'changed', before: c.before, after: c.after }];
  const title = (k: string) => titles[k] ?? k;
  return props.flatMap((p) => {
    const x = before[p], y = after[p];
    if (isObj(x) || isObj(y)) return leafRows({ key: p, change: 'changed', before: x, after: y }, `${name}.${title(p)}`, p === 'x-messages' ? title : undefined);
    return [{ what: `${name}.${title(p)}`, change: x === undefined ? 'added' : y === undefined ? 'removed' : 'changed', before: x, after: y } as Row];
  });
}

/** An added or removed item in a few words: its title and type (a field), label (a code). */
function summary(v: unknown): string {
  if (!isObj(v)) return valueText(v);
  const parts = [titleOf(v) || stateTitle(v), typeof v.type === 'string' ? v.type : '', typeof v['x-codeTable'] === 'string' ? `代码表 ${v['x-codeTable']}` : '']
    .filter(Boolean);
  return parts.length ? parts.join('，') : valueText(v);
}

function rowsOf(d: DocumentDiff, fieldTitles: Titles): Row[] {
  switch (d.kind) {
    case 'schema':
      // "$…" keys are the schema's own keywords (required, allOf, x-rules …), the others its fields.
      return (d.items ?? []).flatMap((c) => (c.key.startsWith('$')
        ? leafRows(c, `表单属性 ${formKeywordTitles[c.key.slice(1)] ?? c.key.slice(1)}`)
        : itemRows(c, `字段 ${titleOf(c.after ?? c.before) || c.key}（${c.key}）`, fieldTitles)));
    case 'codes':
      return (d.items ?? []).flatMap((c) => itemRows(c, `代码 ${c.key} ${titleOf(c.after ?? c.before)}`));
    case 'workflow':
      return [
        ...(d.items ?? []).flatMap((c) => itemRows(c, `状态 ${stateTitle(c.after ?? c.before) || c.key}（${c.key}）`)),
        ...(d.events ?? []).flatMap((c) => itemRows(c, `事件 ${c.key.replace(/^\*\./, '任何状态.')}`)),
      ];
    case 'json':
      return (d.items ?? []).flatMap((c) => leafRows(c, `/${c.key}`));
    default:
      return [];
  }
}

const docTitle = (d: DocumentDiff) => ({ schema: '表单', codes: '代码表', workflow: '流程', json: '配置', text: '文本', binary: '文件' })[d.kind];

/**
 * The diff of two versions, per document, as side-by-side tables: readable, not raw JSON.
 * `essentialLabel`: the application's name for x-essential (the manifest's), as the editor shows it.
 */
export function renderDiff(docs: DocumentDiff[], a: string, b: string, essentialLabel?: string | null): TemplateResult {
  if (!docs.length) return html`<p class="muted">两个版本的配置完全相同。</p>`;
  const col = (v: string) => (v === 'draft' ? '草稿' : `第 ${v} 版`);
  const fieldTitles = fieldKeywordTitles(essentialLabel);
  return html`${docs.map((d) => {
    const rows = rowsOf(d, fieldTitles);
    return html`<section class="studio-diff-doc" data-path=${d.path}>
      <h3>${docTitle(d)} <code>${d.path}</code> <span class="badge ${d.change === 'removed' ? 'warn' : 'ok'}">${changeTitles[d.change]}</span></h3>
      ${rows.length ? html`<table class="data-table studio-diff">
        <thead><tr><th scope="col">项目</th><th scope="col">${col(a)}</th><th scope="col">${col(b)}</th></tr></thead>
        <tbody>${rows.map((r) => html`<tr class="diff-${r.change}"><th scope="row">${r.what}</th>
          <td class="diff-before">${r.change === 'added' ? nothing : valueText(r.before)}</td>
          <td class="diff-after">${r.change === 'removed' ? html`<span class="muted">（删除）</span>` : valueText(r.after)}</td></tr>`)}</tbody>
      </table>` : html`<p class="muted">${d.kind === 'text' ? '文本内容有修改。' : d.kind === 'binary' ? '文件内容有修改。' : '整份文件' + changeTitles[d.change]}</p>`}
    </section>`;
  })}`;
}
