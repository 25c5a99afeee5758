import { existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type Handlebars from 'handlebars';
import type { AppRuntime } from '../runtime/runtime.js';
import { HttpError } from '../http/errors.js';
import { createHandlebars } from './helpers.js';

const environments = new WeakMap<AppRuntime, typeof Handlebars>();

/** The Handlebars environment (with helpers) of one application runtime. */
export function handlebarsFor(runtime: AppRuntime): typeof Handlebars {
  let hb = environments.get(runtime);
  if (!hb) environments.set(runtime, (hb = createHandlebars(runtime.config.codes)));
  return hb;
}

const files = new Map<string, { mtime: number; text: string }>();

/**
 * The text of templates/<name>, re-read when the file changes, so a config admin's edit shows on
 * the next print without a restart.
 */
export function templateText(appRoot: string, name: string): string {
  const file = join(appRoot, 'templates', name);
  if (!existsSync(file)) throw new HttpError(500, 'template_missing', `模板文件 templates/${name} 不存在`);
  const mtime = statSync(file).mtimeMs;
  const hit = files.get(file);
  if (hit && hit.mtime === mtime) return hit.text;
  const text = readFileSync(file, 'utf8');
  files.set(file, { mtime, text });
  return text;
}

const compiled = new WeakMap<typeof Handlebars, Map<string, Handlebars.TemplateDelegate>>();

/** A compiled Handlebars template for `source`; `raw` turns HTML escaping off (xlsx cells). */
export function compile(hb: typeof Handlebars, source: string, raw = false): Handlebars.TemplateDelegate {
  let cache = compiled.get(hb);
  if (!cache) compiled.set(hb, (cache = new Map()));
  const key = (raw ? 'r:' : 'h:') + source;
  let fn = cache.get(key);
  if (!fn) {
    try {
      hb.parse(source); // surface syntax errors now rather than at the first render
      fn = hb.compile(source, { noEscape: raw });
    } catch (err) {
      throw new HttpError(500, 'template_error', `模板有误：${(err as Error).message}`);
    }
    if (cache.size > 5000) cache.clear();
    cache.set(key, fn);
  }
  return fn;
}
