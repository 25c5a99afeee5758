import { html } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import { LightElement, emit } from './light-element.js';
import { displayValue, dateTime } from '../format.js';
import { rowWords } from '../../engine/workflow/history.js';
import { api, enc } from '../api/client.js';
import { session } from '../api/session.js';
import './modal-dialog.js';
import type { ModalDialog } from './modal-dialog.js';
import type { JsonSchema, RecordJson } from '../api/types.js';

const same = (a: unknown, b: unknown) => JSON.stringify(a ?? null) === JSON.stringify(b ?? null);

/** The fields where the user's input and the version saved meanwhile differ. */
export function differingFields(mine: Record<string, unknown>, theirs: Record<string, unknown>): string[] {
  return [...new Set([...Object.keys(mine), ...Object.keys(theirs)])].filter((k) => !same(mine[k], theirs[k]));
}

const isTable = (p: JsonSchema | undefined) => p?.type === 'array' && p.items?.type === 'object';


/**
 * A child table's version, row by row; the rows that differ from the other version's row at the
 * same place are marked, so the reader sees which rows the two saves disagree about.
 */
function tableRows(prop: JsonSchema, rows: unknown, other: unknown) {
  const list = Array.isArray(rows) ? rows : [];
  const others = Array.isArray(other) ? other : [];
  if (!list.length) return html`（无）`;
  return html`<ol class="conflict-rows">${list.map((r, i) => html`<li class=${same(r, others[i]) ? '' : 'row-differs'}>第${i + 1}行：${rowWords(prop, r, displayValue)}${same(r, others[i]) ? '' : html` <strong class="tag">不同</strong>`}</li>`)}
    ${others.length > list.length ? html`<li class="row-differs muted">（对方多出 ${others.length - list.length} 行）</li>` : ''}</ol>`;
}

/**
 * Someone saved the record first: both versions of every differing field side by side, the
 * user picks per field (their own input preselected where they changed it). `resolve` fires with
 * the merged data and the current record; nothing the user typed is thrown away unasked.
 */
@customElement('caiji-conflict-dialog')
export class ConflictDialog extends LightElement {
  @property({ attribute: false }) schema: JsonSchema = {};
  /** The data the user started editing from. */
  @property({ attribute: false }) base: Record<string, unknown> = {};
  @property({ attribute: false }) mine: Record<string, unknown> = {};
  @property({ attribute: false }) current!: RecordJson;
  @property() message = '';
  @state() private pick = new Map<string, 'mine' | 'theirs'>();
  /** The display name of whoever saved the current version (read from the record's history, as it names its actors). */
  @state() private saverName: string | null = null;
  private askedFor = '';

  /** The saver by display name: the latest history entry wrote the current version. */
  private async readSaver() {
    const { collection, id, updatedBy } = this.current;
    try {
      const h = await api.get<{ items: { actor: string | null; actorName?: string | null }[] }>(`/api/records/${enc(collection)}/${enc(id)}/history?limit=1`);
      const last = h.items.at(-1);
      if (last?.actor === updatedBy && last.actorName) this.saverName = last.actorName;
    } catch {
      // The username stays: the dialog works without the name.
    }
  }

  override willUpdate() {
    const key = `${this.current.id}@${this.current.version}`;
    if (this.askedFor !== key && this.current.updatedBy && !this.bySelf) {
      this.askedFor = key;
      void this.readSaver();
    }
    if (!this.pick.size) {
      for (const f of differingFields(this.mine, this.current.data)) {
        this.pick.set(f, same(this.mine[f], this.base[f]) ? 'theirs' : 'mine');
      }
    }
  }

  private resolve() {
    const merged: Record<string, unknown> = { ...this.current.data };
    for (const [f, who] of this.pick) {
      if (who === 'mine') {
        if (this.mine[f] === undefined) delete merged[f];
        else merged[f] = this.mine[f];
      }
    }
    emit(this, 'resolve', { data: merged, current: this.current });
  }

  /** The user saved the record themselves, in another window or tab: no 他人 to blame. */
  private get bySelf(): boolean {
    return !!this.current.updatedBy && this.current.updatedBy === session.me?.username;
  }

  override render() {
    const props = this.schema.properties ?? {};
    const fields = [...this.pick.keys()];
    const self = this.bySelf;
    const when = dateTime(this.current.updatedAt);
    const saved = `保存了新版本（第 ${this.current.version} 版）`;
    const body = html`<p role="alert" class="conflict-msg">${self ? `这条记录已在您的其他窗口或标签页中修改，请核对后重新保存` : this.message}</p>
      <p class="muted">${self ? `您于 ${when} 在其他窗口或标签页中${saved}`
        : html`<span title=${this.current.updatedBy ?? ''}>${this.saverName ?? this.current.updatedBy ?? '他人'}</span> 于 ${when} ${saved}`}。以下字段两边不同，请逐项选择保留哪一个：</p>
      <div class="table-wrap"><table class="data-table conflict-table">
        <thead><tr><th scope="col">字段</th><th scope="col">您的输入</th><th scope="col">${self ? '已保存的版本' : '对方已保存的版本'}</th></tr></thead>
        <tbody>${fields.map((f) => html`<tr>
          <th scope="row">${props[f]?.title ?? f}</th>
          ${(['mine', 'theirs'] as const).map((who) => {
            const v = who === 'mine' ? this.mine[f] : this.current.data[f];
            return html`<td class=${this.pick.get(f) === who ? 'picked' : ''}><label class="radio"><input type="radio" name=${`c-${f}`} .checked=${this.pick.get(f) === who}
              @change=${() => { this.pick = new Map(this.pick).set(f, who); }}>${isTable(props[f])
                ? tableRows(props[f], v, who === 'mine' ? this.current.data[f] : this.mine[f])
                : displayValue(props[f], v) || '（空）'}</label></td>`;
          })}
        </tr>`)}</tbody>
      </table></div>`;
    const footer = html`<button type="button" class="btn btn-primary" @click=${() => this.resolve()}>按所选合并到表单</button>
      <button type="button" class="btn" @click=${() => this.querySelector<ModalDialog>('caiji-dialog')?.close()}>暂不处理</button>`;
    const heading = self ? '保存冲突：记录已在其他窗口或标签页中修改' : '保存冲突：记录已被他人修改';
    return html`<caiji-dialog wide .heading=${heading} .body=${body} .footer=${footer}></caiji-dialog>`;
  }
}
