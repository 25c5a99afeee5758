/**
 * The storage port: everything the core asks of a database, declared once as interfaces over
 * data. The core speaks these; an adapter speaks SQL, each in its folder of engine/storage/:
 * sqlite/ (the embedded default, assembled in sqlite-storage.ts) and postgres/ (the server
 * database, postgres-storage.ts); engine/storage/open-storage.ts picks one from CAIJI_DB, and
 * engine/storage/common/ holds what both share. Every behaviour behind these signatures —
 * refusals, keys, audit, counters, scopes, cursors, sessions — is pinned by the contract suite in
 * test/contract/storage-contract.ts, which runs unchanged on each adapter.
 *
 * The data types below are the port's own, declared in engine/port-types/ (one file per area) and
 * re-exported here; none holds a SQLite type, and both adapters import them from here.
 * Where a signature still leaks the SQLite adapter (a row's column names, a rowid cursor, a SQL
 * filter), the member says so: the contract a second adapter must meet is what is written here.
 */
import type { StoredRecord, WriteAudit, NodeGuard, KeyRow } from './port-types/records.js';
import type { ReadScope, RecordFilter, ScanCursor, ConditionQuery, GroupKey, SortBy, ValuePlace } from './port-types/record-query.js';
import type { UniqueKey } from './config/types.js';
import type { CounterRow } from './port-types/subtree-counts.js';
import type { AuditEntry, AuditFilter } from './port-types/audit.js';
import type { UserRow, NodeGrant, SubtreeGrant, FailureCount } from './port-types/accounts.js';
import type { Grant, Principal } from './auth/principal.js';
import type { DirectoryLoader, DirectoryRow, ForeignRow } from './port-types/directory.js';
import type { ImportLogEntry, StoredPreview } from './port-types/import.js';
import type { RowAction } from './import/preview-rows.js';
import type { ConfigHead, ConfigVersionRow, DraftRow, HistoryEntry, StoredFiles } from './port-types/config-versions.js';
import type { CodeMatch, FlagRow } from './port-types/completeness.js';
import type { SavedQuery } from './port-types/saved-queries.js';
import type { JobError, JobRow } from './port-types/jobs.js';
import type { PreviewRow } from './import/preview-rows.js';

export type { StoredRecord, WriteAudit, NodeGuard, ReadScope, RecordFilter, ScanCursor, KeyRow, CounterRow, AuditEntry, AuditFilter };
export type { UserRow, NodeGrant, SubtreeGrant, DirectoryLoader, DirectoryRow, ForeignRow, ImportLogEntry };
export type { ConfigHead, ConfigVersionRow, DraftRow, HistoryEntry, StoredFiles, FailureCount, CodeMatch, FlagRow, SavedQuery };
export type { ConditionQuery, GroupKey, SortBy, JobError, JobRow, StoredPreview, ValuePlace };
export type { Condition } from './port-types/record-query.js';
export type { ActionSet, FieldChange, RowChange, RowsDiff } from './port-types/audit.js';

/*
 * Values that belong to the port's contract rather than to one adapter: the refusal every adapter
 * throws, the id scheme, how a unique key is named and valued, how an audit diff is computed, how
 * long a session lives. The core and every adapter import them from here; their definitions sit
 * in engine/storage/common/, beside the code both adapters share.
 */
export { RecordWriteRefused } from './storage/common/write-refused.js';
export { newId } from './storage/common/ids.js';
export { keyName, keyValue, keyEntries } from './storage/common/keys.js';
export { auditDiff, diffFields, diffRows } from './storage/common/audit-diff.js';
export { SESSION_HOURS } from './storage/common/sessions.js';
export { authEpoch } from './storage/common/auth-epoch.js';
/** Why a record write was refused; adapters throw `RecordWriteRefused` (engine/storage/common/write-refused.ts) carrying it. */
export type { WriteRefusal } from './port-types/records.js';

declare const txBrand: unique symbol;

