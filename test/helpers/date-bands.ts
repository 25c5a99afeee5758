import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll } from 'vitest';
import { startTestServer, type TestServer } from './server.js';
import type { Client } from './client.js';
import { nodeId } from './demo.js';
import { copyApp } from './app-copy.js';

/** Rewrites a JSON config file of an app copy in place (a schema given a keyword for one test file). */
export const editJson = (file: string, fn: (j: any) => void) =>
  writeFileSync(file, JSON.stringify((() => { const j = JSON.parse(readFileSync(file, 'utf8')); fn(j); return j; })(), null, 2));

/** Full years from `from` to `at` (both 年-月-日), as an age or the years since a date are counted. */
export const fullYears = (from: string, at: string) => Number(at.slice(0, 4)) - Number(from.slice(0, 4)) - (at.slice(5) < from.slice(5) ? 1 : 0);

/** A file's server on a copy of the demo app whose 失联日期 says x-dateBands "none", bj_admin logged in, with 中共北京市委's id and its members. */
export interface NoneBandsApp { s: TestServer; admin: Client; root: string; members: any[] }

/** Starts that server before the file's tests and removes it and its copy after; the fields are set once beforeAll ran. */
export function useNoneBandsApp(): NoneBandsApp {
  const w = {} as NoneBandsApp;
  let dir = '';
  beforeAll(async () => {
    dir = copyApp();
    editJson(join(dir, 'forms/member.schema.json'), (sc) => { sc.properties.lostDate['x-dateBands'] = 'none'; });
    w.s = await startTestServer(dir);
    w.admin = await w.s.login('bj_admin');
    w.root = await nodeId(w.admin, '中共北京市委');
    w.members = (await w.admin.get(`/api/records/member?node=${w.root}&deep=1&limit=500`)).body.items;
  });
  afterAll(async () => { await w.s?.stop(); if (dir) rmSync(dir, { recursive: true, force: true }); });
  return w;
}
