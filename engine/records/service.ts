import { newId, keyEntries, auditDiff, diffFields, RecordWriteRefused, type Storage, type StoredRecord, type Tx, type WriteAudit, type NodeGuard } from '../ports.js';
import type { Collection } from '../config/types.js';
import type { RecordJson } from '../api-types.js';
import type { AppRuntime } from '../runtime/runtime.js';
import { DomainError, domainConflict, domainForbidden, domainInvalid, domainNotFound } from '../errors.js';
import { fieldTitle } from '../validation/field-titles.js';
import { noLifecycle, type EditCause, type EditOutcome, type Lifecycle } from './lifecycle.js';
import type { Actor } from '../auth/actor.js';
import { checkNode, checkValid, duplicateKey, keepReadOnly, LOCKED, newRecord, nodeRequired } from './write-rules.js';
import { insertMany, type ManyOptions } from './create-many.js';

/** What the record service reads and writes: records with their keys and audit, in transactions; the account bound to a record. */
export type RecordStorage = Pick<Storage, 'db' | 'unitOfWork' | 'records' | 'recordBatch' | 'uniqueKeys' | 'audit' | 'accounts' | 'grants'>;

/**
 * Create, update and delete records: validation, permission, unique keys, tree paths, workflow
 * state and the audit entry, all in the caller's transaction so a request writes all or nothing
 * (update and delete open their own when given none). Every write of a record — a person's edit,
 * a workflow event, a bulk import, a code replacement — comes through here, so every check and
 * every lifecycle hook runs on every path.
 */
export class RecordService {
  constructor(
    private readonly storage: RecordStorage,
    private readonly runtime: () => AppRuntime,
    private readonly lifecycle: () => Lifecycle = () => noLifecycle,
  ) {}

  private can(actor: Actor, permission: string, path: string) {
    return !actor.principal || this.runtime().permissions.onPath(actor.principal, permission, path);
  }

  /** Runs fn in one transaction on the service's database (the unit of work of a core operation). */
  transaction<T>(fn: (tx: Tx) => Promise<T>): Promise<T> {
    return this.storage.unitOfWork.transaction(this.storage.db, fn);
  }

  /** Reads a record the actor may read, or answers 404 (never revealing that it exists). */
  async read(actor: Actor, collection: string, id: string, db: Tx = this.storage.db): Promise<StoredRecord> {
    const c = this.runtime().collection(collection);
    const r = await this.storage.records.get(db, id);
    if (!r || r.collection !== c.name) throw domainNotFound(c.title);
    if (actor.principal && !this.runtime().permissions.onRecord(actor.principal, 'read', r)) throw domainNotFound(c.title);
    return r;
  }

  /** The tree node a record of `c` hangs on, checked to exist and to be writable by the actor. */
  private async targetNode(tx: Tx, actor: Actor, c: Collection, data: Record<string, unknown>, recent = false): Promise<StoredRecord | null> {
    const nodeId = data[c.nodeField!];
    if (nodeId === undefined || nodeId === null || nodeId === '') {
      if (c.isTree && !actor.principal) return null; // roots are made by the system only
      throw nodeRequired(c);
    }
    const node = typeof nodeId === 'string' ? await (recent ? this.recentNode(nodeId) : this.storage.records.get(tx, nodeId)) : undefined;
    return checkNode(this.runtime(), actor, c, node);
  }

  /**
   * Tree nodes as read a moment ago, for creates outside a transaction: many records are saved
   * under the same few nodes, and the write itself re-checks the node's id and path (NodeGuard),
   * so an entry gone stale costs one retry with a fresh read, never a wrong write.
   */
  private readonly recentNodes = new Map<string, { node: StoredRecord; until: number }>();

  private async recentNode(id: string): Promise<StoredRecord | undefined> {
    const hit = this.recentNodes.get(id);
    if (hit && hit.until > Date.now()) return hit.node;
    const node = await this.storage.records.get(this.storage.db, id);
    if (!node) return undefined; // a node made a moment from now must be found then
    if (this.recentNodes.size >= 1000) this.recentNodes.delete(this.recentNodes.keys().next().value!);
    this.recentNodes.set(id, { node, until: Date.now() + 5000 });
    return node;
  }