/**
 * A handle on the database the adapter hands out — the database itself (reads, one-statement
 * writes) or an open transaction — and the core only hands back. Opaque: the core can pass it
 * on, never query through it. (SQLite: a `Queryable`; the database is a `Database`.)
 */
export type Tx = object & { readonly [txBrand]?: 'storage handle' };

/** All or nothing. */
export interface UnitOfWork {
  /**
   * Runs fn in one transaction on the database `db` (not on a transaction: there is no nesting),
   * after every write queued before it; a throw rolls everything fn wrote back and is rethrown.
   */
  transaction<T>(db: Tx, fn: (tx: Tx) => Promise<T>): Promise<T>;
  /** Inside a transaction: a throw from fn undoes only what fn wrote, and is rethrown. */
  savepoint<T>(tx: Tx, fn: (tx: Tx) => Promise<T>): Promise<T>;
}

/**
 * The records: reads, the one-call write, pages and counts. A write stores the record, its unique
 * keys, its audit entry and the subtree counters together (one statement on SQLite), or nothing;
 * a refusal is a `RecordWriteRefused` naming stale, node_changed, duplicate or config_changed.
 */
export interface RecordStore {
  get(db: Tx, id: string): Promise<StoredRecord | undefined>;
  /** Those of the ids that exist, in any order. */
  getMany(db: Tx, ids: string[]): Promise<StoredRecord[]>;
  /**
   * Deletes the record with its keys; its audit entry is the caller's (AuditLog.append). With
   * `expectedVersion` only that version is deleted: a record changed (or deleted) since it was
   * read is refused as stale and kept — on a server database a concurrent update may commit
   * between the caller's read and this delete.
   */
  delete(db: Tx, id: string, expectedVersion?: number): Promise<void>;
  /** Rewrites the paths of every record under oldPrefix (any collection) to start with newPrefix. */
  movePaths(db: Tx, oldPrefix: string, newPrefix: string): Promise<void>;
  anyOf(db: Tx, collection: string): Promise<boolean>;
  none(db: Tx): Promise<boolean>;
  /** Demo data only: a state without a transition or an audit entry. */
  placeInState(db: Tx, id: string, state: string): Promise<void>;
  /**
   * Whether anything but the node itself lies in its subtree. In a transaction (a delete of the
   * node follows) it waits for writes hanging records on the node, and writes after it wait for
   * that transaction: an empty node is never deleted under a record being written.
   */
  hasDescendants(db: Tx, node: StoredRecord): Promise<boolean>;

  /**
   * A new record holding `keys` ([key name, value]); `guard`: the node it hangs on, as read (refused
   * as node_changed when it moved or vanished); `configVersion`: the config version it was checked
   * under (refused as config_changed unless it is the published one; null: unchecked). The record
   * is stamped with the published config version.
   */
  create(db: Tx, r: StoredRecord, keys: [string, string][], audit: WriteAudit, guard?: NodeGuard, configVersion?: number | null): Promise<void>;
  /** Version r.version over `expectedVersion` (else stale); keys null keeps the record's keys. */
  update(db: Tx, r: StoredRecord, expectedVersion: number, keys: [string, string][] | null, audit: WriteAudit, guard?: NodeGuard, configVersion?: number | null): Promise<void>;
  /** An update that must land under exactly this config version (a publish's migration). */
  updateUnder(db: Tx, configVersion: number, r: StoredRecord, expectedVersion: number, keys: [string, string][] | null, audit: WriteAudit): Promise<void>;

