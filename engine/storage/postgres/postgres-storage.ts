import type {
  FactIndex, RecordConditions, TreeNodes,
  Accounts, Directory, Grants, ImportLog, ImportPreviews, Jobs, LoginFailures, Maintenance, SavedQueries, Sessions, Storage, UnitOfWork,
} from '../../ports.js';
import type { PgDatabase } from './connection.js';
import { postgresUnitOfWork } from './unit-of-work.js';
import { pgUsers } from './users.js';
import { pgGrants } from './grants.js';
import { pgDirectory } from './directory.js';
import { pgImportLog } from './import-log.js';
import { pgMaintenance } from './maintenance.js';
import { pgLoginFailures } from './login-failures.js';
import { pgSavedQueries } from './saved-queries.js';
import { pgJobStore } from './jobs.js';
import { pgImportPreviews } from './import-previews.js';
import { pgRecordConditions } from './record-conditions.js';
import { pgFactIndex } from './fact-index.js';
import { pgTreeNodes } from './tree-nodes.js';

/**
 * The PostgreSQL adapter as the port declares it (engine/ports.ts), assembled like the SQLite one
 * (engine/storage/sqlite-storage.ts): each part checked against its interface here. The database
 * handle is a PgDatabase; a transaction's handle a PgTransaction (connection.ts).
 */
export const postgresParts = {
  unitOfWork: postgresUnitOfWork satisfies UnitOfWork,
  accounts: pgUsers satisfies Accounts,
  sessions: pgUsers satisfies Sessions,
  grants: pgGrants satisfies Grants,
  directory: pgDirectory satisfies Directory,
  importLog: pgImportLog satisfies ImportLog,
  maintenance: pgMaintenance satisfies Maintenance,
  loginFailures: pgLoginFailures satisfies LoginFailures,
  savedQueries: pgSavedQueries satisfies SavedQueries,
  jobs: pgJobStore satisfies Jobs,
  importPreviews: pgImportPreviews satisfies ImportPreviews,
  recordConditions: pgRecordConditions satisfies RecordConditions,
  factIndex: pgFactIndex satisfies FactIndex,
  treeNodes: pgTreeNodes satisfies TreeNodes,
};

/**
 * The port over an open PostgreSQL database (its schema migrated by the caller:
 * maintenance.migrate). Partial while the records and query parts are still being built.
 */
export function postgresStorage(db: PgDatabase): Partial<Storage> {
  return { db, ...postgresParts, close: () => db.close() };
}
