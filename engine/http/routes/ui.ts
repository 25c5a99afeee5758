import { Hono } from 'hono';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { requireUser } from '../middleware/session.js';
import { cachedValidatorModule } from '../../validation/standalone.js';

const uiEntry = fileURLToPath(new URL('../../../ui/main.ts', import.meta.url));
/** The tab's icon: a blank form on a clipboard (browsers ask for /favicon.ico on their own too). */
const favicon = readFileSync(fileURLToPath(new URL('../../../ui/favicon.svg', import.meta.url)), 'utf8');

/**
 * The code editor (CodeMirror) is a bundle of its own, loaded by the config studio only when it
 * opens a template: most users never pay for it (it is about as large as the application).
 */
const editorEntry = fileURLToPath(new URL('../../../ui/studio/template-codemirror.ts', import.meta.url));

interface Bundle { js: string; css: string }
const bundles = new Map<string, Promise<Bundle>>();

/** One entry bundled once per process in memory (ESM, minified, no CDN). */
function bundleOf(entry: string): Promise<Bundle> {
  let bundle = bundles.get(entry);
  if (bundle) return bundle;
  bundle = build({
    entryPoints: [entry], bundle: true, format: 'esm', platform: 'browser', target: 'es2022', minify: true,
    write: false, outdir: '/ui-out', logLevel: 'silent', legalComments: 'none', charset: 'utf8',
  }).then((r) => ({
    js: r.outputFiles.find((f) => f.path.endsWith('.js'))!.text,
    css: r.outputFiles.find((f) => f.path.endsWith('.css'))?.text ?? '',
  }));
  bundles.set(entry, bundle);
  bundle.catch(() => bundles.delete(entry));
  return bundle;
}

/** The browser application. */
export const uiBundle = () => bundleOf(uiEntry);

const escapeHtml = (s: string) => s.replace(/[&<>"]/g, (ch) => `&#${ch.charCodeAt(0)};`);

/** '/', the bundle, its CSS, and each collection's validation module (the same checks as the server). */
export function uiRoutes() {
  const app = new Hono();
  void uiBundle().catch((err) => console.error('UI bundle failed:', err));

  app.get('/', (c) => {
    const title = escapeHtml(c.get('engine').runtime.config.manifest.title);
    c.header('Cache-Control', 'no-cache');
    return c.html(`<!doctype html>
<html lang="zh-CN"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${title}</title><link rel="icon" href="/favicon.svg" type="image/svg+xml"><link rel="stylesheet" href="/app.css"><script type="module" src="/app.js"></script></head>
<body><caiji-app><p class="boot">${title}：正在加载…</p></caiji-app><noscript>请启用浏览器的 JavaScript 后使用本系统。</noscript></body></html>`);
  });
  for (const path of ['/favicon.svg', '/favicon.ico']) {
    app.get(path, (c) => {
      c.header('Content-Type', 'image/svg+xml');
      c.header('Cache-Control', 'public, max-age=86400');
      return c.body(favicon);
    });
  }
  app.get('/app.js', async (c) => {
    c.header('Content-Type', 'text/javascript; charset=utf-8');
    c.header('Cache-Control', 'no-cache');
    return c.body((await uiBundle()).js);
  });
  app.get('/code-editor.js', async (c) => {
    c.header('Content-Type', 'text/javascript; charset=utf-8');
    c.header('Cache-Control', 'no-cache');
    return c.body((await bundleOf(editorEntry)).js);
  });
  app.get('/app.css', async (c) => {
    c.header('Content-Type', 'text/css; charset=utf-8');
    c.header('Cache-Control', 'no-cache');
    return c.body((await uiBundle()).css);
  });
  app.get('/api/forms/:collection/validator.js', requireUser, async (c) => {
    const col = c.get('engine').runtime.collection(c.req.param('collection'));
    c.header('Content-Type', 'text/javascript; charset=utf-8');
    c.header('Cache-Control', 'private, no-cache');
    return c.body(await cachedValidatorModule(col.schema));
  });
  return app;
}