  /**
   * A page in insertion order after an opaque cursor (from the page before; anything else is
   * refused as a DomainError bad_request). A cursor stays valid while records are added: the next
   * page goes on where the last one stopped, and new records come after the old ones.
   */
  page(db: Tx, f: RecordFilter, limit: number, cursor?: string): Promise<{ items: StoredRecord[]; nextCursor: string | null }>;
  count(db: Tx, f: RecordFilter): Promise<number>;
  /** Every matching id, in insertion order. */
  ids(db: Tx, f: RecordFilter): Promise<string[]>;
  /**
   * How many records hold each of `values` (as text) in any of `places` (a top-level field, or a
   * child table's column in any row), optionally in a subtree, each record counted once per value.
   */
  countByValue(db: Tx, collection: string, places: ValuePlace[], values: string[], subtree?: string): Promise<Map<string, number>>;
  /** Chosen top-level fields of every match, in path order. */
  fields(db: Tx, f: RecordFilter, fields: string[]): Promise<{ id: string; path: string; values: Record<string, unknown> }[]>;
  fieldOf(db: Tx, ids: string[], field: string): Promise<Map<string, unknown>>;
}

/**
 * Many new records at once, in the caller's transaction: the records, their keys and a 'create'
 * audit entry each, the config version stamped; refused as a whole (DomainError conflict
 * config_changed) when `validatedUnder` is no longer the published version, and by a key clash;
 * on a server database also (DomainError conflict node_changed) when a node the records hang on
 * was deleted or moved since their paths were read (SQLite's one writer never lets that happen).
 */
export interface RecordBatch {
  insert(tx: Tx, records: StoredRecord[], keys: KeyRow[], note: string | null, validatedUnder?: number | null): Promise<void>;
  takenKeyValue(tx: Tx, collection: string, key: string, values: string[]): Promise<string | null>;
}

/** A whole collection (or subtree) read batch by batch; the cursor is the adapter's. */
export interface RecordScan {
  batch(db: Tx, collection: string, limit: number, cursor?: ScanCursor, subtree?: string): Promise<{ records: StoredRecord[]; next: ScanCursor | null }>;
}

/** Records by a condition tree within a read scope (查询统计). */
export interface RecordConditions {
  page(db: Tx, q: ConditionQuery, opts: { limit: number; offset: number; sort?: SortBy }): Promise<{ items: StoredRecord[]; more: boolean }>;
  count(db: Tx, q: ConditionQuery): Promise<number>;
  groupCount(db: Tx, q: ConditionQuery, keys: GroupKey[]): Promise<{ keys: (string | number | null)[]; n: number }[]>;
}

/** Grouped counts of code fields read from an index of them (an adapter may compute them any way). */
export interface FactIndex {
  ensure(db: Tx, collection: string, fields: string[]): Promise<void>;
  /**
   * `read`: the fields whose values the caller reads (all of `fields` when absent); an adapter
   * that reads the records rather than an index of all `fields` may group by these alone and
   * answer null for the others.
   */
  groupCount(db: Tx, collection: string, fields: string[], scope: ReadScope, childOf?: string, read?: string[]): Promise<{ values: (string | null)[]; child?: string; n: number }[]>;
  /** Whether groupCount serves these fields of the collection (else the caller counts through RecordConditions.groupCount). */
  indexable(collection: string, fields: string[]): boolean;
}

/** Unique keys across the system, enforced by the store inside the write itself. */
export interface UniqueKeys {
  holders(db: Tx, collection: string, key: string, values: string[]): Promise<Map<string, string>>;
  /** The first of `keys` whose value in `data` another record than selfId holds. */
  clash(db: Tx, collection: string, keys: UniqueKey[], data: Record<string, unknown>, selfId: string): Promise<UniqueKey | null>;
}

/** Records' titles as AuditLog.recordTitles reads them, with where each record is (or, deleted, last was). */
export interface RecordTitlesRead {
  titles: Map<string, string>;
  live: Set<string>;
  places: Map<string, { collection: string; path: string | null }>;
}

