import { html } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import { LightElement, emit } from '../components/light-element.js';
import { api, request, ApiError } from '../api/client.js';
import type { Page, RecordJson } from '../api/types.js';
import { draftStore } from './draft-store.js';

/** A document of the draft's manifest that prints with a template file. */
export interface TemplateDoc {
  /** The file under templates/. */
  file: string;
  path: string;
  collection: string;
  collectionTitle: string;
  /** The collection's field naming a record (for the record picker). */
  titleField?: string;
  name: string;
  title: string;
  formats: string[];
}

interface ManifestCollections {
  collections?: Record<string, { title?: string; titleField?: string; documents?: Record<string, { title?: string; template?: string; formats?: string[] }> }>;
}

/** Every document of the draft's manifest with its template file (a template may serve several). */
export async function templateDocs(): Promise<TemplateDoc[]> {
  const manifest = await draftStore.json<ManifestCollections>('forms/app.json');
  const out: TemplateDoc[] = [];
  for (const [collection, c] of Object.entries(manifest?.collections ?? {})) {
    for (const [name, d] of Object.entries(c.documents ?? {})) {
      if (!d.template) continue;
      out.push({
        file: d.template, path: `templates/${d.template}`, collection, collectionTitle: c.title ?? collection, titleField: c.titleField,
        name, title: d.title ?? name, formats: d.formats ?? ['html'],
      });
    }
  }
  return out;
}

/** The draft preview of a record's document (engine/http/routes/draft-documents.ts). */
export const draftDocumentUrl = (doc: TemplateDoc, id: string, suffix: string) =>
  `/api/config/draft/documents/${encodeURIComponent(doc.collection)}/${encodeURIComponent(id)}/${encodeURIComponent(doc.name)}${suffix}`;

/**
 * A preview of the draft for a record, asked once per record and draft version (a save or an undo
 * makes a new version); an answer overtaken by a newer question is dropped. While the document has
 * check problems nothing is asked: the last good preview stays, with `broken` said instead.
 */
export class DraftPreview<T> {
  private asked = '';

  /** Whether `key` (from `ask`'s callback) is still the latest question. */
  current(key: string) { return key === this.asked; }

  async ask(doc: TemplateDoc, record: string, suffix: string, broken: string | null,
    answer: (value: T | undefined, error: string, key: string) => void): Promise<void> {
    if (!record || !draftStore.view) return;
    if (broken) return answer(undefined, broken, this.asked);
    const key = `${record}|${draftStore.view.version}`;
    if (key === this.asked) return;
    this.asked = key;
    try {
      const value = await request<T>('GET', draftDocumentUrl(doc, record, suffix));
      if (key === this.asked) answer(value, '', key);
    } catch (e) {
      if (key === this.asked) answer(undefined, e instanceof ApiError ? e.message : String(e), key);
    }
  }
}

/** A check problem's place in a template: 第L行第C列 (Handlebars) in its message. */
export function problemLine(message: string): { line: number; col?: number } | null {
  const m = /第(\d+)行(?:第(\d+)列)?/.exec(message);
  return m ? { line: Number(m[1]), ...(m[2] ? { col: Number(m[2]) } : {}) } : null;
}

/**
 * The record a preview prints: the records of the document's collection the config admin reads
 * (searchable), the first one chosen to begin with. Emits 'record-change' with the record's id.
 */
@customElement('caiji-studio-template-record')
export class TemplateRecordPicker extends LightElement {
  @property({ attribute: false }) doc?: TemplateDoc;
  @property() value = '';
  @state() private items: RecordJson[] = [];
  @state() private query = '';
  @state() private error = '';
  private asked = '';

  override updated() {
    const key = `${this.doc?.collection}|${this.query}`;
    if (this.doc && key !== this.asked) {
      this.asked = key;
      void this.load(key);
    }
  }

  private async load(key: string) {
    const q = this.query.trim();
    try {
      const page = await api.get<Page>(`/api/records/${encodeURIComponent(this.doc!.collection)}?limit=100${q ? `&q=${encodeURIComponent(q)}` : ''}`);
      if (key !== this.asked) return;
      this.items = page.items;
      this.error = '';
      if (!this.value || !page.items.some((r) => r.id === this.value)) {
        if (page.items[0]) emit(this, 'record-change', page.items[0].id);
      }
    } catch (e) {
      this.error = (e as Error).message;
    }
  }

  /** The ids listed now (a dry render compares the chosen record with another). */
  others(): string[] { return this.items.map((r) => r.id); }

  private label(r: RecordJson) {
    const t = this.doc?.titleField ? r.data[this.doc.titleField] : undefined;
    return typeof t === 'string' && t ? t : r.id;
  }

  override render() {
    return html`<label class="tpl-picker">预览记录（${this.doc?.collectionTitle ?? ''}）
      <input type="search" placeholder="搜索" .value=${this.query} aria-label="搜索预览记录"
        @change=${(e: Event) => { this.query = (e.target as HTMLInputElement).value; }}>
      <select aria-label="预览记录" @change=${(e: Event) => emit(this, 'record-change', (e.target as HTMLSelectElement).value)}>
        ${this.items.map((r) => html`<option value=${r.id} ?selected=${r.id === this.value}>${this.label(r)}</option>`)}
      </select>
      ${this.error ? html`<span class="error-text">${this.error}</span>` : this.items.length ? '' : html`<span class="muted">没有可预览的记录</span>`}
    </label>`;
  }
}