  /**
   * Fields a workflow fixed when it made the record (e.g. a value that follows from the record
   * it was linked to) cannot be changed by a person's edit: only by the workflow again.
   */
  private checkLocked(actor: Actor, c: Collection, before: StoredRecord, data: unknown) {
    const locked = before.workflowContext?.[LOCKED] as Record<string, unknown> | undefined;
    if (!actor.principal || !locked || !data || typeof data !== 'object') return;
    const doc = data as Record<string, unknown>;
    const errors = Object.entries(locked)
      .filter(([f, v]) => (doc[f] ?? null) !== v)
      .map(([f]) => ({ path: `/${f}`, message: `「${fieldTitle(c.schema, `/${f}`)}」由流程设定，不能直接修改` }));
    if (errors.length) throw domainInvalid(errors);
  }

  /**
   * The answer to a failed record write: a refusal by the database (unique key taken, version or
   * parent node changed meanwhile) becomes a 409 naming the field; any other error is returned as is.
   */
  async refused(err: unknown, db: Tx, c: Collection, data: Record<string, unknown>, id: string): Promise<unknown> {
    if (!(err instanceof RecordWriteRefused)) return err;
    if (err.reason === 'stale') return domainConflict(`该${c.title}已被他人修改，请刷新后重试`);
    if (err.reason === 'node_changed') return domainConflict(`所属${this.runtime().tree.title}刚被他人移动或删除，请刷新后重试`);
    if (err.reason === 'config_changed') return new DomainError('conflict', 'config_changed', '配置刚刚发布了新版本，本次保存未生效：请刷新页面，按新的表单核对后重新保存');
    const clash = await this.storage.uniqueKeys.clash(db, c.name, c.uniqueKeys ?? [], data, id);
    return clash ? duplicateKey(c, clash, data) : domainConflict(`${c.title}的唯一标识与另一条记录重复`, [], { code: 'duplicate' });
  }

  /** Completeness of data that validate() has just passed. */
  private isComplete(c: Collection, data: Record<string, unknown>) {
    return this.runtime().validator(c.name).completeOnceValid(data);
  }

  /**
   * Creates a record inside the caller's transaction `tx`, or — without one — reading from the
   * committed data and writing in one atomic statement, which the database refuses if the parent
   * node moved meanwhile (then it is tried again with fresh reads).
   * `legacy` marks data carried over from an earlier system (demo data, migrations): codes the
   * central tables have since deprecated are kept, as on any stored record, for re-entry later.
   */
  async create(actor: Actor, collection: string, data: unknown, tx?: Tx, opts: { id?: string; legacy?: boolean; lock?: string[] } = {}): Promise<StoredRecord> {
    const c = this.runtime().collection(collection);
    for (let attempt = 1; ; attempt++) {
      try {
        return await this.createOnce(actor, c, data, tx ?? this.storage.db, opts, !tx && attempt === 1);
      } catch (err) {
        const moved = err instanceof RecordWriteRefused && err.reason === 'node_changed';
        if (moved) this.recentNodes.clear();
        if (!(moved && !tx && attempt < 3)) throw await this.refused(err, tx ?? this.storage.db, c, data as Record<string, unknown>, opts.id ?? '');
      }
    }
  }

  private async createOnce(actor: Actor, c: Collection, data: unknown, db: Tx, opts: { id?: string; legacy?: boolean; lock?: string[] }, recentNode: boolean): Promise<StoredRecord> {
    // The config version the checks below run under: the write is refused if another is published first.
    const rt = this.runtime();
    const configVersion = rt.configVersion;
    const id = opts.id ?? newId();
    data = keepReadOnly(actor, c, data);
    checkValid(rt, c, data, opts.legacy ? (data as Record<string, unknown>) : undefined);
    const doc = data as Record<string, unknown>;
    const node = await this.targetNode(db, actor, c, doc, recentNode);
    const terms = { now: new Date().toISOString(), start: this.lifecycle().initial(c), codeVersions: rt.codeVersions(c) };
    const record = newRecord(c, actor, id, doc, node, this.isComplete(c, doc), terms, opts.lock);
    await this.storage.records.create(db, record, keyEntries(c.uniqueKeys ?? [], doc),
      { action: 'create', fromState: null, diff: diffFields(null, doc), note: null }, node ? { id: node.id, path: node.path } : undefined, configVersion);
    return record;
  }

  /**
   * Many new records of one collection in the caller's transaction, each checked as create()
   * checks one (read-only fields, validation, node, permission, unique keys within the batch and
   * against stored records, initial state, completeness), written in a few multi-row statements
   * through the port's RecordBatch. Throws on the first problem, naming the document by
   * opts.labels (else its index), which rolls the caller's transaction back.
   */
  createMany(actor: Actor, collection: string, docs: Record<string, unknown>[], tx: Tx, opts: ManyOptions = {}): Promise<StoredRecord[]> {
    return insertMany({ storage: this.storage, runtime: this.runtime(), lifecycle: this.lifecycle() }, actor, collection, docs, tx, opts);
  }

