import type {
  Accounts, AuditLog, CompletenessFlags, ConfigVersions, Directory, FactIndex, Grants, ImportLog, LoginFailures, Maintenance,
  ImportPreviews, Jobs, RecordBatch, RecordConditions, RecordScan, RecordStore, SavedQueries, SeedLock, Sessions, Storage, SubtreeStats, TreeNodes, UniqueKeys,
  UnitOfWork, WorkflowFacts,
} from '../../ports.js';
import type { Database } from './sqlite.js';
import { sqliteUnitOfWork } from './unit-of-work.js';
import { recordsTable } from './records.js';
import { recordWrites } from './record-writes.js';
import { recordQuery } from './record-query.js';
import { recordBatch } from './record-batch.js';
import { recordScan } from './record-scan.js';
import { recordConditions } from './record-conditions.js';
import { factIndex, factIndexable } from './fact-index.js';
import { uniqueKeys } from './unique-keys.js';
import { auditLog } from './audit.js';
import { auditOfSubtree, recordTitles } from './audit-query.js';
import { subtreeCounts } from './subtree-counts.js';
import { users } from './users.js';
import { grantStore } from './grants.js';
import { deletedRecordsBy, directoryTable, treeRootPaths } from './directory.js';
import { importLog } from './import-log.js';
import { configVersions } from './config-versions.js';
import { maintenance } from './maintenance.js';
import { migrate } from './migrations.js';
import { loginFailures } from './login-failures.js';
import { completenessFlags } from './completeness.js';
import { workflowFacts } from './workflow-facts.js';
import { treeNodes } from './tree-nodes.js';
import { savedQueries } from './saved-queries.js';
import { jobStore } from './jobs.js';
import { importPreviews } from './import-previews.js';
import { sqliteSeedLock } from './seed-lock.js';

/**
 * The SQLite adapter as the port declares it (engine/ports.ts): the storage modules themselves,
 * grouped, each checked against its interface here. The parts are the same functions the core
 * imports directly, so nothing runs differently through this object; it is the declared contract
 * a second adapter meets (test/contract/storage-contract.ts runs the same suite against both).
 */
export const sqliteParts = {
  unitOfWork: sqliteUnitOfWork satisfies UnitOfWork,
  records: { ...recordsTable, ...recordWrites, ...recordQuery } satisfies RecordStore,
  recordBatch: recordBatch satisfies RecordBatch,
  recordScan: recordScan satisfies RecordScan,
  recordConditions: recordConditions satisfies RecordConditions,
  factIndex: { ...factIndex, indexable: factIndexable } satisfies FactIndex,
  uniqueKeys: uniqueKeys satisfies UniqueKeys,
  audit: { ...auditLog, ofSubtree: auditOfSubtree, recordTitles } satisfies AuditLog,
  subtreeStats: subtreeCounts satisfies SubtreeStats,
  accounts: users satisfies Accounts,
  sessions: users satisfies Sessions,
  grants: grantStore satisfies Grants,
  directory: { ...directoryTable, deletedRecordsBy, treeRootPaths } satisfies Directory,
  importLog: importLog satisfies ImportLog,
  configVersions: configVersions satisfies ConfigVersions,
  maintenance: { ...maintenance, migrate, health: (db: Database) => db.ping() } satisfies Maintenance,
  loginFailures: loginFailures satisfies LoginFailures,
  completeness: completenessFlags satisfies CompletenessFlags,
  workflowFacts: workflowFacts satisfies WorkflowFacts,
  treeNodes: treeNodes satisfies TreeNodes,
  savedQueries: savedQueries satisfies SavedQueries,
  jobs: jobStore satisfies Jobs,
  importPreviews: importPreviews satisfies ImportPreviews,
  seedLock: sqliteSeedLock satisfies SeedLock,
};

/** The port over an open SQLite database (its schema migrated by the caller: maintenance.migrate). */
export function sqliteStorage(db: Database): Storage {
  return { db, location: db.file, ...sqliteParts, close: () => db.close() };
}

