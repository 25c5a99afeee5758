import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startServer, type RunningServer } from '../../engine/server.js';
import type { Mount } from '../../engine/http/app.js';
import { repoRoot } from './paths.js';
import { Client } from './client.js';
import { inject } from 'vitest';
import { createDatabaseAt } from './pg-cluster.js';

export interface TestServer extends RunningServer {
  /** The database it runs on: a SQLite file's path, or a postgres:// URL. */
  dbFile: string;
  /** A client logged in as this demo user (password from the demo data). */
  login(username: string, password?: string): Promise<Client>;
  anonymous(): Client;
  stop(): Promise<void>;
}

/**
 * The database a test server runs on: a new SQLite file in `dir`, or — in the test run's
 * `postgres` project (CAIJI_TEST_DB=postgres) — a new database on the run's PostgreSQL cluster.
 */
export async function testDatabase(dir: string): Promise<string> {
  if (process.env.CAIJI_TEST_DB === 'postgres') return createDatabaseAt(inject('pgAdminUrl'));
  return join(dir, 'test.db');
}

/** The real server on a free port with a fresh database (see testDatabase), demo data loaded. */
export async function startTestServer(appRoot = repoRoot, opts: { demo?: boolean; mounts?: Mount[]; watchConfig?: boolean } = {}): Promise<TestServer> {
  const dir = mkdtempSync(join(tmpdir(), 'caiji-test-'));
  const dbFile = await testDatabase(dir);
  const server = await startServer({ appRoot, database: dbFile, port: 0, demo: opts.demo ?? true, mounts: opts.mounts, watchConfig: opts.watchConfig });
  const passwords = new Map(server.demoLogins.map((l) => [l.username, l.password]));
  return {
    ...server,
    dbFile,
    anonymous: () => new Client(server.url),
    async login(username, password) {
      const client = new Client(server.url);
      const res = await client.post('/api/login', { username, password: password ?? passwords.get(username) });
      if (res.status !== 200) throw new Error(`login ${username} failed: ${res.status} ${JSON.stringify(res.body)}`);
      return client;
    },
    async stop() {
      await server.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