  /**
   * Updates a record the actor may write, at `expectedVersion`; in the caller's transaction, or
   * without one as its one record-write statement — atomic by itself, refused when the version
   * moved on meanwhile — unless the change writes other records too (a branch moved, fields other
   * records derive from): then in a transaction of its own.
   */
  async update(actor: Actor, collection: string, id: string, data: unknown, expectedVersion: number, tx?: Tx, cause: EditCause = 'edit'): Promise<StoredRecord> {
    if (tx) return (await this.updateOn(tx, true, actor, collection, id, data, expectedVersion, cause))!;
    try {
      const alone = await this.updateOn(this.storage.db, false, actor, collection, id, data, expectedVersion, cause);
      if (alone) return alone;
    } catch (err) {
      // The node moved between the read and the write: made again in a transaction, which reads it afresh.
      if (!(err instanceof RecordWriteRefused && err.reason === 'node_changed')) throw err;
    }
    return this.transaction((t) => this.update(actor, collection, id, data, expectedVersion, t, cause));
  }

  /** The state and workflow context a change of the record's data for `cause` would leave it in (null: kept) — what update writes, without writing. */
  outcomeOfEdit(actor: Actor, collection: string, before: StoredRecord, cause: EditCause = 'edit'): EditOutcome | null {
    return this.lifecycle().afterEdit(this.runtime().collection(collection), before, actor, cause);
  }

  /** The update on `tx`; null (nothing written) when it writes more than the record and `inTransaction` is false. */
  private async updateOn(tx: Tx, inTransaction: boolean, actor: Actor, collection: string, id: string, data: unknown, expectedVersion: number, cause: EditCause): Promise<StoredRecord | null> {
    const configVersion = this.runtime().configVersion;
    const c = this.runtime().collection(collection);
    const before = await this.read(actor, collection, id, tx);
    if (!this.can(actor, 'write', before.path)) throw domainForbidden(`无权修改该${c.title}`);
    if (before.version !== expectedVersion) {
      throw domainConflict(`该${c.title}已被他人修改（当前版本 ${before.version}，您编辑的是版本 ${expectedVersion}），请核对后重新保存`, [], {
        current: serialize(before),
      });
    }
    data = keepReadOnly(actor, c, data, before.data);
    this.checkLocked(actor, c, before, data);
    checkValid(this.runtime(), c, data, before.data);
    const doc = data as Record<string, unknown>;
    const nodeChanged = doc[c.nodeField!] !== before.data[c.nodeField!];
    let nodeId = before.nodeId;
    let path = before.path;
    if (nodeChanged) {
      const node = await this.targetNode(tx, actor, c, doc);
      if (c.isTree) {
        if (!inTransaction) return null; // the branch below moves with it
        if (!this.can(actor, 'write', parentPath(before.path))) throw domainForbidden(`无权移动授权范围的根节点`);
        if (!node) throw nodeRequired(c);
        if (node.path.startsWith(before.path)) {
          throw domainInvalid([{ path: `/${c.nodeField}`, message: `「${fieldTitle(c.schema, `/${c.nodeField}`)}」不能是本${c.title}或其下级` }]);
        }
        path = `${node.path}${id}/`;
        await this.storage.records.movePaths(tx, before.path, path);
      } else path = node!.path;
      nodeId = node?.id ?? null;
    }
    const diff = auditDiff(before.data, doc);
    const edited = Object.keys(diff).length > 0;
    const outcome = edited ? this.lifecycle().afterEdit(c, before, actor, cause) : null;
    const state = outcome ? outcome.state : before.state;
    const after: StoredRecord = {
      ...before, nodeId, path, data: doc, state, complete: this.isComplete(c, doc),
      workflowContext: outcome ? outcome.context : before.workflowContext,
      codeVersions: this.runtime().codeVersions(c), version: before.version + 1,
      updatedAt: new Date().toISOString(), updatedBy: actor.name,
    };
    if (!inTransaction && (this.lifecycle().touchesOthers?.(after, before) ?? true)) return null;
    // Outside a transaction nothing holds the node still between the read and the write: the
    // write itself checks that the node it read is where it was (a moved node refuses it).
    const guard = !inTransaction && nodeId ? { id: nodeId, path: c.isTree ? parentPath(path) : path } : undefined;
    await this.writeUpdate(tx, actor, c, before, after, { action: 'update', fromState: before.state, diff, note: null }, configVersion, guard);
    return after;
  }