/** The append-only audit log: entries are added, never changed or removed (the store refuses it). */
export interface AuditLog {
  /** An entry placed at its record's path (or, for a record just deleted, the path of its last entry). */
  append(db: Tx, e: Omit<AuditEntry, 'id' | 'at'> & { at?: string }): Promise<void>;
  forRecord(db: Tx, recordId: string, page?: { limit?: number; before?: number }): Promise<{ entries: AuditEntry[]; more: boolean }>;
  countForRecord(db: Tx, recordId: string): Promise<number>;
  /** A subtree's entries, newest first. */
  ofSubtree(db: Tx, f: AuditFilter): Promise<{ entries: AuditEntry[]; more: boolean }>;
  /**
   * The titles of records by id, each read from its own title field (`field`, a top-level data
   * field): a stored record's current value, else — deleted — the value its delete entry's diff
   * held before. `live`: the ids still stored. A record without a title is in neither map nor set
   * beyond `live`. `places`: each record found, live or deleted, with its collection and path — a
   * deleted one's as its delete entry kept them — for the caller to check who may read the title.
   */
  recordTitles(db: Tx, wanted: { id: string; field: string }[]): Promise<RecordTitlesRead>;
}

/** Per-node counters of the records in each subtree, current in every writing transaction. */
export interface SubtreeStats {
  /** The node is named by its path: an adapter may keep the counters of different parts of the tree apart (PostgreSQL: by region). */
  ofNode(db: Tx, nodePath: string, collections: string[]): Promise<CounterRow[]>;
  countUnder(db: Tx, tree: string, nodePath: string, collection: string, state: string | null, deep: boolean): Promise<number>;
}

/** Accounts. `UserRow` leaks the SQLite column names (snake_case): a second adapter returns the same shape. */
export interface Accounts {
  byName(db: Tx, username: string): Promise<UserRow | undefined>;
  all(db: Tx): Promise<UserRow[]>;
  bySelfRecord(db: Tx, recordId: string): Promise<UserRow | undefined>;
  /**
   * A new account. A username is held once and a record has at most one account, kept by the
   * store itself (two servers creating at once: one wins); the loser is refused as a DomainError
   * invalid naming /username or /record (engine/storage/common/account-clash.ts).
   */
  create(db: Tx, u: { username: string; passwordHash: string; displayName: string; self?: { collection: string; recordId: string }; mustChangePassword?: boolean }): Promise<string>;
  grant(db: Tx, userId: string, role: string, nodeId: string): Promise<void>;
  /** Grants with their nodes' current paths, in path order. */
  grants(db: Tx, userId: string): Promise<Grant[]>;
  /** Compare-and-set on the hash; ends the user's other sessions. */
  replacePassword(db: Tx, userId: string, was: string, hash: string, keepSession: string): Promise<boolean>;
  resetPassword(db: Tx, userId: string, hash: string): Promise<void>;
  setLocked(db: Tx, userId: string, locked: boolean): Promise<boolean>;
  principalByName(db: Tx, username: string): Promise<Principal | undefined>;
}

/** Login sessions: only a hash of the token is stored; a session lives SESSION_HOURS. */
export interface Sessions {
  /** `replacing`: the token of the session this one replaces, which ends. */
  startSession(db: Tx, userId: string, replacing?: string): Promise<{ token: string; csrf: string; expires: Date }>;
  /** By the session's id (Principal.sessionId), not its token. */
  endSession(db: Tx, sessionId: string): Promise<void>;
  /** Undefined when unknown, expired or the account is locked. */
  session(db: Tx, token: string): Promise<{ principal: Principal; expiresAt: number } | undefined>;
  principal(db: Tx, token: string): Promise<Principal | undefined>;
  /**
   * Where "who may do what" stands: a number that moves forward with every committed write that
   * can change it (grants added or removed, accounts created or locked, passwords reset or
   * replaced, sessions ended, records deleted, tree paths moved) and stays put otherwise. A
   * principal read while it stood at n is still current while it stands at n: the principal cache
   * (engine/auth/principal-cache.ts) asks once per request. On a database several processes share
   * (PostgreSQL) it lives in the database, bumped in the writing transaction, so a revocation on
   * one instance holds on every other from its next request; SQLite answers its process's counter
   * (authEpoch: one writer process is its normal case), and the cache's TTL bounds what another
   * process on the same file changed.
   */
  epoch(db: Tx): Promise<number>;
}

