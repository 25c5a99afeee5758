import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { dirname, extname, join, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { domainNotFound } from '../errors.js';
import type { ConfigCheck } from '../config/checks/types.js';
import type { DocumentConfig } from './config.js';
import type { ConfigSource } from '../config/source.js';
import { own } from '../own.js';

/**
 * A document's assets (config `assets`: web fonts and the stylesheets declaring them) are served
 * under one path by two servers: the HTTP route, for the HTML preview in the user's browser, and
 * the PDF printer's request interception, which answers the same path on a made-up origin that
 * never reaches the network. A template writes `{{assets.fonts}}/400.css` and works in both.
 */
export const ASSET_ROUTE = '/document-assets';
/** The origin the printer answers for (.invalid never resolves, so nothing can leak out). */
export const PRINT_ORIGIN = 'http://print.caiji.invalid';

/** What may be served: fonts, stylesheets, pictures — never templates, config or code. */
const TYPES: Record<string, string> = {
  '.woff2': 'font/woff2', '.woff': 'font/woff', '.ttf': 'font/ttf', '.otf': 'font/otf',
  '.css': 'text/css; charset=utf-8', '.png': 'image/png', '.jpg': 'image/jpeg', '.svg': 'image/svg+xml',
};

export interface Asset {
  body: Buffer;
  type: string;
  /** A package file (changes only with an update); config assets change with a published version. */
  fromPackage: boolean;
}

const engineRoot = fileURLToPath(new URL('../..', import.meta.url));
const folders = new Map<string, string>();

/** The package's folder in the nearest node_modules above `start`. */
function packageFolder(start: string, name: string): string | null {
  for (let dir = resolve(start); ; dir = dirname(dir)) {
    const candidate = join(dir, 'node_modules', name);
    if (existsSync(candidate)) return candidate;
    if (dirname(dir) === dir) return null;
  }
}

/**
 * The package folder an "npm:<package>[/folder]" asset names, from the application's
 * node_modules, else the engine's (an application folder elsewhere shares the engine's packages).
 * Packages are the engine's dependencies, not config: they are read from disk. Null when absent.
 */
export function packageAssetFolder(appRoot: string, spec: string): string | null {
  const key = `${appRoot}\0${spec}`;
  let folder = folders.get(key) ?? null;
  if (!folder) {
    const name = spec.slice(4);
    folder = name.split('/').includes('..') ? null : packageFolder(appRoot, name) ?? packageFolder(engineRoot, name);
    // Only found folders are kept: a package installed later is found then.
    if (folder) folders.set(key, folder);
  }
  return folder;
}

/**
 * The snapshot path prefix of an asset folder inside templates/ ("templates/<folder>/"): such
 * assets are config, versioned with the templates, and served from the config in force, never
 * from the disk. Null for a folder name that would leave templates/.
 */
function templateAssetPrefix(spec: string): string | null {
  const parts = spec.split('/').filter(Boolean);
  return parts.length && !parts.some((p) => p === '..' || p === '.') ? `templates/${parts.join('/')}/` : null;
}

/** Whether an `assets` entry names something that exists: an installed package, or a folder of the config's templates/. */
function assetExists(source: ConfigSource, spec: string): boolean {
  if (spec.startsWith('npm:')) return !!packageAssetFolder(source.root || engineRoot, spec);
  const prefix = templateAssetPrefix(spec);
  return !!prefix && [...source.files.keys()].some((f) => f.startsWith(prefix));
}

/** `{name: url}` of a document's assets, for templates: `origin` '' for the preview, PRINT_ORIGIN for PDF. */
export function assetUrls(doc: DocumentConfig, origin = ''): Record<string, string> {
  const base = `${origin}${ASSET_ROUTE}/${encodeURIComponent(doc.collection)}/${encodeURIComponent(doc.name)}`;
  return Object.fromEntries(Object.keys(doc.assets ?? {}).map((name) => [name, `${base}/${name}`]));
}

/**
 * One file of the document's asset `name`, from the config `source` in force (a folder of its
 * templates/) or an installed package; 404 for an unknown asset, a file outside it or a type not served.
 */
export async function readAsset(source: ConfigSource, doc: DocumentConfig, name: string, file: string): Promise<Asset> {
  const spec = own(doc.assets, name);
  const type = TYPES[extname(file).toLowerCase()];
  if (!spec || !type || file.split('/').some((p) => p === '..' || p === '.' || p === '')) throw domainNotFound('文档资源');
  if (!spec.startsWith('npm:')) {
    const prefix = templateAssetPrefix(spec);
    const content = prefix ? source.files.get(`${prefix}${file}`) : undefined;
    if (content === undefined) throw domainNotFound('文档资源');
    return { body: typeof content === 'string' ? Buffer.from(content) : content, type, fromPackage: false };
  }
  const folder = packageAssetFolder(source.root || engineRoot, spec);
  const path = folder ? resolve(folder, file) : '';
  if (!folder || !path.startsWith(folder + sep)) throw domainNotFound('文档资源');
  try {
    return { body: await readFile(path), type, fromPackage: true };
  } catch {
    throw domainNotFound('文档资源');
  }
}

/**
 * For the printer: the asset a request URL names, when it is one of `doc`'s (any other URL is
 * refused, so a template cannot reach the network or another document's files).
 */
export function printAssets(source: ConfigSource, doc: DocumentConfig): (url: string) => Promise<Asset | null> {
  const prefix = `${PRINT_ORIGIN}${ASSET_ROUTE}/${encodeURIComponent(doc.collection)}/${encodeURIComponent(doc.name)}/`;
  return async (url) => {
    if (!url.startsWith(prefix)) return null;
    const [name, ...rest] = new URL(url).pathname.slice(prefix.length - PRINT_ORIGIN.length).split('/');
    return readAsset(source, doc, decodeURIComponent(name), rest.map(decodeURIComponent).join('/')).catch(() => null);
  };
}

/** Config check: every declared asset folder exists (npm run check, live reload). */
export const documentAssetsCheck: ConfigCheck = (app) => {
  const out: string[] = [];
  for (const c of app.collections.values()) {
    for (const [name, raw] of Object.entries<any>(c.documents ?? {})) {
      for (const [asset, spec] of Object.entries<unknown>(raw?.assets ?? {})) {
        const where = `app.json: collections.${c.name}.documents.${name}.assets.${asset}`;
        if (!/^[\w-]+$/.test(asset) || typeof spec !== 'string') out.push(`${where}: 名称须为字母、数字、- 或 _，值须为字符串`);
        else if (!assetExists(app.source, spec)) out.push(`${where}: 找不到 ${spec}（npm 包未安装，或 templates/ 下没有该文件夹）`);
      }
    }
  }
  return out;
};
