import { readFileSync, writeFileSync } from 'node:fs';

/** Rewrites a JSON config file of an app copy in place (a schema given a keyword for one test file). */
export const editJson = (file: string, fn: (j: any) => void) =>
  writeFileSync(file, JSON.stringify((() => { const j = JSON.parse(readFileSync(file, 'utf8')); fn(j); return j; })(), null, 2));

/** Full years from `from` to `at` (both 年-月-日), as an age or the years since a date are counted. */
export const fullYears = (from: string, at: string) => Number(at.slice(0, 4)) - Number(from.slice(0, 4)) - (at.slice(5) < from.slice(5) ? 1 : 0);
