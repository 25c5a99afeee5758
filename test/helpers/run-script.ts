import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { repoRoot } from './paths.js';

export interface ScriptRun { code: number; stdout: string; stderr: string }

/** A script of the repository run as npm runs it (node with tsx), to its end: exit code and output. */
export function runScript(script: string, args: string[], env: Record<string, string> = {}, timeout = 0): Promise<ScriptRun> {
  return new Promise((done) => {
    execFile(process.execPath, ['--import', 'tsx', join(repoRoot, script), ...args], { cwd: repoRoot, env: { ...process.env, ...env }, timeout },
      (err, stdout, stderr) => done({ code: err ? (typeof err.code === 'number' ? err.code : 1) : 0, stdout, stderr }));
  });
}

/** `npm run admin -- <args>` on a database (a SQLite file or a postgres URL) and an application. */
export const runAdmin = (database: string | undefined, args: string[], app = repoRoot): Promise<ScriptRun> =>
  runScript('engine/tools/admin.ts', args, { ...(database ? { CAIJI_DB: database } : {}), CAIJI_APP: app });
