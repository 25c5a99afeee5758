import { afterAll, beforeAll } from 'vitest';
import { startPgCluster, type PgCluster } from './pg-cluster.js';
import { startServer, type RunningServer } from '../../engine/server.js';
import { repoRoot } from './paths.js';
import { Client } from './client.js';

/**
 * A throwaway PostgreSQL cluster for the tests of one file: started before them (no PostgreSQL
 * installed fails loudly), stopped after. Returns its getter, valid inside the tests.
 */
export function useTestCluster(): () => PgCluster {
  let cluster: PgCluster | undefined;
  beforeAll(async () => {
    cluster = await startPgCluster();
  }, 120_000);
  afterAll(async () => {
    await cluster?.stop();
  });
  return () => cluster!;
}

/** The real server with the demo data on a new database of `cluster`, and a login as a demo user. */
export async function demoServerOn(cluster: PgCluster): Promise<{ server: RunningServer; url: string; login: (username: string) => Promise<Client> }> {
  const url = await cluster.createDatabase();
  const server = await startServer({ appRoot: repoRoot, database: url, port: 0, demo: true });
  const login = (username: string) => Client.login(server.url, username, server.demoLogins.find((l) => l.username === username)!.password);
  return { server, url, login };
}
