import { existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';

const cache = new Map<string, { mtime: number; titles: Record<string, string> }>();

/**
 * Titles of a workflow's states, read from workflows/<name>.json (a state's `meta.title`, else its
 * `title` or `description`); empty when the workflow file does not exist (yet).
 */
export function stateTitles(appRoot: string, workflow: string | undefined): Record<string, string> {
  if (!workflow || !/^[\w.-]+$/.test(workflow)) return {};
  const file = join(appRoot, 'workflows', `${workflow}.json`);
  if (!existsSync(file)) return {};
  const mtime = statSync(file).mtimeMs;
  const hit = cache.get(file);
  if (hit && hit.mtime === mtime) return hit.titles;
  const titles: Record<string, string> = {};
  try {
    const machine = JSON.parse(readFileSync(file, 'utf8'));
    const states = machine?.states ?? machine?.machine?.states ?? {};
    for (const [id, s] of Object.entries<any>(states)) {
      const t = s?.meta?.title ?? s?.title ?? s?.description;
      if (typeof t === 'string') titles[id] = t;
    }
  } catch {
    // An unreadable workflow file is reported by the workflow loader; prints fall back to state ids.
  }
  cache.set(file, { mtime, titles });
  return titles;
}
