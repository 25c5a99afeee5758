/**
 * How `npm start` runs the server — its environment assignments and node flags, read from
 * package.json's start script — so the benchmarks spawn their servers the same way and measure
 * memory and speed as the product runs.
 */
import { spawn, type ChildProcess, type StdioOptions } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { repoRoot } from '../helpers/paths.js';

const start: string = JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8')).scripts.start;
const m = /^((?:[A-Z_]+=\S+\s+)*)node\s+(.*?)\s*--import tsx engine\/main\.ts$/.exec(start);
if (!m) throw new Error(`package.json start script not understood: ${start}`);

/** Environment variables the start script sets (e.g. MALLOC_ARENA_MAX). */
const productEnv: Record<string, string> = Object.fromEntries(m[1].trim().split(/\s+/).filter(Boolean).map((a) => a.split('=') as [string, string]));
/** Node flags of the start script, before `--import tsx`. */
const productNodeFlags: string[] = m[2].split(/\s+/).filter(Boolean);

/** Runs `script` (TypeScript, through tsx) as `npm start` runs the server; `flags` go before the start script's own. */
export function spawnLikeStart(script: string, env: Record<string, string>, stdio: StdioOptions, flags: string[] = []): ChildProcess {
  return spawn(process.execPath, [...flags, ...productNodeFlags, '--import', 'tsx', script], { env: { ...process.env, ...productEnv, ...env }, stdio });
}
