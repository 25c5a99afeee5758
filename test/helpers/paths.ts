import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const repoRoot = resolve(fileURLToPath(import.meta.url), '../../..');
export const fixtureApp = resolve(repoRoot, 'test/fixtures/leave');
/** Identifier examples with their provenance (test/fixtures/vectors/README.md), carried in the repository. */
export const vectorsDir = resolve(repoRoot, 'test/fixtures/vectors');