/** Grants as the grants API shows and changes them. */
export interface Grants {
  onNode(db: Tx, nodeId: string): Promise<NodeGrant[]>;
  /** `upper`: pathUpperBound(path) (engine/tree-paths.ts). */
  inSubtree(db: Tx, path: string, upper: string, labelField: string, limit: number): Promise<SubtreeGrant[]>;
  grantedNodes(db: Tx): Promise<string[]>;
  nodesOfBoundRecord(db: Tx, recordId: string): Promise<string[]>;
  userByName(db: Tx, username: string): Promise<{ id: string; username: string; display_name: string } | undefined>;
  userBoundTo(db: Tx, recordId: string): Promise<{ id: string; username: string; display_name: string } | undefined>;
  /** False when the grant was there already. */
  add(db: Tx, userId: string, role: string, nodeId: string): Promise<boolean>;
  /** False when there was no such grant. */
  remove(db: Tx, userId: string, role: string, nodeId: string): Promise<boolean>;
}

/** The imported lookup directory and what a lookup finds beside it. */
export interface Directory {
  find(db: Tx, collection: string, key: string, value: string): Promise<DirectoryRow | null>;
  /** All of a row's keys or none: the first stored row mayReplace refuses is returned and nothing is written. */
  put(db: Tx, collection: string, keys: [string, string][], data: Record<string, unknown>, loader: DirectoryLoader,
    mayReplace: (stored: DirectoryLoader) => boolean): Promise<ForeignRow | null>;
  deletedRecordsBy(db: Tx, collection: string, field: string, value: string, limit?: number): Promise<{ recordId: string; at: string; actor: string | null; data: Record<string, unknown> }[]>;
  treeRootPaths(db: Tx, treeCollection: string): Promise<string[]>;
}

export interface ImportLog {
  add(db: Tx, e: { id: string; collection: string; actor: string | null; filename: string | null; total: number; counts: Record<RowAction, number>; errorsFile: Buffer | null }): Promise<void>;
  finish(db: Tx, id: string, status: 'committed' | 'failed', message?: string | null): Promise<void>;
  get(db: Tx, id: string): Promise<ImportLogEntry | undefined>;
  errorsFile(db: Tx, id: string): Promise<Buffer | null>;
  list(db: Tx, collection: string, actor: string | null, limit?: number): Promise<ImportLogEntry[]>;
}

/** The config as data: immutable numbered versions, the head naming the published one, one draft, an append-only history. */
export interface ConfigVersions {
  head(db: Tx): Promise<ConfigHead | undefined>;
  /** The first head; false (nothing written) when one exists — another instance starting at the same moment made it. */
  initHead(tx: Tx, published: number, filesHash: string): Promise<boolean>;
  /**
   * Compare-and-set: false when `expected` is no longer the published version. Record writes do not
   * interleave with it: one checked under `expected` and in flight commits before the head moves
   * (the publish's migration sees it); one coming after waits for the publish and is config_changed.
   */
  setPublished(tx: Tx, next: number, expected: number): Promise<boolean>;
  setFilesImported(tx: Tx, version: number | null, hash: string): Promise<void>;
  list(db: Tx): Promise<ConfigVersionRow[]>;
  get(db: Tx, number: number): Promise<(ConfigVersionRow & { files: StoredFiles }) | undefined>;
  /** Appends the next version (one above the highest) and returns its number. */
  insert(tx: Tx, v: Omit<ConfigVersionRow, 'number'> & { files: StoredFiles }): Promise<number>;
  draft(db: Tx): Promise<DraftRow | undefined>;
  createDraft(tx: Tx, d: { base: number; files: StoredFiles; origin: string; actor: string | null; at: string }): Promise<boolean>;
  saveDraft(tx: Tx, files: StoredFiles, expected: number, actor: string, at: string, base?: number): Promise<boolean>;
  propose(tx: Tx, expected: number, actor: string, at: string, note: string): Promise<boolean>;
  deleteDraft(tx: Tx): Promise<void>;
  appendHistory(tx: Tx, e: Omit<HistoryEntry, 'id' | 'at' | 'draft' | 'version' | 'note' | 'detail'> & Partial<HistoryEntry>): Promise<void>;
  history(db: Tx, limit: number, before?: number): Promise<HistoryEntry[]>;
  /** Leaks the SQLite rowid: `after`/`seq` are insertion positions; a second adapter keeps its own. */
  recordsAfter(tx: Tx, collection: string, after: number, limit: number): Promise<{ seq: number; record: StoredRecord }[]>;
  countRecords(tx: Tx, collections: string[]): Promise<number>;
  recordVersion(db: Tx, id: string): Promise<number | null>;
}

