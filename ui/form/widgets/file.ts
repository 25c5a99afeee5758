import { html } from 'lit';
import { registerWidget, is } from '../registry.js';

/** MIME types a data-URL pattern allows, e.g. ^data:(image/png|application/pdf);base64,… */
function acceptOf(pattern: string | undefined): string {
  const m = /^\^data:\(?([^;)]+)\)?;/.exec(pattern ?? '');
  return m ? m[1].split('|').join(',') : '';
}

/** A file kept as a data URL (a string whose pattern starts with ^data:, or base64-encoded content). */
registerWidget({
  name: 'file',
  tester: (p) => (is.string(p) && (/^\^data:/.test(p.pattern ?? '') || p.contentEncoding === 'base64') ? 8 : 0),
  render: (p) => {
    const read = (e: Event) => {
      const file = (e.target as HTMLInputElement).files?.[0];
      if (!file) { p.set(undefined); return; }
      const reader = new FileReader();
      reader.onload = () => { p.set(String(reader.result)); p.touch(); };
      reader.readAsDataURL(file);
    };
    const has = typeof p.value === 'string' && p.value.length > 0;
    return html`<input type="file" id=${p.id} name=${p.name} accept=${acceptOf(p.prop.pattern)} ?disabled=${p.disabled}
      aria-invalid=${p.invalid ? 'true' : 'false'} aria-describedby=${p.describedBy} @change=${read}>
      ${has ? html`<span class="muted">已选择文件（约 ${Math.ceil(((p.value as string).length * 3) / 4 / 1024)} KB）</span>` : ''}`;
  },
});
