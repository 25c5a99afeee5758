/**
 * The storage contract (storage-contract.ts) run against the SQLite adapter: each test gets a new
 * database file in a directory of its own, migrated through the port.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Database } from '../../engine/storage/sqlite/sqlite.js';
import { sqliteStorage } from '../../engine/storage/sqlite/sqlite-storage.js';
import { storageContract } from './storage-contract.js';

storageContract('SQLite', async () => {
  const scratchDir = mkdtempSync(join(tmpdir(), 'caiji-contract-'));
  const db = await Database.open(join(scratchDir, 'store.db'));
  const storage = sqliteStorage(db);
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
      rewriteAudit: (id) => db.run('UPDATE audit SET note = ? WHERE id = ?', ['changed', id]),
      deleteAudit: (id) => db.run('DELETE FROM audit WHERE id = ?', [id]),
      rewriteConfigVersion: (n) => db.run('UPDATE config_versions SET files = ? WHERE number = ?', ['{}', n]),
      deleteConfigVersion: (n) => db.run('DELETE FROM config_versions WHERE number = ?', [n]),
    },
    async openCopy(file) {
      const copy = sqliteStorage(await Database.open(file));
      return { storage: copy, close: () => copy.close() };
    },
  };
});