/** What a backup holds (counted in the copy's own snapshot), and the operator's restore step in words. */
export interface BackupResult { records: number; users: number; restore: string }

/** The database as a whole, for the server's start and the operator's tool. */
export interface Maintenance {
  /** Brings the schema up to date (up to `upTo`, for tests); returns the newest version. Takes the database, not a transaction. */
  migrate(db: Tx, upTo?: number): Promise<number>;
  /**
   * A consistent copy into `file` (which must not exist) while the database keeps serving; says
   * what the copy holds and how the operator restores it. Takes the database.
   */
  backupTo(db: Tx, file: string): Promise<BackupResult>;
  counts(db: Tx): Promise<{ records: number; users: number }>;
  /** Resolves when the database answers (the health check). */
  health(db: Tx): Promise<void>;
}

/** Failed password guesses per key, shared by every server process on the database. add, block and prune run inside a transaction. */
export interface LoginFailures {
  read(db: Tx, keys: string[], now: number): Promise<FailureCount[]>;
  add(tx: Tx, key: string, now: number, expiresAt: number, keepExpiry: boolean): Promise<FailureCount>;
  block(tx: Tx, key: string, until: number): Promise<void>;
  clear(db: Tx, key: string): Promise<void>;
  prune(tx: Tx, now: number): Promise<void>;
}

/** The stored completeness flags, rewritten after a config change. `after`/`seq` leak the SQLite rowid. */
export interface CompletenessFlags {
  count(db: Tx, collection: string, matches: CodeMatch[] | null): Promise<number>;
  batch(db: Tx, collection: string, matches: CodeMatch[] | null, after: number, limit: number): Promise<FlagRow[]>;
  /**
   * Rewrites the flag; with `version`, only if the record is still at the version its row was read
   * at (false otherwise): a save committed since — on a server database, between the batch's read
   * and this write — keeps the verdict it was saved with.
   */
  set(db: Tx, id: string, complete: boolean, version?: number): Promise<boolean>;
}

/** What workflow guards read. */
export interface WorkflowFacts {
  countOnNode(db: Tx, collection: string, nodeId: string | null): Promise<number>;
  countByState(db: Tx, collection: string): Promise<{ state: string; n: number }[]>;
  lastSender(db: Tx, recordId: string, event: string): Promise<string | null | undefined>;
  dataOf(db: Tx, ids: string[]): Promise<Map<string, Record<string, unknown>>>;
}

/** The tree's shape for the tree routes. */
export interface TreeNodes {
  childIds(db: Tx, tree: string, nodeId: string): Promise<string[]>;
  withChildren(db: Tx, tree: string, nodeIds: string[]): Promise<Set<string>>;
  labels(db: Tx, labelField: string, ids: string[]): Promise<Map<string, string | null>>;
}

export interface SavedQueries {
  list(db: Tx, owner: string, collection: string, readPaths: string[]): Promise<SavedQuery[]>;
  create(db: Tx, q: Omit<SavedQuery, 'id' | 'createdAt' | 'ownerName'>): Promise<string>;
  remove(db: Tx, owner: string, id: string): Promise<boolean>;
}

/**
 * Long jobs shared by every server instance on the database (engine/jobs/jobs.ts). A running
 * job's heartbeat (ms) is refreshed by its instance; one older than `staleBefore` means the
 * instance died. `start` runs in a transaction and must count and insert atomically across
 * instances (SQLite: the one writer; a server database: a lock on the owner's jobs).
 */
