import { cpSync, mkdtempSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { repoRoot } from './paths.js';

/** A private copy of an application's config folders, for tests that change config on disk. */
export function copyApp(from = repoRoot): string {
  const dir = mkdtempSync(join(tmpdir(), 'caiji-app-'));
  for (const sub of ['forms', 'workflows', 'templates']) {
    if (existsSync(join(from, sub))) cpSync(join(from, sub), join(dir, sub), { recursive: true });
  }
  return dir;
}
