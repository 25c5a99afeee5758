/**
 * The child-table import figure of `npm run bench` alone (its README row): 10 000 members with 5
 * rows each against the flat import, in a throwaway folder. `npx tsx test/bench/child-import-run.ts
 * [--import-rows N]`; under `node --cpu-prof --import tsx` it profiles the child-sheet path.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { benchChildImport } from './child-import-bench.js';

const i = process.argv.indexOf('--import-rows');
const rows = Number(i > 0 ? process.argv[i + 1] : '10000');
const tmp = mkdtempSync(join(tmpdir(), 'caiji-child-import-'));
try {
  await benchChildImport(tmp, rows, (figure, value, baseline, ratio, target, ok) => console.log(`${figure}: ${value} (${baseline}) ratio ${ratio}${ok === null ? '' : ` target ${target} ${ok ? 'met' : 'not met'}`}`), console.log);
} finally {
  rmSync(tmp, { recursive: true, force: true });
}
