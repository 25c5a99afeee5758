/**
 * One throwaway PostgreSQL cluster for a whole vitest run, as a globalSetup
 * (`globalSetup: ['test/helpers/pg-global-setup.ts']`): test files read its maintenance URL with
 * `inject('pgAdminUrl')` and make their databases with createDatabaseAt (test/helpers/pg-cluster.ts).
 * A test that stops and starts the database starts a cluster of its own instead (startPgCluster):
 * stopping this one would fail every other file running meanwhile.
 */
import type { TestProject } from 'vitest/node';
import { startPgCluster } from './pg-cluster.js';

declare module 'vitest' {
  export interface ProvidedContext {
    pgAdminUrl: string;
  }
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const cluster = await startPgCluster();
  project.provide('pgAdminUrl', cluster.adminUrl);
  return () => cluster.stop();
}