export interface Jobs {
  /** Fails the dead jobs, then starts the job unless its owner runs `max` of its kind: how many they run when refused, null when started. */
  start(tx: Tx, job: { id: string; owner: string; kind: string; total: number; instance: string; now: number }, max: number, staleBefore: number, lost: JobError): Promise<number | null>;
  /** Progress of a running job (a no-op once it finished), which also refreshes its heartbeat. */
  progress(db: Tx, id: string, done: number, total: number, now: number): Promise<void>;
  /** A piece of a file result, seq from 0, written before finish. */
  putChunk(db: Tx, id: string, seq: number, chunk: Buffer): Promise<void>;
  finish(db: Tx, id: string, end: { status: 'done' | 'failed'; done: number; total: number; result?: unknown; error?: JobError; file?: { contentType: string; filename: string; size: number } }, now: number): Promise<void>;
  get(db: Tx, id: string): Promise<JobRow | undefined>;
  /** The file result's pieces, joined in order. */
  file(db: Tx, id: string): Promise<Buffer>;
  failStale(db: Tx, staleBefore: number, now: number, lost: JobError): Promise<number>;
  /** Deletes the jobs finished before `before`, with their files. */
  sweep(db: Tx, before: number): Promise<void>;
}

/** Import previews kept between upload and commit, for whichever instance the commit reaches. */
export interface ImportPreviews {
  put(db: Tx, p: Omit<StoredPreview, 'state'>, rows: PreviewRow[]): Promise<void>;
  get(db: Tx, id: string): Promise<StoredPreview | undefined>;
  rows(db: Tx, id: string): Promise<PreviewRow[]>;
  /**
   * The commit's claim, as the first write of the commit's own transaction: removes the owner's
   * open preview and holds it until that transaction ends — committed, it is gone for good;
   * rolled back for any reason (a refused row, the database lost, the process killed), it is
   * open again without anyone releasing it. False, without waiting, when another transaction (on
   * any instance) holds it or it is gone.
   */
  take(tx: Tx, id: string, owner: string): Promise<boolean>;
  remove(db: Tx, id: string): Promise<void>;
  /** Deletes the previews made before `before`, but not one a commit's transaction holds. */
  sweep(db: Tx, before: number): Promise<void>;
}

/** One seeding of an empty database, however many instances start on it at once. */
export interface SeedLock {
  /**
   * First in the seeding transaction: waits while another instance's seeding transaction runs
   * (held until this one ends), so that a check for emptiness after it sees that one's data.
   */
  hold(tx: Tx): Promise<void>;
}

/** One adapter: an open database and every part of the port over it. */
export interface Storage {
  /** The open database: reads and one-statement writes outside a transaction, and what transaction() opens on. */
  readonly db: Tx;
  /** Where the data lives, for the operator: a SQLite file's path, or a server URL with its password masked. */
  readonly location: string;
  readonly unitOfWork: UnitOfWork;
  readonly records: RecordStore;
  readonly recordBatch: RecordBatch;
  readonly recordScan: RecordScan;
  readonly recordConditions: RecordConditions;
  readonly factIndex: FactIndex;
  readonly uniqueKeys: UniqueKeys;
  readonly audit: AuditLog;
  readonly subtreeStats: SubtreeStats;
  readonly accounts: Accounts;
  readonly sessions: Sessions;
  readonly grants: Grants;
  readonly directory: Directory;
  readonly importLog: ImportLog;
  readonly configVersions: ConfigVersions;
  readonly maintenance: Maintenance;
  readonly loginFailures: LoginFailures;
  readonly completeness: CompletenessFlags;
  readonly workflowFacts: WorkflowFacts;
  readonly treeNodes: TreeNodes;
  readonly savedQueries: SavedQueries;
  readonly jobs: Jobs;
  readonly importPreviews: ImportPreviews;
  readonly seedLock: SeedLock;
  /** Closes the database (after every queued write). */
  close(): Promise<void>;
}
