import { html, nothing } from 'lit';
import { customElement, property } from 'lit/decorators.js';
import { LightElement, emit } from '../components/light-element.js';
import type { FieldError } from '../api/types.js';
import { kindOf, type Json } from './form-schema.js';
import type { CodeOption } from './form-rules-panel.js';

/** A check problem of one demo record's field: "forms/demo/x.json#/records/<i>/<field>". */
export interface DemoProblem { path: string; index: number; field: string; message: string }

export function demoProblems(problems: FieldError[], demoPaths: string[]): DemoProblem[] {
  return problems.flatMap((p) => {
    const m = /^([^#]+)#\/records\/(\d+)\/([^/]+)$/.exec(p.path);
    return m && demoPaths.includes(m[1]) ? [{ path: m[1], index: Number(m[2]), field: m[3], message: p.message }] : [];
  });
}

/**
 * Demo records of the collection that a schema change made invalid (a new required-when rule, a
 * pattern): the check loads demo data as records, so the draft cannot be published until each is
 * given a value or has it cleared — here, beside the form, rather than in a file elsewhere.
 * Emits `demo-fix` ({path, index, field, value}; value undefined clears it).
 */
@customElement('caiji-studio-form-demo-fixes')
export class StudioFormDemoFixes extends LightElement {
  @property({ attribute: false }) problems: DemoProblem[] = [];
  @property({ attribute: false }) schema: Json = {};
  @property({ attribute: false }) codes = new Map<string, CodeOption[]>();

  private control(p: DemoProblem, id: string) {
    const prop = this.schema.properties?.[p.field];
    if (!prop) return nothing;
    const kind = kindOf(prop);
    const codes = kind === 'code' ? this.codes.get(prop['x-codeTable']) : undefined;
    if (kind === 'boolean') return html`<select id=${id}><option value="true">是</option><option value="false">否</option></select>`;
    if (codes) return html`<select id=${id}>${codes.filter((c) => !c.deprecated).map((c) => html`<option value=${c.code}>${c.label}</option>`)}</select>`;
    return html`<input id=${id} aria-label=${`新的${prop.title ?? p.field}`} />`;
  }

  private fix(p: DemoProblem, id: string | null) {
    const prop = this.schema.properties?.[p.field];
    let value: unknown;
    if (id) {
      const raw = (this.querySelector(`#${id}`) as HTMLInputElement | HTMLSelectElement).value;
      const kind = prop ? kindOf(prop) : 'text';
      value = kind === 'boolean' ? raw === 'true' : kind === 'number' ? Number(raw) : raw;
    }
    emit(this, 'demo-fix', { path: p.path, index: p.index, field: p.field, value });
  }

  override render() {
    if (!this.problems.length) return nothing;
    return html`<section class="demo-fixes" aria-label="演示数据的问题">
      <h3 class="panel-title">演示数据不符合草稿的规则（改正后才能发布）</h3>
      <ul>${this.problems.map((p, i) => {
        const id = `demo-fix-${i}`;
        return html`<li data-demo=${`${p.path}#${p.index}/${p.field}`}><span>${p.message.replace(/^[^:]+: /, '')}（${p.path} 第 ${p.index + 1} 条）</span>
          ${this.schema.properties?.[p.field] ? html`${this.control(p, id)}<button type="button" @click=${() => this.fix(p, id)}>填入</button>` : nothing}
          <button type="button" @click=${() => this.fix(p, null)}>清除此值</button></li>`;
      })}</ul>
    </section>`;
  }
}
