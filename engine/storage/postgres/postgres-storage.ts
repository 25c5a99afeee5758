import type {
  FactIndex, RecordConditions, TreeNodes,
  AuditLog, CompletenessFlags, RecordBatch, RecordScan, RecordStore, SubtreeStats, UniqueKeys, WorkflowFacts,
  Accounts, ConfigVersions, Directory, Grants, ImportLog, ImportPreviews, Jobs, LoginFailures, Maintenance, SavedQueries, SeedLock, Sessions, Storage, UnitOfWork,
} from '../../ports.js';
import { redactUrl, type PgDatabase } from './connection.js';
import { postgresUnitOfWork } from './unit-of-work.js';
import { pgUsers } from './users.js';
import { pgGrants } from './grants.js';
import { pgDirectory } from './directory.js';
import { pgConfigVersions } from './config-versions.js';
import { pgImportLog } from './import-log.js';
import { pgMaintenance } from './maintenance.js';
import { pgLoginFailures } from './login-failures.js';
import { pgSavedQueries } from './saved-queries.js';
import { pgJobStore } from './jobs.js';
import { pgImportPreviews } from './import-previews.js';
import { pgSeedLock } from './seed-lock.js';
import { pgRecordConditions } from './record-conditions.js';
import { pgFactIndex } from './fact-index.js';
import { pgTreeNodes } from './tree-nodes.js';
import { pgRecordsTable } from './records.js';
import { pgRecordWrites } from './record-writes.js';
import { pgRecordQuery } from './record-query.js';
import { pgRecordBatch } from './record-batch.js';
import { pgRecordScan } from './record-scan.js';
import { pgUniqueKeys } from './unique-keys.js';
import { pgAuditLog } from './audit.js';
import { pgAuditOfSubtree, pgRecordTitles } from './audit-query.js';
import { pgSubtreeCounts } from './subtree-counts.js';
import { pgCompletenessFlags } from './completeness.js';
import { pgWorkflowFacts } from './workflow-facts.js';

/**
 * The PostgreSQL adapter as the port declares it (engine/ports.ts), assembled like the SQLite one
 * (engine/storage/sqlite/sqlite-storage.ts): each part checked against its interface here. The database
 * handle is a PgDatabase; a transaction's handle a PgTransaction (connection.ts).
 */
export const postgresParts = {
  unitOfWork: postgresUnitOfWork satisfies UnitOfWork,
  records: { ...pgRecordsTable, ...pgRecordWrites, ...pgRecordQuery } satisfies RecordStore,
  recordBatch: pgRecordBatch satisfies RecordBatch,
  recordScan: pgRecordScan satisfies RecordScan,
  uniqueKeys: pgUniqueKeys satisfies UniqueKeys,
  audit: { ...pgAuditLog, ofSubtree: pgAuditOfSubtree, recordTitles: pgRecordTitles } satisfies AuditLog,
  subtreeStats: pgSubtreeCounts satisfies SubtreeStats,
  completeness: pgCompletenessFlags satisfies CompletenessFlags,
  workflowFacts: pgWorkflowFacts satisfies WorkflowFacts,
  accounts: pgUsers satisfies Accounts,
  sessions: pgUsers satisfies Sessions,
  grants: pgGrants satisfies Grants,
  directory: pgDirectory satisfies Directory,
  configVersions: pgConfigVersions satisfies ConfigVersions,
  importLog: pgImportLog satisfies ImportLog,
  maintenance: pgMaintenance satisfies Maintenance,
  loginFailures: pgLoginFailures satisfies LoginFailures,
  savedQueries: pgSavedQueries satisfies SavedQueries,
  jobs: pgJobStore satisfies Jobs,
  importPreviews: pgImportPreviews satisfies ImportPreviews,
  seedLock: pgSeedLock satisfies SeedLock,
  recordConditions: pgRecordConditions satisfies RecordConditions,
  factIndex: pgFactIndex satisfies FactIndex,
  treeNodes: pgTreeNodes satisfies TreeNodes,
};

/** The port over an open PostgreSQL database (its schema migrated by the caller: maintenance.migrate). */
export function postgresStorage(db: PgDatabase): Storage {
  return { db, location: redactUrl(db.url), ...postgresParts, close: () => db.close() } satisfies Storage;
}
