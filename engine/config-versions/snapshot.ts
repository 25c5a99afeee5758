import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve, sep } from 'node:path';
import { readConfigFolder, type ConfigSource } from '../config/source.js';
import type { StoredFiles } from '../ports.js';
import { domainInvalid } from '../errors.js';
import { MIGRATIONS_DOCUMENT } from './migration-steps.js';

/**
 * A config version's files as stored (path → text, or {base64} for bytes) and the ways in and
 * out: from a snapshot or an application folder, back to a snapshot the runtime is compiled
 * from, and to a folder byte for byte (config export). The migration steps a draft carries are
 * one more document of it, `migrations.json` at the top.
 */
export const MIGRATIONS_FILE = MIGRATIONS_DOCUMENT;

/** The files of a snapshot as stored. */
export function storedFiles(source: ConfigSource): StoredFiles {
  const out: StoredFiles = {};
  for (const path of [...source.files.keys()].sort()) {
    const content = source.files.get(path)!;
    out[path] = typeof content === 'string' ? content : { base64: content.toString('base64') };
  }
  return out;
}

/** A snapshot of stored files; `root` is the folder print assets (fonts) are looked up from. */
export function sourceOf(files: StoredFiles, root: string): ConfigSource {
  const map = new Map<string, string | Buffer>();
  for (const [path, content] of Object.entries(files)) map.set(path, typeof content === 'string' ? content : Buffer.from(content.base64, 'base64'));
  return { root, files: map };
}

const bytesOf = (content: StoredFiles[string]) => (typeof content === 'string' ? Buffer.from(content, 'utf8') : Buffer.from(content.base64, 'base64'));

/** sha256 over the sorted paths and their bytes: two versions with the same files have the same hash. */
export function hashFiles(files: StoredFiles): string {
  const h = createHash('sha256');
  for (const path of Object.keys(files).sort()) {
    const bytes = bytesOf(files[path]);
    h.update(`${path}\0${bytes.length}\0`);
    h.update(bytes);
  }
  return h.digest('hex');
}

/** The application's config folders (and a migrations.json beside them, if any) as stored files. */
export function readAppFiles(dir: string): StoredFiles {
  const files = storedFiles(readConfigFolder(dir));
  const steps = join(dir, MIGRATIONS_FILE);
  if (existsSync(steps)) files[MIGRATIONS_FILE] = readFileSync(steps, 'utf8');
  return files;
}

/** Paths a draft may hold: inside the config folders or the migration steps, never outside. */
export function pathProblem(path: string): string | null {
  if (path === MIGRATIONS_FILE) return null;
  if (!/^(forms|workflows|templates)\/[^\0\\]+$/.test(path)) return `路径“${path}”不在 forms/、workflows/、templates/ 之内`;
  if (path.split('/').some((part) => part === '' || part === '.' || part === '..' || part.startsWith('.'))) return `路径“${path}”含有空的、以点开头的或上级目录的部分`;
  if (path.startsWith('forms/generated/')) return `路径“${path}”是生成的类型文件，不属于配置`;
  return null;
}

/** Writes every file to `dir` as it was stored (the same bytes): a version diffs in git like the folders it came from. */
export function writeFolder(dir: string, files: StoredFiles): number {
  const root = resolve(dir);
  let n = 0;
  for (const path of Object.keys(files).sort()) {
    const problem = pathProblem(path);
    const target = resolve(root, path);
    if (problem || !target.startsWith(root + sep)) throw domainInvalid([{ path, message: problem ?? `路径“${path}”不在导出目录之内` }], '配置版本含有无法导出的路径');
    mkdirSync(dirname(target), { recursive: true });
    writeFileSync(target, bytesOf(files[path]));
    n++;
  }
  return n;
}

/** Paths whose content differs between two file sets (added, changed or removed). */
export function changedPaths(a: StoredFiles, b: StoredFiles): string[] {
  const out: string[] = [];
  for (const path of new Set([...Object.keys(a), ...Object.keys(b)])) {
    if (JSON.stringify(a[path] ?? null) !== JSON.stringify(b[path] ?? null)) out.push(path);
  }
  return out.sort();
}

/** The files with the migration steps emptied (a new draft starts without any). */
export function withoutSteps(files: StoredFiles): StoredFiles {
  return { ...files, [MIGRATIONS_FILE]: '[]\n' };
}
