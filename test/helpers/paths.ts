import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const repoRoot = resolve(fileURLToPath(import.meta.url), '../../..');
export const fixtureApp = resolve(repoRoot, 'test/fixtures/leave');
/** shared/ lies beside the repository (also in CI, which copies it there). */
export const sharedDir = resolve(repoRoot, '../shared');
