import { html, nothing } from 'lit';
import { customElement, property } from 'lit/decorators.js';
import { LightElement } from './light-element.js';
import { enc } from '../api/client.js';
import { session } from '../api/session.js';
import type { DocumentInfo } from '../api/types.js';

/** The collection's documents (from the manifest). */
export function documentsOf(collection: string): [string, DocumentInfo][] {
  return Object.entries(session.app?.collections[collection]?.documents ?? {}) as [string, DocumentInfo][];
}

/**
 * One record's documents: 打印预览 (HTML in a new window), PDF and xlsx downloads — whichever
 * formats each document of the collection offers.
 */
@customElement('caiji-document-buttons')
export class DocumentButtons extends LightElement {
  @property() collection = '';
  @property({ attribute: false }) ids: string[] = [];

  override render() {
    const id = this.ids[0];
    if (!id) return nothing;
    const docs = documentsOf(this.collection);
    const url = (name: string, ext: string, download = false) =>
      `/api/records/${enc(this.collection)}/${enc(id)}/documents/${enc(name)}.${ext}${download ? '?download=1' : ''}`;
    return html`${docs.map(([name, d]) => {
      const f = d.formats ?? ['html'];
      const t = d.title ?? name;
      return html`<span class="doc-buttons" role="group" aria-label=${t}>
        ${f.includes('html') ? html`<a class="btn" href=${url(name, 'html')} target="_blank" rel="noopener" title=${t}>打印预览</a>` : nothing}
        ${f.includes('pdf') ? html`<a class="btn" href=${url(name, 'pdf', true)} download title=${`${t}（PDF）`}>下载PDF</a>` : nothing}
        ${f.includes('xlsx') ? html`<a class="btn" href=${url(name, 'xlsx', true)} download title=${`${t}（Excel）`}>下载</a>` : nothing}
      </span>`;
    })}`;
  }
}
