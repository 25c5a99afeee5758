import { readdirSync, readFileSync, existsSync } from 'node:fs';
import { join, extname } from 'node:path';
import { parseConfigJson } from './json-text.js';

/**
 * An application's config as plain data, read once: every file of forms/, workflows/ and
 * templates/ by its path inside the application folder ("forms/app.json" → its text). The
 * runtime is compiled from this alone and never reads the disk again, so a refused change can
 * never leak into a request, and the same data can later come from the database.
 */
export interface ConfigSource {
  /** The folder it was read from (where the code-table editor writes back); '' when not from disk. */
  readonly root: string;
  /** Text of each config file; binary files (pictures, fonts inside templates/) as bytes. */
  readonly files: ReadonlyMap<string, string | Buffer>;
}

export const CONFIG_FOLDERS = ['forms', 'workflows', 'templates'] as const;

/** Files read as text; everything else (fonts, pictures) is kept as bytes. */
const TEXT = new Set(['.json', '.hbs', '.html', '.css', '.svg', '.txt', '.md']);
/** Not config: generated types, and the temporary files of an atomic write in progress. */
const skipped = (path: string) => path.startsWith('forms/generated/') || path.endsWith('.tmp') || /(^|\/)\./.test(path);

function walk(root: string, rel: string, out: Map<string, string | Buffer>) {
  for (const entry of readdirSync(join(root, rel), { withFileTypes: true })) {
    const path = `${rel}/${entry.name}`;
    if (skipped(path)) continue;
    if (entry.isDirectory()) walk(root, path, out);
    else if (entry.isFile()) {
      try {
        const bytes = readFileSync(join(root, path));
        out.set(path, TEXT.has(extname(entry.name).toLowerCase()) ? bytes.toString('utf8') : bytes);
      } catch {
        // Removed between listing and reading (an editor's save): the next reload sees the result.
      }
    }
  }
}

/** Reads the config folders of the application at `root` into a snapshot. */
export function readConfigFolder(root: string): ConfigSource {
  const files = new Map<string, string | Buffer>();
  for (const dir of CONFIG_FOLDERS) if (existsSync(join(root, dir))) walk(root, dir, files);
  return { root, files };
}

/** The text of a config file, or undefined when the snapshot has none. */
export function configText(source: ConfigSource, path: string): string | undefined {
  const content = source.files.get(path);
  return content === undefined ? undefined : typeof content === 'string' ? content : content.toString('utf8');
}

/** A config file's parsed JSON; a missing file or a syntax error (line and column) is a problem. */
export function configJson<T>(source: ConfigSource, path: string, problems: string[]): T | undefined {
  const text = configText(source, path);
  if (text === undefined) {
    problems.push(`${path}: 文件不存在`);
    return undefined;
  }
  return parseConfigJson<T>(text, path, problems);
}