  /**
   * The one way an existing record is written, whoever changed it (an edit, a workflow event):
   * the record, its changed keys and its audit entry in one statement under the config version the
   * change was checked with, a refusal named for the person, then the lifecycle's afterWrite (fields
   * other records derive from this one) in the same transaction.
   */
  async writeUpdate(tx: Tx, actor: Actor, c: Collection, before: StoredRecord, after: StoredRecord, audit: WriteAudit, configVersion: number | null, guard?: NodeGuard): Promise<void> {
    try {
      await this.storage.records.update(tx, after, before.version, changedKeys(c, before.data, after.data), audit, guard, configVersion);
    } catch (err) {
      // A guarded write whose node moved is the caller's to make again (update: in a transaction).
      if (guard && err instanceof RecordWriteRefused && err.reason === 'node_changed') throw err;
      throw await this.refused(err, tx, c, after.data, after.id);
    }
    await this.lifecycle().afterWrite?.(tx, actor, after, before);
  }

  /** Deletes a record the actor may write (at `expectedVersion` when given); in the caller's transaction, or in its own without one. */
  async delete(actor: Actor, collection: string, id: string, expectedVersion: number | undefined, tx?: Tx): Promise<void> {
    if (!tx) return this.transaction((t) => this.delete(actor, collection, id, expectedVersion, t));
    const c = this.runtime().collection(collection);
    const before = await this.read(actor, collection, id, tx);
    if (!this.can(actor, 'write', before.path)) throw domainForbidden(`无权删除该${c.title}`);
    if (expectedVersion !== undefined && expectedVersion !== before.version) throw domainConflict(`该${c.title}已被他人修改，请刷新后再删除`);
    if (c.isTree && (await this.storage.records.hasDescendants(tx, before))) {
      throw new DomainError('conflict', 'not_empty', `该${c.title}下仍有下级或记录，不能删除`);
    }
    if (c.isTree && !this.can(actor, 'write', parentPath(before.path))) {
      throw domainForbidden(`无权删除授权范围的根节点`);
    }
    // The account of the person this record was (if any) must not outlive it: it is locked, its
    // sessions end, and its roles stay visible (停用) to the admins who revoke them.
    const account = await this.storage.accounts.bySelfRecord(tx, id);
    const heldNodes = account ? await this.storage.grants.nodesOfBoundRecord(tx, id) : [];
    // At the version read: on a server database an update may have committed since (stale).
    await this.storage.records.delete(tx, id, before.version).catch(async (err) => { throw await this.refused(err, tx, c, before.data, id); });
    if (account) await this.storage.accounts.setLocked(tx, account.id, true);
    await this.storage.audit.append(tx, {
      actor: actor.name, collection: c.name, recordId: id, action: 'delete', fromState: before.state, toState: null,
      diff: diffFields(before.data, null), note: account ? `账号 ${account.username} 已停用` : null,
    });
    // What the person's roles showed on their nodes (e.g. a secretary's name) goes with the record.
    if (heldNodes.length) await this.lifecycle().afterDelete?.(tx, actor, heldNodes);
  }
}

/** The record's unique keys to store when its data changed them, else null (leave them). */
export function changedKeys(c: Collection, before: Record<string, unknown>, after: Record<string, unknown>): [string, string][] | null {
  const keys = keyEntries(c.uniqueKeys ?? [], after);
  return JSON.stringify(keys) === JSON.stringify(keyEntries(c.uniqueKeys ?? [], before)) ? null : keys;
}

/** '/a/b/c/' → '/a/b/': the path of a tree node's parent. */
const parentPath = (path: string) => path.replace(/[^/]+\/$/, '');

/** The JSON shape of a record in every API answer (defined in api-types.ts, which the browser reads too). */
export function serialize(r: StoredRecord): RecordJson {
  return {
    id: r.id, collection: r.collection, version: r.version, state: r.state, workflow: r.workflow,
    workflowContext: r.workflowContext ?? null, complete: r.complete, node: r.nodeId,
    data: r.data, createdAt: r.createdAt, createdBy: r.createdBy, updatedAt: r.updatedAt, updatedBy: r.updatedBy,
    codeVersions: r.codeVersions,
  };
}
