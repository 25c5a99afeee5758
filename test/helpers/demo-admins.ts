import { beforeAll, afterAll } from 'vitest';
import { startTestServer, type TestServer } from './server.js';
import type { Client } from './client.js';
import { nodeId } from './demo.js';

/** A file's demo server with the config admin (`cfg`) and the Beijing admin (`admin`) logged in, and 中共北京市委's id (`root`). */
export interface DemoAdmins { s: TestServer; cfg: Client; admin: Client; root: string }

/** Starts the server before the file's tests and stops it after; the fields are set once beforeAll ran. */
export function useDemoAdmins(): DemoAdmins {
  const w = {} as DemoAdmins;
  beforeAll(async () => {
    w.s = await startTestServer();
    w.cfg = await w.s.login('config_admin');
    w.admin = await w.s.login('bj_admin');
    w.root = await nodeId(w.admin, '中共北京市委');
  }, 60_000);
  afterAll(() => w.s?.stop());
  return w;
}
