/**
 * Two instances starting at once on an empty PostgreSQL database (a fresh rollout, every process
 * of the deployment started together): both find no published config, both make the application's
 * files version 1 — one of them must win and the other go on with the winner's head, not fail its
 * start on the head's primary key. Two engines in this process, each with its own pool, so their
 * transactions really run side by side in the database; a few rounds, each on a new database, so
 * the overlap is not left to luck.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startPgCluster, type PgCluster } from '../helpers/pg-cluster.js';
import { createEngine, type Engine } from '../../engine/engine.js';
import { openStorage } from '../../engine/storage/open-storage.js';
import { repoRoot } from '../helpers/paths.js';

let cluster: PgCluster;
beforeAll(async () => {
  cluster = await startPgCluster();
});
afterAll(async () => {
  await cluster?.stop();
});

describe('two instances starting at once on an empty PostgreSQL database', () => {
  it('both start, on one version 1 and one head', { timeout: 120_000 }, async () => {
    for (let round = 0; round < 3; round++) {
      const url = await cluster.createDatabase();
      // The schema first, as a previous start would leave it: the race is over the config head.
      const store = await openStorage(url);
      await store.maintenance.migrate(store.db);
      const started = await Promise.allSettled([createEngine({ appRoot: repoRoot, database: url }), createEngine({ appRoot: repoRoot, database: url })]);
      const engines = started.filter((s): s is PromiseFulfilledResult<Engine> => s.status === 'fulfilled').map((s) => s.value);
      try {
        expect(started.map((s) => (s.status === 'rejected' ? String(s.reason) : 'started'))).toEqual(['started', 'started']);
        expect(engines.map((e) => e.config.version)).toEqual([1, 1]);
        expect((await store.configVersions.list(store.db)).map((v) => v.number)).toEqual([1]);
        expect((await store.configVersions.head(store.db))?.published).toBe(1);
        expect((await store.configVersions.history(store.db, 10)).map((h) => h.action)).toEqual(['import']);
      } finally {
        await Promise.all(engines.map((e) => e.close()));
        await store.close();
      }
    }
  });
});
