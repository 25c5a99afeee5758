/**
 * The layering of issue 18, checked on the source: the core reaches the database only through
 * the storage port (engine/ports.ts), so a second adapter (PostgreSQL) runs it unchanged. For the
 * folders listed here: no import of an engine/storage/ module, no `engine.db`, no SQLite handle
 * type; core folders import no `Engine`; routes open no transaction (the services do). A folder
 * joins the list once it is rewired.
 */
import { describe, expect, it } from 'vitest';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';

const engineDir = join(import.meta.dirname, '../../engine');

/** Core folders: they speak the port and receive narrow contexts, never the engine. */
const CORE = ['config-versions', 'auth', 'audit', 'query', 'stats', 'seed', 'runtime'];
/** HTTP files: they may hold the Engine and hand its parts on, but reach storage only through it. */
const HTTP = [
  'http/app.ts', 'http/login-throttle.ts', 'http/middleware',
  ...['accounts', 'auth', 'password', 'config-versions', 'draft-codes', 'draft-documents', 'draft-forms', 'query', 'stats', 'audit']
    .map((r) => `http/routes/${r}.ts`),
];

function filesUnder(rel: string): string[] {
  const path = join(engineDir, rel);
  if (!statSync(path).isDirectory()) return [path];
  return readdirSync(path).flatMap((name) => filesUnder(join(rel, name))).filter((f) => f.endsWith('.ts'));
}

/** Each offending line as "file:line: text". */
function offences(rels: string[], rules: RegExp[]): string[] {
  return rels.flatMap(filesUnder).flatMap((file) =>
    readFileSync(file, 'utf8').split('\n').flatMap((line, i) =>
      rules.some((r) => r.test(line)) ? [`${relative(engineDir, file)}:${i + 1}: ${line.trim()}`] : []));
}

const STORAGE_IMPORT = /from '(\.\.\/)+(\.\/)?storage\//;
const ENGINE_DB = /\bengine\.db\b|\.get\('engine'\)\.db\b/;
const SQLITE_TYPES = /\b(Queryable|Database)\b/;

describe('the core reaches the database only through the storage port', () => {
  it('imports no storage module and touches no engine.db in the rewired folders', () => {
    expect(offences([...CORE, ...HTTP], [STORAGE_IMPORT, ENGINE_DB, SQLITE_TYPES])).toEqual([]);
  });

  it('hands the core narrow contexts, not the Engine', () => {
    expect(offences(CORE, [/import.*\bEngine\b.*from/])).toEqual([]);
  });

  it('opens transactions in the services, not in the routes', () => {
    expect(offences(HTTP.filter((f) => f.startsWith('http/routes/')), [/\.transaction\(/])).toEqual([]);
  });
});
