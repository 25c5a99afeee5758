import { checkApp } from '../config/checks/index.js';
import { parseConfigJson } from '../config/json-text.js';
import type { AppRuntime } from '../runtime/runtime.js';
import type { StoredFiles } from '../ports.js';
import type { FieldError } from '../validation/messages.js';
import { checkSteps, type MigrationStep } from './migration-steps.js';
import { MIGRATIONS_FILE, sourceOf } from './snapshot.js';

export interface FilesCheck {
  /** The compiled config, when every check passed. */
  runtime?: AppRuntime;
  /** What `npm run check` says, each naming its document and place (path: "document#/pointer"). */
  problems: FieldError[];
  warnings: string[];
  steps: MigrationStep[];
}

/**
 * A check problem as the API reports it: "forms/x.json: /a/b: 应为…" keeps its whole Chinese
 * text as the message, and its document and JSON pointer become the path ("forms/x.json#/a/b").
 */
export function problemDetail(problem: string): FieldError {
  // "file: /pointer: …", "file#/pointer: …" (both forms occur) or "file:line:column: …".
  const m = /^([^\s:#]+\.[a-z]+)(?:#(\/[^\s:]*))?(?::(\d+):(\d+))?: (?:(\/[^\s:]*): )?/.exec(problem);
  if (!m) return { path: '', message: problem };
  const pointer = m[2] ?? m[5];
  return { path: `${m[1]}${pointer ? `#${pointer}` : ''}`, message: problem };
}

/** The migration steps a version or draft carries (none when it has no migrations.json). */
function readSteps(files: StoredFiles, problems: FieldError[]): unknown {
  const text = files[MIGRATIONS_FILE];
  if (text === undefined) return [];
  if (typeof text !== 'string') return void problems.push({ path: MIGRATIONS_FILE, message: `${MIGRATIONS_FILE}: 应为文本` });
  const raw: string[] = [];
  const parsed = parseConfigJson<unknown>(text, MIGRATIONS_FILE, raw);
  problems.push(...raw.map(problemDetail));
  return raw.length ? undefined : parsed;
}

/**
 * Runs on a set of files exactly the checks of `npm run check` (checkApp) and, when the files
 * compile, checks their migration steps against the config in force: what a draft save reports
 * and what a publish refuses.
 */
export async function checkFiles(current: AppRuntime, files: StoredFiles, root: string): Promise<FilesCheck> {
  const result = await checkApp(sourceOf(files, root));
  const problems = result.problems.map(problemDetail);
  const raw = readSteps(files, problems);
  let steps: MigrationStep[] = [];
  if (raw !== undefined && result.runtime) {
    const stepProblems = checkSteps(current, result.runtime, raw);
    problems.push(...stepProblems.map((p) => ({ path: `${MIGRATIONS_FILE}#${p.path}`, message: `${MIGRATIONS_FILE}: ${p.path || '/'}: ${p.message}` })));
    if (!stepProblems.length) steps = raw as MigrationStep[];
  }
  return { runtime: problems.length ? undefined : result.runtime, problems, warnings: result.warnings, steps };
}
