/**
 * The storage contract (storage-contract.ts) run against the PostgreSQL adapter: one throwaway
 * cluster for this file (test/helpers/pg-cluster.ts), a new database per test, migrated through
 * the port. Fails loudly, never skips, when PostgreSQL is not installed.
 */
import { afterAll, beforeAll } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PgDatabase } from '../../engine/storage/postgres/connection.js';
import { postgresStorage } from '../../engine/storage/postgres/postgres-storage.js';
import { restoreFrom } from '../../engine/storage/postgres/maintenance.js';
import { startPgCluster, type PgCluster } from '../helpers/pg-cluster.js';
import { storageContract } from './storage-contract.js';

let cluster: PgCluster;
beforeAll(async () => {
  cluster = await startPgCluster();
});
afterAll(async () => {
  await cluster?.stop();
});

storageContract('PostgreSQL', async () => {
  const scratchDir = mkdtempSync(join(tmpdir(), 'caiji-contract-pg-'));
  const db = await PgDatabase.open(await cluster.createDatabase());
  const storage = postgresStorage(db);
  await storage.maintenance.migrate(storage.db);
  return {
    storage,
    scratchDir,
    async close() {
      await storage.close();
      rmSync(scratchDir, { recursive: true, force: true });
    },
    // Straight at the tables, past the port: the schema's triggers must refuse each.
    probes: {
      rewriteAudit: (id) => db.query('UPDATE audit SET note = $1 WHERE id = $2', ['changed', id]),
      deleteAudit: (id) => db.query('DELETE FROM audit WHERE id = $1', [id]),
      rewriteConfigVersion: (n) => db.query('UPDATE config_versions SET files = $1 WHERE number = $2', ['{}', n]),
      deleteConfigVersion: (n) => db.query('DELETE FROM config_versions WHERE number = $1', [n]),
    },
    // A backup is pg_dump's archive: the copy is a new database it is restored into (the operator's restore).
    async openCopy(file) {
      const url = await cluster.createDatabase();
      await restoreFrom(url, file);
      const copy = postgresStorage(await PgDatabase.open(url));
      return { storage: copy, close: () => copy.close() };
    },
  };
});
