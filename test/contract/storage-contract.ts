/**
 * The storage contract: the whole behaviour of the port (engine/ports.ts), written once and run
 * against every adapter (like hono's one router suite run against each router). An adapter's
 * runner (test/contract/<adapter>.test.ts) calls storageContract with a function that opens a
 * fresh, migrated, empty store; this file only registers tests and is not itself a test file.
 *
 * Everything is asked through the port. What the port cannot do on purpose — change an audit
 * entry or a config version — the adapter's runner supplies as probes that try it past the port,
 * so the suite can check the store itself refuses.
 */
import { describe, it, expect, beforeEach, afterEach, vi } from 'vitest';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { Storage, StoredRecord, Tx, WriteAudit } from '../../engine/ports.js';
import { RecordWriteRefused, type WriteRefusal } from '../../engine/ports.js';
import { DomainError } from '../../engine/errors.js';
import { pathUpperBound } from '../../engine/tree-paths.js';
import type { PreviewRow } from '../../engine/import/preview-rows.js';

/** Attempts past the port at what the store must refuse by itself; each resolves only if the store let it through. */
export interface Probes {
  rewriteAudit(entryId: number): Promise<unknown>;
  deleteAudit(entryId: number): Promise<unknown>;
  rewriteConfigVersion(number: number): Promise<unknown>;
  deleteConfigVersion(number: number): Promise<unknown>;
}

export interface OpenStore {
  storage: Storage;
  /** Closes the store and removes what open() made. */
  close(): Promise<void>;
  probes: Probes;
  /** A directory of the store's own, for backups. */
  scratchDir: string;
  /** Opens a backup made by maintenance.backupTo as a store (closed by the caller). */
  openCopy(file: string): Promise<{ storage: Storage; close(): Promise<void> }>;
}

const TREE = 'node';
const ITEMS = 'item';
/** The stored value of the one-field key 'code' (as keyEntries makes it: the fields' values as a JSON array). */
const kv = (code: unknown) => JSON.stringify([code]);

let seq = 0;
/** Ids made here in increasing order (as the engine's are), unique across stores. */
const newId = () => `t${Date.now().toString(36)}${String(++seq).padStart(6, '0')}`;
const at = () => new Date().toISOString();

function record(p: Pick<StoredRecord, 'id' | 'collection' | 'nodeId' | 'path' | 'data'> & Partial<StoredRecord>): StoredRecord {
  const t = at();
  return {
    state: null, workflow: null, workflowContext: null, complete: false, codeVersions: null, version: 1,
    createdAt: t, createdBy: 'tester', updatedAt: t, updatedBy: 'tester', ...p,
  };
}
/** The audit part of a record write (shared with the parity and race tests). */
export const audit = (action = 'create', diff: WriteAudit['diff'] = null, note: string | null = null): WriteAudit => ({ action, fromState: null, diff, note });

/** A write's outcome: 'written', or the reason the store refused it; any other error is thrown. */
export async function refusal(p: Promise<unknown>): Promise<WriteRefusal | string> {
  try {
    await p;
    return 'written';
  } catch (err) {
    if (err instanceof RecordWriteRefused) return err.reason;
    throw err;
  }
}

/** A point one side of a race waits at until the test opens it. */
const opened = () => { let open!: () => void; return { reached: new Promise<void>((r) => (open = r)), open }; };
/** Long enough for a write that is not blocked to have gone through. */
const pause = () => new Promise((r) => setTimeout(r, 300));

const refusedOutright = (p: Promise<unknown>) => p.then(() => 'let through', () => 'refused');

/** The ids a whole scan of a collection (or subtree) reads, batch after batch of `limit`, in the order read. */
export async function scanIds(s: Storage, db: Tx, collection: string, limit: number, subtree?: string): Promise<string[]> {
  const seen: string[] = [];
  let next: Awaited<ReturnType<Storage['recordScan']['batch']>>['next'] | undefined;
  do {
    const b = await s.recordScan.batch(db, collection, limit, next ?? undefined, subtree);
    seen.push(...b.records.map((r) => r.id));
    next = b.next;
  } while (next);
  return seen;
}

export function storageContract(name: string, open: () => Promise<OpenStore>): void {
  describe(`storage contract: ${name}`, () => {
    let store: OpenStore;
    let s: Storage;
    let db: Tx;
    beforeEach(async () => {
      store = await open();
      s = store.storage;
      db = s.db;
    });
    afterEach(async () => {
      vi.useRealTimers();
      await store.close();
    });

    /** A tree node under `parent` (a root without one), written through the port. */
    async function node(parent?: StoredRecord, data: Record<string, unknown> = {}): Promise<StoredRecord> {
      const id = newId();
      const r = record({ id, collection: TREE, nodeId: parent?.id ?? null, path: `${parent?.path ?? '/'}${id}/`, data: { name: id, ...data } });
      await s.records.create(db, r, [], audit(), parent && { id: parent.id, path: parent.path });
      return r;
    }
    /** A record hanging on `on`, holding key code = data.code when given. */
    async function item(on: StoredRecord, data: Record<string, unknown> = {}, more: Partial<StoredRecord> = {}): Promise<StoredRecord> {
      const r = record({ id: newId(), collection: ITEMS, nodeId: on.id, path: on.path, data, ...more });
      await s.records.create(db, r, data.code ? [['code', kv(data.code)]] : [], audit('create', { code: [null, data.code ?? null] }), { id: on.id, path: on.path });
      return r;
    }
    const entries = async (id: string) => (await s.audit.forRecord(db, id)).entries;
    const counters = async (n: StoredRecord) =>
      Object.fromEntries((await s.subtreeStats.ofNode(db, (await s.records.get(db, n.id))!.path, [ITEMS])).map((c) => [c.state, [c.total, c.complete]]));
    /** Moves a tree node under another as the records service does: the node's own write, then the paths below it. */
    async function moveNode(n: StoredRecord, to: StoredRecord): Promise<StoredRecord> {
      const path = `${to.path}${n.id}/`;
      const moved = { ...n, nodeId: to.id, path, version: n.version + 1 };
      await s.unitOfWork.transaction(db, async (tx) => {
        await s.records.movePaths(tx, n.path, path);
        await s.records.update(tx, moved, n.version, null, audit('update'), { id: to.id, path: to.path });
      });
      return moved;
    }

    describe('record writes', () => {
      it('a create stores the record, its key and its audit entry; get and getMany read it back', async () => {
        const root = await node();
        const r = await item(root, { code: 'A1', title: '甲' }, { state: 'draft', complete: true, codeVersions: { x: 2 } });
        expect(await s.records.get(db, r.id)).toMatchObject({ ...r, workflowContext: null });
        expect((await s.records.getMany(db, [r.id, root.id, 'missing'])).map((x) => x.id).sort()).toEqual([r.id, root.id].sort());
        expect(await s.uniqueKeys.holders(db, ITEMS, 'code', [kv('A1'), kv('B')])).toEqual(new Map([[kv('A1'), r.id]]));
        const [e] = await entries(r.id);
        expect(e).toMatchObject({ actor: 'tester', collection: ITEMS, recordId: r.id, action: 'create', fromState: null, toState: 'draft', diff: { code: [null, 'A1'] } });
        expect(await s.records.get(db, 'missing')).toBeUndefined();
      });

      it('an update writes the next version over the expected one, with its audit entry; keys null keeps the keys', async () => {
        const root = await node();
        const r = await item(root, { code: 'K1', n: 1 });
        const next = { ...r, data: { code: 'K1', n: 2 }, version: 2, state: 'done', workflowContext: { by: 'x' } };
        await s.records.update(db, next, 1, null, { action: 'submit', fromState: null, diff: { n: [1, 2] }, note: '理由' });
        expect(await s.records.get(db, r.id)).toMatchObject({ data: { code: 'K1', n: 2 }, version: 2, state: 'done', workflowContext: { by: 'x' } });
        expect((await entries(r.id)).map((e) => [e.action, e.toState, e.note])).toEqual([['create', null, null], ['submit', 'done', '理由']]);
        expect((await s.uniqueKeys.holders(db, ITEMS, 'code', [kv('K1')])).get(kv('K1'))).toBe(r.id);
      });

      it('a stale version is refused as stale and nothing is written', async () => {
        const root = await node();
        const r = await item(root, { n: 1 });
        await s.records.update(db, { ...r, data: { n: 2 }, version: 2 }, 1, null, audit('update'));
        expect(await refusal(s.records.update(db, { ...r, data: { n: 3 }, version: 2 }, 1, null, audit('update')))).toBe('stale');
        expect((await s.records.get(db, r.id))!.data).toEqual({ n: 2 });
        expect(await s.audit.countForRecord(db, r.id)).toBe(2);
      });

      it('a write on a node that moved or vanished since it was read is refused as node_changed', async () => {
        const root = await node();
        const a = await node(root);
        const b = await node(root);
        const asRead = { id: b.id, path: b.path };
        await moveNode(b, a);
        const orphan = record({ id: newId(), collection: ITEMS, nodeId: b.id, path: b.path, data: {} });
        expect(await refusal(s.records.create(db, orphan, [], audit(), asRead))).toBe('node_changed');
        expect(await s.records.get(db, orphan.id)).toBeUndefined();
        expect(await refusal(s.records.create(db, orphan, [], audit(), { id: 'gone', path: '/gone/' }))).toBe('node_changed');
        const r = await item(a, { n: 1 });
        expect(await refusal(s.records.update(db, { ...r, version: 2, data: { n: 2 } }, 1, null, audit('update'), asRead))).toBe('node_changed');
        expect((await s.records.get(db, r.id))!.version).toBe(1);
      });

      it('a key another record holds is refused as duplicate, on create and on update; a delete frees it', async () => {
        const root = await node();
        const a = await item(root, { code: 'D1' });
        const clash = record({ id: newId(), collection: ITEMS, nodeId: root.id, path: root.path, data: { code: 'D1' } });
        expect(await refusal(s.records.create(db, clash, [['code', kv('D1')]], audit()))).toBe('duplicate');
        expect(await s.records.get(db, clash.id)).toBeUndefined();
        expect(await s.audit.countForRecord(db, clash.id)).toBe(0);
        const b = await item(root, { code: 'D2' });
        expect(await refusal(s.records.update(db, { ...b, data: { code: 'D1' }, version: 2 }, 1, [['code', kv('D1')]], audit('update')))).toBe('duplicate');
        expect((await s.records.get(db, b.id))!.data).toEqual({ code: 'D2' });
        const keys = [{ fields: ['code'] }];
        expect(await s.uniqueKeys.clash(db, ITEMS, keys, { code: 'D1' }, b.id)).toEqual(keys[0]);
        expect(await s.uniqueKeys.clash(db, ITEMS, keys, { code: 'D1' }, a.id)).toBeNull();
        // The same value under another collection is no clash.
        const other = record({ id: newId(), collection: 'other', nodeId: root.id, path: root.path, data: { code: 'D1' } });
        expect(await refusal(s.records.create(db, other, [['code', kv('D1')]], audit()))).toBe('written');
        await s.records.delete(db, a.id);
        expect(await refusal(s.records.update(db, { ...b, data: { code: 'D1' }, version: 2 }, 1, [['code', kv('D1')]], audit('update')))).toBe('written');
        expect(await s.uniqueKeys.holders(db, ITEMS, 'code', [kv('D1'), kv('D2')])).toEqual(new Map([[kv('D1'), b.id]]));
      });

      it('a write checked under a config version that is no longer published is refused as config_changed; writes are stamped with the published one', async () => {
        const v1 = await s.configVersions.insert(db, { files: { 'a.json': '{}' }, hash: 'h1', author: null, at: at(), note: null, origin: 'files', basedOn: null });
        await s.configVersions.initHead(db, v1, 'h1');
        const root = await node();
        const r = record({ id: newId(), collection: ITEMS, nodeId: root.id, path: root.path, data: { n: 1 } });
        await s.records.create(db, r, [], audit(), undefined, v1);
        expect(await s.configVersions.recordVersion(db, r.id)).toBe(v1);
        const v2 = await s.configVersions.insert(db, { files: { 'a.json': '{"b":1}' }, hash: 'h2', author: 'admin', at: at(), note: null, origin: 'draft', basedOn: v1 });
        expect(await s.configVersions.setPublished(db, v2, v1)).toBe(true);
        expect(await s.configVersions.setPublished(db, v2, v1)).toBe(false);
        const late = record({ id: newId(), collection: ITEMS, nodeId: root.id, path: root.path, data: {} });
        expect(await refusal(s.records.create(db, late, [], audit(), undefined, v1))).toBe('config_changed');
        expect(await s.records.get(db, late.id)).toBeUndefined();
        expect(await refusal(s.records.update(db, { ...r, version: 2 }, 1, null, audit('update'), undefined, v1))).toBe('config_changed');
        expect(await refusal(s.records.updateUnder(db, v1, { ...r, version: 2 }, 1, null, audit('update')))).toBe('config_changed');
        await s.records.update(db, { ...r, version: 2 }, 1, null, audit('update')); // unchecked: stamped with the published one
        expect(await s.configVersions.recordVersion(db, r.id)).toBe(v2);
        await s.records.updateUnder(db, v2, { ...r, version: 3 }, 2, null, audit('migrate'));
        expect((await s.records.get(db, r.id))!.version).toBe(3);
      });

      it('a publish and the writes checked under the version before it do not interleave: one in flight commits first, one after is refused', async () => {
        const v1 = await s.configVersions.insert(db, { files: {}, hash: 'h1', author: null, at: at(), note: null, origin: 'files', basedOn: null });
        await s.configVersions.initHead(db, v1, 'h1');
        const root = await node();
        const order: string[] = [];
        // A write checked under v1, its transaction still open when a publish of v2 comes.
        const early = record({ id: newId(), collection: ITEMS, nodeId: root.id, path: root.path, data: {} });
        const written = opened();
        const commitWrite = opened();
        const writing = s.unitOfWork.transaction(db, async (tx) => {
          await s.records.create(tx, early, [], audit(), undefined, v1);
          written.open();
          await commitWrite.reached;
          order.push('write commits');
        });
        await written.reached;
        const moved = opened();
        const commitPublish = opened();
        const publishing = s.unitOfWork.transaction(db, async (tx) => {
          const v2 = await s.configVersions.insert(tx, { files: {}, hash: 'h2', author: null, at: at(), note: null, origin: 'draft', basedOn: v1 });
          expect(await s.configVersions.setPublished(tx, v2, v1)).toBe(true);
          order.push('head moved');
          moved.open();
          await commitPublish.reached;
          return v2;
        });
        await pause();
        commitWrite.open();
        await writing;
        await moved.reached;
        // The publish has moved the head and not committed: a write checked under v1 now comes.
        const late = record({ id: newId(), collection: ITEMS, nodeId: root.id, path: root.path, data: {} });
        const lateWrite = refusal(s.records.create(db, late, [], audit(), undefined, v1));
        await pause();
        commitPublish.open();
        const v2 = await publishing;
        expect(order).toEqual(['write commits', 'head moved']);
        expect(await lateWrite).toBe('config_changed');
        expect(await s.records.get(db, late.id)).toBeUndefined();
        expect(await s.configVersions.recordVersion(db, early.id)).toBe(v1);
        expect((await s.configVersions.head(db))?.published).toBe(v2);
      });

      it('many records in one call: records, keys and create entries; a key clash writes none of them', async () => {
        const root = await node();
        const many = [1, 2, 3].map((n) => record({ id: newId(), collection: ITEMS, nodeId: root.id, path: root.path, data: { code: `M${n}` }, state: 'draft' }));
        const keysOf = (rs: StoredRecord[]) => rs.map((r) => ({ collection: ITEMS, key: 'code', value: kv(r.data.code), recordId: r.id }));
        await s.unitOfWork.transaction(db, (tx) => s.recordBatch.insert(tx, many, keysOf(many), '导入'));
        expect((await s.records.getMany(db, many.map((r) => r.id))).length).toBe(3);
        expect(await entries(many[0].id)).toMatchObject([{ action: 'create', toState: 'draft', note: '导入', diff: { code: [null, 'M1'] } }]);
        expect(await s.recordBatch.takenKeyValue(db, ITEMS, 'code', [kv('X'), kv('M2')])).toBe(kv('M2'));
        expect(await counters(root)).toEqual({ draft: [3, 0] });
        const again = [record({ id: newId(), collection: ITEMS, nodeId: root.id, path: root.path, data: { code: 'M9' } }),
          record({ id: newId(), collection: ITEMS, nodeId: root.id, path: root.path, data: { code: 'M1' } })];
        await expect(s.unitOfWork.transaction(db, (tx) => s.recordBatch.insert(tx, again, keysOf(again), null))).rejects.toThrow();
        expect(await s.records.getMany(db, again.map((r) => r.id))).toEqual([]);
      });

      it('a batch checked under a config version no longer published is refused as a whole', async () => {
        const v1 = await s.configVersions.insert(db, { files: {}, hash: 'h1', author: null, at: at(), note: null, origin: 'files', basedOn: null });
        await s.configVersions.initHead(db, v1, 'h1');
        const v2 = await s.configVersions.insert(db, { files: {}, hash: 'h2', author: null, at: at(), note: null, origin: 'draft', basedOn: v1 });
        await s.configVersions.setPublished(db, v2, v1);
        const root = await node();
        const r = record({ id: newId(), collection: ITEMS, nodeId: root.id, path: root.path, data: {} });
        const err = await s.unitOfWork.transaction(db, (tx) => s.recordBatch.insert(tx, [r], [], null, v1)).catch((e) => e);
        expect(err).toBeInstanceOf(DomainError);
        expect(err).toMatchObject({ kind: 'conflict', code: 'config_changed' });
        expect(await s.records.get(db, r.id)).toBeUndefined();
        await s.unitOfWork.transaction(db, (tx) => s.recordBatch.insert(tx, [r], [], null, v2));
        expect(await s.configVersions.recordVersion(db, r.id)).toBe(v2);
      });

      it('a refused write inside a transaction writes nothing and leaves the transaction going: it reads, writes and commits on', async () => {
        const root = await node();
        const held = await item(root, { code: 'R1' });
        const fresh = record({ id: newId(), collection: ITEMS, nodeId: root.id, path: root.path, data: { code: 'R2' } });
        const outcome = await s.unitOfWork.transaction(db, async (tx) => {
          const clash = record({ id: newId(), collection: ITEMS, nodeId: root.id, path: root.path, data: { code: 'R1' } });
          const refused = [
            await refusal(s.records.create(tx, clash, [['code', kv('R1')]], audit())),
            await refusal(s.records.update(tx, { ...held, version: 2 }, 5, null, audit('update'))),
            await refusal(s.records.create(tx, clash, [], audit(), { id: 'gone', path: '/gone/' })),
          ];
          // What the records service does after a duplicate: name the clashing key, in the same transaction.
          const named = await s.uniqueKeys.clash(tx, ITEMS, [{ fields: ['code'] }], clash.data, clash.id);
          await s.records.create(tx, fresh, [['code', kv('R2')]], audit());
          return { refused, named, missing: await s.records.get(tx, clash.id) };
        });
        expect(outcome).toEqual({ refused: ['duplicate', 'stale', 'node_changed'], named: { fields: ['code'] }, missing: undefined });
        expect((await s.records.get(db, fresh.id))?.id).toBe(fresh.id);
        expect((await s.records.get(db, held.id))?.version).toBe(1);
        expect(await counters(root)).toEqual({ '': [2, 0] });
      });

      it('a key taken by another transaction while this one waited for it is refused as duplicate, and this transaction goes on', async () => {
        const root = await node();
        const first = record({ id: newId(), collection: ITEMS, nodeId: root.id, path: root.path, data: { code: 'K1' } });
        const second = record({ id: newId(), collection: ITEMS, nodeId: root.id, path: root.path, data: { code: 'K1' } });
        const then = record({ id: newId(), collection: ITEMS, nodeId: root.id, path: root.path, data: { code: 'K2' } });
        const taken = opened();
        const commitFirst = opened();
        const firstTx = s.unitOfWork.transaction(db, async (tx) => {
          await s.records.create(tx, first, [['code', kv('K1')]], audit());
          taken.open();
          await commitFirst.reached;
        });
        await taken.reached;
        // The key is taken but not yet committed when this write comes; the records service then
        // names the clashing key in the same transaction, and the transaction writes on.
        const secondTx = s.unitOfWork.transaction(db, async (tx) => {
          const refused = await refusal(s.records.create(tx, second, [['code', kv('K1')]], audit()));
          const named = await s.uniqueKeys.clash(tx, ITEMS, [{ fields: ['code'] }], second.data, second.id);
          await s.records.create(tx, then, [['code', kv('K2')]], audit());
          return { refused, named };
        });
        await pause();
        commitFirst.open();
        await firstTx;
        expect(await secondTx).toEqual({ refused: 'duplicate', named: { fields: ['code'] } });
        expect(await s.records.get(db, second.id)).toBeUndefined();
        expect(await s.uniqueKeys.holders(db, ITEMS, 'code', [kv('K1'), kv('K2')])).toEqual(new Map([[kv('K1'), first.id], [kv('K2'), then.id]]));
        expect(await counters(root)).toEqual({ '': [2, 0] });
      });

      it('a node is not found empty while a record is being written on it, nor written on while it is being deleted empty', async () => {
        const root = await node();
        // Writes in flight, one at a time (the record write, the batch): the check waits for each.
        const writes: ((tx: Tx, on: StoredRecord) => Promise<unknown>)[] = [
          (tx, on) => s.records.create(tx, record({ id: newId(), collection: ITEMS, nodeId: on.id, path: on.path, data: {} }), [], audit(), { id: on.id, path: on.path }),
          (tx, on) => s.recordBatch.insert(tx, [record({ id: newId(), collection: ITEMS, nodeId: on.id, path: on.path, data: {} })], [], null),
        ];
        for (const write of writes) {
          const leaf = await node(root);
          const written = opened();
          const commitWrite = opened();
          const writing = s.unitOfWork.transaction(db, async (tx) => {
            await write(tx, leaf);
            written.open();
            await commitWrite.reached;
          });
          await written.reached;
          const checking = s.unitOfWork.transaction(db, (tx) => s.records.hasDescendants(tx, leaf));
          await pause();
          commitWrite.open();
          await writing;
          expect(await checking).toBe(true);
        }
        // The node found empty and being deleted: a write on it waits, then finds it gone.
        const leaf = await node(root);
        const checked = opened();
        const commitDelete = opened();
        const deleting = s.unitOfWork.transaction(db, async (tx) => {
          expect(await s.records.hasDescendants(tx, leaf)).toBe(false);
          checked.open();
          await commitDelete.reached;
          await s.records.delete(tx, leaf.id);
        });
        await checked.reached;
        const late = record({ id: newId(), collection: ITEMS, nodeId: leaf.id, path: leaf.path, data: {} });
        const lateWrite = refusal(s.records.create(db, late, [], audit(), { id: leaf.id, path: leaf.path }));
        await pause();
        commitDelete.open();
        await deleting;
        expect(await lateWrite).toBe('node_changed');
        expect(await s.records.get(db, late.id)).toBeUndefined();
      });

      it('a delete at a version the record no longer has is refused as stale and keeps it, also when the update is in flight', async () => {
        const root = await node();
        const r = await item(root, { code: 'V1' });
        await s.records.update(db, { ...r, version: 2 }, 1, null, audit('update'));
        expect(await refusal(s.records.delete(db, r.id, 1))).toBe('stale');
        expect((await s.records.get(db, r.id))?.version).toBe(2);
        // An update not yet committed when the delete of the version read comes.
        const updated = opened();
        const commitUpdate = opened();
        const updating = s.unitOfWork.transaction(db, async (tx) => {
          await s.records.update(tx, { ...r, version: 3 }, 2, null, audit('update'));
          updated.open();
          await commitUpdate.reached;
        });
        await updated.reached;
        const deleting = refusal(s.unitOfWork.transaction(db, (tx) => s.records.delete(tx, r.id, 2)));
        await pause();
        commitUpdate.open();
        await updating;
        expect(await deleting).toBe('stale');
        expect((await s.records.get(db, r.id))?.version).toBe(3);
        expect(await refusal(s.records.delete(db, r.id, 3))).toBe('written');
        expect(await s.records.get(db, r.id)).toBeUndefined();
        expect(await s.uniqueKeys.holders(db, ITEMS, 'code', [kv('V1')])).toEqual(new Map());
      });

      it('concurrent writes: one of two creates holding the same key, one of two updates over the same version; counters count every write', async () => {
        const root = await node();
        const a = await node(root);
        const b = await node(root);
        const twins = [1, 2].map(() => record({ id: newId(), collection: ITEMS, nodeId: a.id, path: a.path, data: { code: 'C1' } }));
        const created = await Promise.all(twins.map((r) => refusal(s.records.create(db, r, [['code', kv('C1')]], audit(), { id: a.id, path: a.path }))));
        expect(created.sort()).toEqual(['duplicate', 'written']);
        const inTx = await Promise.all([1, 2].map(() => {
          const r = record({ id: newId(), collection: ITEMS, nodeId: b.id, path: b.path, data: { code: 'C2' } });
          return refusal(s.unitOfWork.transaction(db, (tx) => s.records.create(tx, r, [['code', kv('C2')]], audit())));
        }));
        expect(inTx.sort()).toEqual(['duplicate', 'written']);
        const r = await item(b, { n: 0 });
        // Each in a transaction that reads on after its write, so the other's write comes while it is still open.
        const updated = await Promise.all([1, 2].map((n) => refusal(s.unitOfWork.transaction(db, async (tx) => {
          await s.records.update(tx, { ...r, data: { n }, version: 2 }, 1, null, audit('update'));
          await s.records.get(tx, r.id);
        }))));
        expect(updated.sort()).toEqual(['stale', 'written']);
        expect((await s.records.get(db, r.id))!.version).toBe(2);
        expect(await s.audit.countForRecord(db, r.id)).toBe(2);
        await Promise.all(Array.from({ length: 12 }, (_, n) => item(n % 2 ? a : b, {}, { state: 'draft', complete: n % 3 === 0 })));
        expect(await counters(a)).toEqual({ '': [1, 0], draft: [6, 2] });
        expect(await counters(b)).toEqual({ '': [2, 0], draft: [6, 2] });
        expect(await counters(root)).toEqual({ '': [3, 0], draft: [12, 4] });
      });
    });

    describe('audit log', () => {
      it('is append-only: the store itself refuses to change or remove an entry', async () => {
        const root = await node();
        const r = await item(root, { n: 1 });
        const [e] = await entries(r.id);
        expect(await refusedOutright(store.probes.rewriteAudit(e.id))).toBe('refused');
        expect(await refusedOutright(store.probes.deleteAudit(e.id))).toBe('refused');
        expect(await entries(r.id)).toEqual([e]);
      });

      it('reads a history a page at a time from the end; a delete entry keeps the record\'s last place', async () => {
        const root = await node();
        const branch = await node(root);
        const r = await item(branch, { n: 0 });
        for (let n = 1; n <= 4; n++) await s.records.update(db, { ...r, data: { n }, version: n + 1 }, n, null, audit('update', { n: [n - 1, n] }));
        const last = await s.audit.forRecord(db, r.id, { limit: 2 });
        expect(last.more).toBe(true);
        expect(last.entries.map((e) => e.diff)).toEqual([{ n: [2, 3] }, { n: [3, 4] }]);
        const before = await s.audit.forRecord(db, r.id, { limit: 10, before: last.entries[0].id });
        expect(before.more).toBe(false);
        expect(before.entries.map((e) => e.action)).toEqual(['create', 'update', 'update']);
        await s.records.delete(db, r.id);
        await s.audit.append(db, { actor: 'tester', collection: ITEMS, recordId: r.id, action: 'delete', fromState: null, toState: null, diff: { n: [4, null] }, note: null });
        expect(await s.audit.countForRecord(db, r.id)).toBe(6);
        const ofBranch = await s.audit.ofSubtree(db, { path: branch.path, unplaced: false, collections: [ITEMS], limit: 10 });
        expect(ofBranch.entries.map((e) => e.action)).toEqual(['delete', 'update', 'update', 'update', 'update', 'create']);
        const deletes = await s.audit.ofSubtree(db, { path: root.path, unplaced: true, collections: [ITEMS], actions: [{ in: ['delete'] }], limit: 10 });
        expect(deletes.entries.map((e) => e.recordId)).toEqual([r.id]);
      });
    });

    describe('subtree counters', () => {
      it('follow creates, state and completeness changes, moves of a branch and deletes, in the writing transaction', async () => {
        const root = await node();
        const a = await node(root);
        const b = await node(root);
        const x = await item(a, {}, { state: 'draft' });
        await item(a, {}, { state: 'draft', complete: true });
        await item(b, {}, { state: 'done', complete: true });
        expect(await counters(root)).toEqual({ draft: [2, 1], done: [1, 1] });
        expect(await counters(a)).toEqual({ draft: [2, 1] });
        await s.records.update(db, { ...x, state: 'done', complete: true, version: 2 }, 1, null, audit('submit'));
        expect(await counters(a)).toEqual({ draft: [1, 1], done: [1, 1] });
        const movedA = await moveNode(a, b);
        expect(await counters(b)).toEqual({ draft: [1, 1], done: [2, 2] });
        expect(await counters(root)).toEqual({ draft: [1, 1], done: [2, 2] });
        expect(await s.subtreeStats.countUnder(db, TREE, b.path, ITEMS, 'done', true)).toBe(2);
        expect(await s.subtreeStats.countUnder(db, TREE, b.path, ITEMS, 'done', false)).toBe(1);
        expect(await s.subtreeStats.countUnder(db, TREE, b.path, ITEMS, null, true)).toBe(3);
        await s.records.delete(db, x.id);
        expect(await counters(b)).toEqual({ draft: [1, 1], done: [1, 1] });
        // The moved branch's records now lie under its new path.
        expect((await s.records.page(db, { collection: ITEMS, subtree: b.path }, 10)).items.length).toBe(2);
        expect(await s.records.hasDescendants(db, movedA)).toBe(true);
        const leaf = await node(b);
        expect(await s.records.hasDescendants(db, leaf)).toBe(false);
      });

      it('a branch moving to and fro while records inside it are written: each write lands or is refused, and the counters stay exact', async () => {
        const root = await node();
        const p = await node(root);
        const q = await node(root);
        let branch = await node(p);
        const inside: StoredRecord[] = [];
        for (let i = 0; i < 6; i++) inside.push(await item(branch, {}, { state: 'a' }));
        const moves = (async () => {
          for (let i = 0; i < 30; i++) branch = await moveNode(branch, branch.nodeId === p.id ? q : p);
        })();
        // Each write in a transaction that reads on after it, so moves and writes overlap; any
        // error but a refusal (a deadlock, say) fails the test.
        // On a loaded machine every write made while the branch moves may be refused: the writers go
        // on (past the moves) until one has landed, so the counters are checked after real writes.
        let landed = false;
        const writes = [0, 1, 2].map(async (w) => {
          const outcomes: string[] = [];
          for (let i = 0; i < 30 || (!landed && i < 300); i++) {
            const r = (await s.records.get(db, inside[(i + w) % inside.length].id))!;
            const on = (await s.records.get(db, branch.id))!;
            outcomes.push(await refusal(s.unitOfWork.transaction(db, async (tx) => {
              await s.records.update(tx, { ...r, path: on.path, state: i % 2 ? 'a' : 'b', version: r.version + 1 }, r.version, null, audit('edit'), { id: on.id, path: on.path });
              await s.records.get(tx, r.id);
            })));
            if (outcomes.at(-1) === 'written') landed = true;
          }
          return outcomes;
        });
        await moves;
        const outcomes = (await Promise.all(writes)).flat();
        expect(outcomes.filter((o) => !['written', 'stale', 'node_changed'].includes(o))).toEqual([]);
        expect(outcomes).toContain('written');
        const want: Record<string, [number, number]> = {};
        for (const r of await s.records.getMany(db, inside.map((x) => x.id))) want[r.state!] = [(want[r.state!]?.[0] ?? 0) + 1, 0];
        expect(await counters(branch)).toEqual(want);
        expect(await counters(root)).toEqual(want);
        expect(await counters(branch.nodeId === p.id ? q : p)).toEqual({});
      });

      it('are the same when a transaction that changed them rolls back', async () => {
        const root = await node();
        await item(root, {}, { state: 'draft' });
        await s.unitOfWork.transaction(db, async (tx) => {
          await s.records.create(tx, record({ id: newId(), collection: ITEMS, nodeId: root.id, path: root.path, data: {}, state: 'draft' }), [], audit());
          throw new Error('abandoned');
        }).catch(() => undefined);
        expect(await counters(root)).toEqual({ draft: [1, 0] });
      });
    });

    describe('read scopes, filters, pages and cursors', () => {
      it('a scope reads its paths\' subtrees and its self record, and nothing without either', async () => {
        const root = await node();
        const a = await node(root);
        const b = await node(root);
        const inA = await item(a);
        const inB = await item(b);
        const ids = async (scope: { paths: string[]; selfRecord?: string }) =>
          (await s.records.page(db, { collection: ITEMS, scope }, 10)).items.map((r) => r.id);
        expect(await ids({ paths: [a.path] })).toEqual([inA.id]);
        expect(await ids({ paths: [root.path] })).toEqual([inA.id, inB.id]);
        expect(await ids({ paths: [a.path], selfRecord: inB.id })).toEqual([inA.id, inB.id]);
        expect(await ids({ paths: [], selfRecord: inB.id })).toEqual([inB.id]);
        expect(await ids({ paths: [] })).toEqual([]);
        expect(await s.records.count(db, { collection: ITEMS, scope: { paths: [b.path] } })).toBe(1);
      });

      it('filters narrow by subtree, node, state, a field\'s value and text in fields', async () => {
        const root = await node();
        const a = await node(root);
        const r1 = await item(root, { name: '张三', city: '北京' }, { state: 'draft' });
        const r2 = await item(a, { name: '李四', city: '上海' }, { state: 'done' });
        const r3 = await item(a, { name: '王五_%', city: '北京' }, { state: 'done' });
        const ids = async (f: Omit<Parameters<Storage['records']['page']>[1], 'collection'>) =>
          (await s.records.page(db, { collection: ITEMS, ...f }, 10)).items.map((r) => r.id);
        expect(await ids({ subtree: a.path })).toEqual([r2.id, r3.id]);
        expect(await ids({ node: root.id })).toEqual([r1.id]);
        expect(await ids({ state: 'done' })).toEqual([r2.id, r3.id]);
        expect(await ids({ equals: { field: 'city', value: '北京' } })).toEqual([r1.id, r3.id]);
        expect(await ids({ search: { fields: ['name', 'city'], text: '海' } })).toEqual([r2.id]);
        expect(await ids({ search: { fields: ['name'], text: '_%' } })).toEqual([r3.id]);
        expect(await ids({ search: { fields: ['name'], text: '%' } })).toEqual([r3.id]);
        expect(await s.records.ids(db, { collection: ITEMS, subtree: root.path })).toEqual([r1.id, r2.id, r3.id]);
        expect(await s.records.countByValue(db, ITEMS, [{ field: 'city' }], ['北京', '广州'])).toEqual(new Map([['北京', 2]]));
        expect(await s.records.fieldOf(db, [r1.id, r2.id], 'name')).toEqual(new Map([[r1.id, '张三'], [r2.id, '李四']]));
        expect((await s.records.fields(db, { collection: ITEMS, subtree: root.path }, ['city'])).map((f) => f.values.city)).toEqual(['北京', '上海', '北京']);
      });

      it('a value inside a child table\'s rows: filtered on, and counted once per record over several places', async () => {
        const root = await node();
        const a = await node(root);
        const r1 = await item(root, { kind: 'x', rows: [{ rel: 'x' }, { rel: 'x' }, { rel: 'y' }] });
        const r2 = await item(a, { kind: 'y', rows: [{ rel: 'x' }] });
        const r3 = await item(a, { kind: 'x', rows: 'x' });
        await item(a, { rows: [{ other: 'x' }, 'x', 5, { rel: 5 }] });
        const inRows = (value: string, subtree?: string) => s.records.ids(db, { collection: ITEMS, subtree, equals: { table: 'rows', field: 'rel', value } });
        expect(await inRows('x')).toEqual([r1.id, r2.id]);
        expect(await inRows('x', a.path)).toEqual([r2.id]);
        expect(await s.records.count(db, { collection: ITEMS, equals: { table: 'rows', field: 'rel', value: 'y' } })).toBe(1);
        expect(await s.records.count(db, { collection: ITEMS, equals: { table: 'rows', field: 'rel', value: '5' } })).toBe(0);
        const places = [{ field: 'kind' }, { table: 'rows', field: 'rel' }];
        // r1 holds x at the top and in two rows, and y in a row: once each.
        expect(await s.records.countByValue(db, ITEMS, places, ['x', 'y', 'z'])).toEqual(new Map([['x', 3], ['y', 2]]));
        expect(await s.records.countByValue(db, ITEMS, places, ['x', 'y'], a.path)).toEqual(new Map([['x', 2], ['y', 1]]));
        expect(await s.records.countByValue(db, ITEMS, [{ table: 'rows', field: 'rel' }], ['x', '5'])).toEqual(new Map([['x', 2]]));
        // One top-level field alone (the adapter's plain count): the same answer as any place.
        expect(await s.records.countByValue(db, ITEMS, [{ field: 'kind' }], ['x', 'y'])).toEqual(new Map([['x', 2], ['y', 1]]));
        expect(await s.records.countByValue(db, ITEMS, [{ field: 'kind' }], ['x', 'y'], a.path)).toEqual(new Map([['x', 1], ['y', 1]]));
        expect(await s.records.countByValue(db, ITEMS, [], ['x'])).toEqual(new Map());
      });

      it('pages follow insertion order through opaque cursors that stay valid while records are added', async () => {
        const root = await node();
        const made: StoredRecord[] = [];
        for (let n = 0; n < 5; n++) made.push(await item(root, { n }));
        const f = { collection: ITEMS, subtree: root.path };
        const first = await s.records.page(db, f, 2);
        expect(first.items.map((r) => r.id)).toEqual(made.slice(0, 2).map((r) => r.id));
        expect(typeof first.nextCursor).toBe('string');
        const late = await item(root, { n: 5 });
        const seen = [...first.items];
        let cursor = first.nextCursor;
        while (cursor) {
          const p = await s.records.page(db, f, 2, cursor);
          seen.push(...p.items);
          cursor = p.nextCursor;
        }
        expect(seen.map((r) => r.id)).toEqual([...made, late].map((r) => r.id));
        expect(await s.records.count(db, f)).toBe(6);
        const all = await s.records.page(db, f, 6);
        expect(all.nextCursor).toBeNull();
      });

      it('an invalid cursor is refused as bad input', async () => {
        const root = await node();
        await item(root);
        for (const cursor of ['abc', '-1', '1.5', '']) {
          const err = await s.records.page(db, { collection: ITEMS }, 2, cursor).catch((e) => e);
          expect(err, cursor).toBeInstanceOf(DomainError);
          expect(err.kind).toBe('bad_request');
        }
      });

      it('a scan reads a collection or a subtree batch by batch, every record once', async () => {
        const root = await node();
        const a = await node(root);
        const made = [await item(root), await item(a), await item(a), await item(root), await item(a)];
        for (const subtree of [undefined, a.path]) {
          const seen = await scanIds(s, db, ITEMS, 2, subtree);
          const expected = made.filter((r) => !subtree || r.path.startsWith(subtree)).map((r) => r.id);
          expect(seen.sort()).toEqual(expected.sort());
        }
      });
    });

    describe('accounts and sessions', () => {
      async function account(username = `u${newId()}`) {
        const id = await s.accounts.create(db, { username, passwordHash: 'h0', displayName: '测试' });
        return { id, username };
      }

      it('a session started for an account yields its principal with its grants until it ends', async () => {
        const root = await node();
        const u = await account();
        await s.accounts.grant(db, u.id, 'admin', root.id);
        const started = await s.sessions.startSession(db, u.id);
        expect(started.expires.getTime()).toBeGreaterThan(Date.now());
        const found = await s.sessions.session(db, started.token);
        expect(found!.principal).toMatchObject({ userId: u.id, username: u.username, csrf: started.csrf, grants: [{ role: 'admin', nodeId: root.id, path: root.path }] });
        expect(found!.expiresAt).toBe(started.expires.getTime());
        expect(found!.principal.sessionId).not.toBe(started.token); // only a hash of the token is stored
        await s.sessions.endSession(db, found!.principal.sessionId);
        expect(await s.sessions.session(db, started.token)).toBeUndefined();
        expect(await s.sessions.principal(db, 'never-issued')).toBeUndefined();
      });

      it('a new session replacing the browser\'s old one ends it; others of the account go on', async () => {
        const u = await account();
        const other = await s.sessions.startSession(db, u.id);
        const old = await s.sessions.startSession(db, u.id);
        const fresh = await s.sessions.startSession(db, u.id, old.token);
        expect(await s.sessions.principal(db, old.token)).toBeUndefined();
        expect(await s.sessions.principal(db, fresh.token)).toBeDefined();
        expect(await s.sessions.principal(db, other.token)).toBeDefined();
      });

      it('a session expires at its time, and a locked account\'s sessions end', async () => {
        const u = await account();
        const started = await s.sessions.startSession(db, u.id);
        vi.useFakeTimers({ toFake: ['Date'] });
        vi.setSystemTime(started.expires.getTime() + 1000);
        expect(await s.sessions.principal(db, started.token)).toBeUndefined();
        vi.useRealTimers();
        const again = await s.sessions.startSession(db, u.id);
        expect(await s.accounts.setLocked(db, u.id, true)).toBe(true);
        expect(await s.accounts.setLocked(db, u.id, true)).toBe(false);
        expect(await s.sessions.principal(db, again.token)).toBeUndefined();
        expect((await s.accounts.byName(db, u.username))!.locked_at).not.toBeNull();
      });

      it('a password is replaced only over the hash it had, ending the other sessions', async () => {
        const u = await account();
        const kept = await s.sessions.startSession(db, u.id);
        const ended = await s.sessions.startSession(db, u.id);
        const keptId = (await s.sessions.principal(db, kept.token))!.sessionId;
        expect(await s.accounts.replacePassword(db, u.id, 'wrong', 'h1', keptId)).toBe(false);
        expect(await s.sessions.principal(db, ended.token)).toBeDefined();
        expect(await s.accounts.replacePassword(db, u.id, 'h0', 'h1', keptId)).toBe(true);
        expect(await s.sessions.principal(db, ended.token)).toBeUndefined();
        expect(await s.sessions.principal(db, kept.token)).toBeDefined();
        await s.accounts.resetPassword(db, u.id, 'h2');
        expect(await s.sessions.principal(db, kept.token)).toBeUndefined();
        expect(await s.accounts.byName(db, u.username)).toMatchObject({ password_hash: 'h2', must_change_password: 1 });
      });

      it('the auth epoch moves with every committed write that changes who may do what, and stays put otherwise', async () => {
        const root = await node();
        const a = await node(root);
        const b = await node(root);
        const held = await item(a);
        const epoch = () => s.sessions.epoch(db);
        const u = await account();
        const session = await s.sessions.startSession(db, u.id);
        const sessionId = (await s.sessions.principal(db, session.token))!.sessionId;
        const inTx = (fn: (tx: Tx) => Promise<unknown>) => () => s.unitOfWork.transaction(db, fn);
        const changes: [string, () => Promise<unknown>][] = [
          ['account created', inTx((tx) => s.accounts.create(tx, { username: `e${newId()}`, passwordHash: 'h', displayName: '乙' }))],
          ['grant added', inTx((tx) => s.grants.add(tx, u.id, 'admin', a.id))],
          ['grant added outside a transaction', () => s.grants.add(db, u.id, 'reader', b.id)],
          ['grant removed', inTx((tx) => s.grants.remove(tx, u.id, 'reader', b.id))],
          ['session replaced', inTx((tx) => s.sessions.startSession(tx, u.id, session.token))],
          ['session ended', inTx(async (tx) => s.sessions.endSession(tx, sessionId))],
          ['password replaced', inTx((tx) => s.accounts.replacePassword(tx, u.id, 'h0', 'h1', 'none'))],
          ['password reset', inTx((tx) => s.accounts.resetPassword(tx, u.id, 'h2'))],
          ['account locked', inTx((tx) => s.accounts.setLocked(tx, u.id, true))],
          ['tree paths moved', () => moveNode(b, a)],
          ['record deleted', inTx((tx) => s.records.delete(tx, held.id))],
        ];
        for (const [what, change] of changes) {
          const before = await epoch();
          await change();
          expect(await epoch(), what).toBeGreaterThan(before);
        }
        // Reads, a new session, record saves: who may do what is as it was.
        const other = await account();
        const still = await epoch();
        const theirs = await s.sessions.startSession(db, other.id);
        await s.sessions.session(db, theirs.token);
        await s.accounts.grants(db, u.id);
        const saved = await item(root, { n: 1 });
        await s.unitOfWork.transaction(db, (tx) => s.records.update(tx, { ...saved, data: { n: 2 }, version: 2 }, 1, null, audit('update')));
        expect(await epoch()).toBe(still);
      });

      it('a username is taken once; an account bound to a record is found by it', async () => {
        const root = await node();
        const r = await item(root);
        const u = await account();
        // The store refuses a taken username in words, on every adapter (two servers creating at once).
        const taken = await account(u.username).then(() => null, (e: unknown) => e);
        expect(taken).toBeInstanceOf(DomainError);
        expect([(taken as DomainError).kind, (taken as DomainError).details]).toEqual(['invalid', [{ path: '/username', message: `「用户名」“${u.username}”已被使用` }]]);
        const bound = await s.accounts.create(db, { username: `b${newId()}`, passwordHash: 'h', displayName: '本人', self: { collection: ITEMS, recordId: r.id } });
        // A record has at most one account: a second, in a transaction of its own, is refused and leaves nothing.
        const second = await s.unitOfWork.transaction(db, (tx) => s.accounts.create(tx, { username: `c${newId()}`, passwordHash: 'h', displayName: '又一个', self: { collection: ITEMS, recordId: r.id } }))
          .then(() => null, (e: unknown) => e);
        expect([(second as DomainError).kind, (second as DomainError).details]).toEqual(['invalid', [{ path: '/record', message: '该人员已有账号' }]]);
        expect((await s.accounts.all(db)).filter((a) => a.self_record === r.id).map((a) => a.id)).toEqual([bound]);
        expect((await s.accounts.bySelfRecord(db, r.id))!.id).toBe(bound);
        expect((await s.grants.userBoundTo(db, r.id))!.id).toBe(bound);
        expect((await s.accounts.principalByName(db, u.username))!.userId).toBe(u.id);
        expect((await s.accounts.all(db)).map((a) => a.id)).toEqual(expect.arrayContaining([u.id, bound]));
      });
    });

    describe('grants', () => {
      it('are added once, listed on their node and in a subtree, follow their node\'s moves and go with it', async () => {
        const root = await node();
        const a = await node(root);
        const b = await node(root);
        const uid = await s.accounts.create(db, { username: `g${newId()}`, passwordHash: 'h', displayName: '甲' });
        expect(await s.grants.add(db, uid, 'admin', a.id)).toBe(true);
        expect(await s.grants.add(db, uid, 'admin', a.id)).toBe(false);
        await s.grants.add(db, uid, 'reader', b.id);
        expect((await s.grants.onNode(db, a.id)).map((g) => [g.userId, g.role])).toEqual([[uid, 'admin']]);
        expect((await s.grants.inSubtree(db, root.path, pathUpperBound(root.path), 'name', 10)).map((g) => [g.nodeId, g.nodeLabel, g.role]))
          .toEqual([[a.id, a.data.name, 'admin'], [b.id, b.data.name, 'reader']]);
        expect(await s.grants.grantedNodes(db)).toEqual(expect.arrayContaining([a.id, b.id]));
        const moved = await moveNode(a, b);
        expect(await s.accounts.grants(db, uid)).toEqual([{ role: 'reader', nodeId: b.id, path: b.path }, { role: 'admin', nodeId: a.id, path: moved.path }]);
        expect(await s.grants.remove(db, uid, 'reader', b.id)).toBe(true);
        expect(await s.grants.remove(db, uid, 'reader', b.id)).toBe(false);
        await s.records.delete(db, moved.id);
        expect(await s.accounts.grants(db, uid)).toEqual([]);
      });
    });

    describe('directory', () => {
      it('stores a row under each of its keys, and refuses as a whole a replacement the loader may not make', async () => {
        const loader = { by: 'alice', at: at(), path: '/x/' };
        expect(await s.directory.put(db, 'unit', [['code', 'C1'], ['name', '甲单位']], { code: 'C1', name: '甲单位' }, loader, () => true)).toBeNull();
        expect(await s.directory.find(db, 'unit', 'name', '甲单位')).toMatchObject({ data: { code: 'C1', name: '甲单位' }, loader: { by: 'alice', path: '/x/' } });
        const foreign = await s.directory.put(db, 'unit', [['code', 'C2'], ['name', '甲单位']], { code: 'C2', name: '甲单位' },
          { by: 'bob', at: at(), path: '/y/' }, (stored) => stored.by === 'bob');
        expect(foreign).toMatchObject({ key: 'name', value: '甲单位', loader: { by: 'alice' } });
        expect(await s.directory.find(db, 'unit', 'code', 'C2')).toBeNull();
        expect((await s.directory.find(db, 'unit', 'name', '甲单位'))!.data.code).toBe('C1');
        expect(await s.directory.find(db, 'other', 'code', 'C1')).toBeNull();
      });

      it('two uploads of one key at once: the later one asks whether it may replace the earlier one\'s row', async () => {
        // Each loader may replace only its own rows and holds its upload open a moment after its put, so the uploads overlap.
        const upload = (by: string) => s.unitOfWork.transaction(db, async (tx) => {
          const held = await s.directory.put(tx, 'unit', [['code', 'C9']], { code: 'C9', by }, { by, at: at(), path: `/${by}/` }, (stored) => stored.by === by);
          await new Promise((resolve) => setTimeout(resolve, 50));
          return held;
        });
        const outcomes = await Promise.all([upload('alice'), upload('bob')]);
        const written = outcomes.findIndex((held) => held === null);
        expect(outcomes.filter((held) => held === null)).toHaveLength(1);
        expect(outcomes[1 - written]).toMatchObject({ key: 'code', value: 'C9', loader: { by: ['alice', 'bob'][written] } });
        expect((await s.directory.find(db, 'unit', 'code', 'C9'))!.data.by).toBe(['alice', 'bob'][written]);
      });

      it('finds the tree\'s roots and records deleted while holding a value', async () => {
        const root = await node();
        await node(root);
        expect(await s.directory.treeRootPaths(db, TREE)).toEqual([root.path]);
        const r = await item(root, { code: 'Z9' });
        await s.records.delete(db, r.id);
        await s.audit.append(db, { actor: 'tester', collection: ITEMS, recordId: r.id, action: 'delete', fromState: null, toState: null, diff: { code: ['Z9', null] }, note: null });
        expect(await s.directory.deletedRecordsBy(db, ITEMS, 'code', 'Z9')).toMatchObject([{ recordId: r.id, actor: 'tester', data: { code: 'Z9' } }]);
      });
    });

    describe('import log', () => {
      it('keeps each preview, its outcome and its error workbook, newest first per collection and person', async () => {
        const counts = { new: 2, changed: 1, unchanged: 0, invalid: 1 };
        await s.importLog.add(db, { id: 'i1', collection: ITEMS, actor: 'alice', filename: 'a.xlsx', total: 4, counts, errorsFile: Buffer.from('xlsx') });
        await s.importLog.add(db, { id: 'i2', collection: ITEMS, actor: 'bob', filename: null, total: 0, counts: { new: 0, changed: 0, unchanged: 0, invalid: 0 }, errorsFile: null });
        expect(await s.importLog.get(db, 'i1')).toMatchObject({ status: 'previewed', total: 4, counts, hasErrorsFile: true, committedAt: null });
        expect(await s.importLog.errorsFile(db, 'i1')).toEqual(Buffer.from('xlsx'));
        expect(await s.importLog.errorsFile(db, 'i2')).toBeNull();
        await s.importLog.finish(db, 'i1', 'failed', '出错');
        expect(await s.importLog.get(db, 'i1')).toMatchObject({ status: 'failed', message: '出错' });
        expect((await s.importLog.list(db, ITEMS, null)).map((e) => e.id)).toEqual(['i2', 'i1']);
        expect((await s.importLog.list(db, ITEMS, 'alice')).map((e) => e.id)).toEqual(['i1']);
        expect(await s.importLog.list(db, 'other', null)).toEqual([]);
      });
    });

    describe('import previews', () => {
      it("the commit's transaction takes its owner's open preview: a rollback gives it back whole, a commit removes it", async () => {
        const rows: PreviewRow[] = [{ row: 2, action: 'new', title: 'P1', data: { code: 'P1' }, errors: [] }];
        await s.importPreviews.put(db, { id: 'p1', owner: 'u1', collection: ITEMS, at: 1000 }, rows);
        expect(await s.unitOfWork.transaction(db, (tx) => s.importPreviews.take(tx, 'p1', 'u2'))).toBe(false); // not the owner's
        const lost = await s.unitOfWork.transaction(db, async (tx) => {
          expect(await s.importPreviews.take(tx, 'p1', 'u1')).toBe(true);
          throw new Error('connection lost');
        }).catch((e: Error) => e.message);
        expect(lost).toBe('connection lost');
        expect(await s.importPreviews.get(db, 'p1')).toMatchObject({ owner: 'u1', state: 'open', at: 1000 });
        expect(await s.importPreviews.rows(db, 'p1')).toEqual(rows);
        expect(await s.unitOfWork.transaction(db, (tx) => s.importPreviews.take(tx, 'p1', 'u1'))).toBe(true);
        expect(await s.importPreviews.get(db, 'p1')).toBeUndefined();
        expect(await s.unitOfWork.transaction(db, (tx) => s.importPreviews.take(tx, 'p1', 'u1'))).toBe(false);
        await s.importPreviews.put(db, { id: 'p2', owner: 'u1', collection: ITEMS, at: 1000 }, rows);
        await s.importPreviews.sweep(db, 1001);
        expect(await s.importPreviews.get(db, 'p2')).toBeUndefined();
      });
    });

    describe('seed lock', () => {
      it('seeding transactions started together run one after the other: the second sees the first one\'s data', async () => {
        const seeding = opened();
        const root = record({ id: newId(), collection: TREE, nodeId: null, path: '/', data: { name: 'seeded' } });
        root.path = `/${root.id}/`;
        const first = s.unitOfWork.transaction(db, async (tx) => {
          await s.seedLock.hold(tx);
          expect(await s.records.none(tx)).toBe(true);
          seeding.open();
          await pause(); // the second has started meanwhile
          await s.records.create(tx, root, [], audit());
        });
        await seeding.reached;
        const second = s.unitOfWork.transaction(db, async (tx) => {
          await s.seedLock.hold(tx);
          return s.records.none(tx);
        });
        await first;
        expect(await second).toBe(false);
      });
    });

    describe('config versions', () => {
      it('are numbered one after another and immutable; the draft is one, saved over its version', async () => {
        const files = { 'forms/a.json': '{"x":1}', 'fonts/f.ttf': { base64: 'AAEC' } };
        const v1 = await s.configVersions.insert(db, { files, hash: 'h1', author: null, at: at(), note: '初始', origin: 'files', basedOn: null });
        const v2 = await s.configVersions.insert(db, { files: {}, hash: 'h2', author: 'a', at: at(), note: null, origin: 'draft', basedOn: v1 });
        expect(v2).toBe(v1 + 1);
        expect(await s.configVersions.get(db, v1)).toMatchObject({ number: v1, files, hash: 'h1', origin: 'files', basedOn: null });
        expect((await s.configVersions.list(db)).map((v) => v.number)).toEqual([v2, v1]);
        expect(await refusedOutright(store.probes.rewriteConfigVersion(v1))).toBe('refused');
        expect(await refusedOutright(store.probes.deleteConfigVersion(v1))).toBe('refused');
        expect((await s.configVersions.get(db, v1))!.files).toEqual(files);

        expect(await s.configVersions.initHead(db, v1, 'h1')).toBe(true);
        expect(await s.configVersions.head(db)).toEqual({ published: v1, filesVersion: v1, filesHash: 'h1' });
        // A second first head (another instance starting at the same moment) is no head at all.
        expect(await s.configVersions.initHead(db, v2, 'h2')).toBe(false);
        expect(await s.configVersions.head(db)).toEqual({ published: v1, filesVersion: v1, filesHash: 'h1' });
        await s.configVersions.setFilesImported(db, null, 'h3');
        expect(await s.configVersions.head(db)).toEqual({ published: v1, filesVersion: v1, filesHash: 'h3' });

        const d = { base: v1, files, origin: 'admin', actor: 'a', at: at() };
        expect(await s.configVersions.createDraft(db, d)).toBe(true);
        expect(await s.configVersions.createDraft(db, d)).toBe(false);
        expect(await s.configVersions.saveDraft(db, {}, 1, 'a', at())).toBe(true);
        expect(await s.configVersions.saveDraft(db, { x: 'y' }, 1, 'a', at())).toBe(false);
        expect(await s.configVersions.propose(db, 2, 'a', at(), '请审核')).toBe(true);
        expect(await s.configVersions.draft(db)).toMatchObject({ version: 2, files: {}, proposedBy: 'a', proposedVersion: 2 });
        await s.configVersions.deleteDraft(db);
        expect(await s.configVersions.draft(db)).toBeUndefined();

        await s.configVersions.appendHistory(db, { actor: 'a', action: 'open' });
        await s.configVersions.appendHistory(db, { actor: 'a', action: 'publish', version: v2, detail: { n: 1 } });
        expect((await s.configVersions.history(db, 10)).map((h) => [h.action, h.version, h.detail])).toEqual([['publish', v2, { n: 1 }], ['open', null, null]]);
      });

      it('appended by several writers at once, take consecutive numbers (server instances publishing at the same moment)', async () => {
        const version = (n: number) => ({ files: { n: String(n) }, hash: `h${n}`, author: null, at: at(), note: null, origin: 'files', basedOn: null });
        // Each holds its transaction open a moment after appending, so the appends overlap wherever writers run side by side.
        const numbers = await Promise.all([1, 2, 3].map((n) => s.unitOfWork.transaction(db, async (tx) => {
          const number = await s.configVersions.insert(tx, version(n));
          await new Promise((resolve) => setTimeout(resolve, 50));
          return number;
        })));
        expect([...numbers].sort()).toEqual([1, 2, 3]);
        expect((await s.configVersions.list(db)).map((v) => v.number)).toEqual([3, 2, 1]);
      });
    });

    describe('transactions', () => {
      it('are all or nothing: a throw undoes every write made in one, record, keys and audit alike', async () => {
        const root = await node();
        const r = record({ id: newId(), collection: ITEMS, nodeId: root.id, path: root.path, data: { code: 'T1' } });
        const err = await s.unitOfWork.transaction(db, async (tx) => {
          await s.records.create(tx, r, [['code', kv('T1')]], audit());
          expect((await s.records.get(tx, r.id))?.id).toBe(r.id); // the transaction sees its own write
          await s.importLog.add(tx, { id: `imp${r.id}`, collection: ITEMS, actor: null, filename: null, total: 0, counts: { new: 0, changed: 0, unchanged: 0, invalid: 0 }, errorsFile: null });
          throw new Error('abandoned');
        }).catch((e: Error) => e.message);
        expect(err).toBe('abandoned');
        expect(await s.records.get(db, r.id)).toBeUndefined();
        expect(await s.uniqueKeys.holders(db, ITEMS, 'code', [kv('T1')])).toEqual(new Map());
        expect(await s.audit.countForRecord(db, r.id)).toBe(0);
        expect(await s.importLog.get(db, `imp${r.id}`)).toBeUndefined();
        expect(await s.unitOfWork.transaction(db, async (tx) => { await s.records.create(tx, r, [], audit()); return 'done'; })).toBe('done');
        expect((await s.records.get(db, r.id))?.id).toBe(r.id);
      });

      it('a savepoint undoes only what was written inside it; the rest of the transaction commits', async () => {
        const root = await node();
        const kept = record({ id: newId(), collection: ITEMS, nodeId: root.id, path: root.path, data: {} });
        const undone = record({ id: newId(), collection: ITEMS, nodeId: root.id, path: root.path, data: {} });
        const after = record({ id: newId(), collection: ITEMS, nodeId: root.id, path: root.path, data: {} });
        const outcome = await s.unitOfWork.transaction(db, async (tx) => {
          await s.unitOfWork.savepoint(tx, (sp) => s.records.create(sp, kept, [], audit()));
          const failed = await s.unitOfWork.savepoint(tx, async (sp) => {
            await s.records.create(sp, undone, [], audit());
            await s.records.update(sp, { ...kept, version: 2 }, 7, null, audit('update')); // stale: refused
          }).catch((e) => (e as RecordWriteRefused).reason);
          await s.records.create(tx, after, [], audit());
          return failed;
        });
        expect(outcome).toBe('stale');
        expect((await s.records.getMany(db, [kept.id, undone.id, after.id])).map((r) => r.id).sort()).toEqual([kept.id, after.id].sort());
        expect(await s.audit.countForRecord(db, undone.id)).toBe(0);
        expect(await counters(root)).toEqual({ '': [2, 0] });
      });
    });

    describe('the smaller reads', () => {
      it('the tree\'s shape: children in the order made, which nodes have children, labels', async () => {
        const root = await node(undefined, { name: '根' });
        const a = await node(root, { name: '甲' });
        const b = await node(root, { name: '乙' });
        await item(a);
        expect(await s.treeNodes.childIds(db, TREE, root.id)).toEqual([a.id, b.id]);
        expect(await s.treeNodes.withChildren(db, TREE, [root.id, a.id, b.id])).toEqual(new Set([root.id]));
        expect(await s.treeNodes.labels(db, 'name', [root.id, b.id])).toEqual(new Map([[root.id, '根'], [b.id, '乙']]));
      });

      it('what workflow guards read: records on a node, per state, the last sender of an event, nodes\' data', async () => {
        const root = await node(undefined, { name: '根' });
        const r = await item(root, {}, { state: 'draft' });
        await item(root, {}, { state: 'done' });
        await item(root, {}, { state: 'done' });
        await s.records.update(db, { ...r, state: 'done', version: 2, updatedBy: 'alice' }, 1, null, audit('submit'));
        expect(await s.workflowFacts.countOnNode(db, ITEMS, root.id)).toBe(3);
        expect(await s.workflowFacts.countByState(db, ITEMS)).toEqual([{ state: 'done', n: 3 }]);
        expect(await s.workflowFacts.lastSender(db, r.id, 'submit')).toBe('alice');
        expect(await s.workflowFacts.lastSender(db, r.id, 'approve')).toBeUndefined();
        expect(await s.workflowFacts.dataOf(db, [root.id])).toEqual(new Map([[root.id, { name: '根' }]]));
      });

      it('failed logins: counted per key in a window, blocked, cleared, expired counters pruned', async () => {
        const t = 1_000_000;
        const key = `k${newId()}`;
        const inTx = <T>(fn: (tx: Tx) => Promise<T>) => s.unitOfWork.transaction(db, fn);
        await inTx((tx) => s.loginFailures.add(tx, key, t, t + 100, true));
        expect(await inTx((tx) => s.loginFailures.add(tx, key, t + 10, t + 500, true))).toMatchObject({ failures: 2, firstAt: t });
        await inTx((tx) => s.loginFailures.block(tx, key, t + 50));
        await inTx((tx) => s.loginFailures.block(tx, key, t + 20)); // never shortens a block
        expect(await s.loginFailures.read(db, [key, 'other'], t + 20)).toEqual([{ key, failures: 2, firstAt: t, blockedUntil: t + 50 }]);
        expect(await s.loginFailures.read(db, [key], t + 100)).toEqual([]); // kept the first expiry: the window is fixed
        expect(await inTx((tx) => s.loginFailures.add(tx, key, t + 200, t + 300, false))).toMatchObject({ failures: 1, firstAt: t + 200, blockedUntil: 0 });
        await s.loginFailures.clear(db, key);
        expect(await s.loginFailures.read(db, [key], t + 200)).toEqual([]);
        const old = `o${newId()}`;
        await inTx((tx) => s.loginFailures.add(tx, old, t, t + 1, false));
        expect(await s.loginFailures.read(db, [old], t)).toHaveLength(1);
        await inTx((tx) => s.loginFailures.prune(tx, t + 2));
        expect(await s.loginFailures.read(db, [old], t)).toEqual([]); // gone, not only expired: read at an earlier moment finds nothing
      });

      it('saved queries: a person\'s own, and those shared on a subtree overlapping what they read', async () => {
        const root = await node();
        const a = await node(root);
        const b = await node(root);
        const me = await s.accounts.create(db, { username: `q${newId()}`, passwordHash: 'h', displayName: '我' });
        const other = await s.accounts.create(db, { username: `q${newId()}`, passwordHash: 'h', displayName: '他' });
        const q = (owner: string, name: string, sharedPath: string | null) => s.savedQueries.create(db, { owner, collection: ITEMS, kind: 'query', name, spec: { n: name }, sharedPath });
        const mine = await q(me, '我的', null);
        await q(other, '他的', null);
        await q(other, '上级共享', root.path);
        await q(other, '下级共享', a.path);
        await q(other, '旁支共享', b.path);
        const names = async () => (await s.savedQueries.list(db, me, ITEMS, [a.path])).map((x) => x.name).sort();
        expect(await names()).toEqual(['上级共享', '下级共享', '我的'].sort());
        expect((await s.savedQueries.list(db, me, ITEMS, [])).map((x) => [x.name, x.ownerName, x.spec])).toEqual([['我的', '我', { n: '我的' }]]);
        expect(await s.savedQueries.remove(db, other, mine)).toBe(false);
        expect(await s.savedQueries.remove(db, me, mine)).toBe(true);
        expect(await names()).toEqual(['上级共享', '下级共享'].sort());
      });

      it('conditions within a scope: pages, counts and grouped counts; code fields counted from their index', async () => {
        const root = await node();
        const a = await node(root);
        const b = await node(root);
        await item(a, { kind: 'x', born: '1980-05-01' });
        await item(a, { kind: 'y', born: '1990-01-01' });
        await item(b, { kind: 'x', born: '1985-03-01' });
        // On the node itself: grouped by child, its records form the group '' (the node's own level).
        await item(root, { kind: 'y', born: '1970-01-01' });
        const q = { collection: ITEMS, scope: { paths: [root.path] }, where: { op: 'in' as const, field: 'kind', values: ['x'] } };
        expect(await s.recordConditions.count(db, q)).toBe(2);
        const sorted = await s.recordConditions.page(db, q, { limit: 1, offset: 0, sort: { field: 'born', desc: true } });
        expect([sorted.items.map((r) => r.data.born), sorted.more]).toEqual([['1985-03-01'], true]);
        expect(await s.recordConditions.count(db, { ...q, scope: { paths: [a.path] } })).toBe(1);
        const groups = await s.recordConditions.groupCount(db, { collection: ITEMS, scope: { paths: [root.path] } }, [{ by: 'child', path: root.path }, { by: 'value', field: 'kind' }]);
        expect(groups.map((g) => [...g.keys, g.n]).sort()).toEqual([[a.id, 'x', 1], [a.id, 'y', 1], [b.id, 'x', 1], ['', 'y', 1]].sort());
        const facts = await s.factIndex.groupCount(db, ITEMS, ['kind'], { paths: [root.path] }, root.path);
        expect(facts.map((f) => [f.child, ...f.values, f.n]).sort()).toEqual([[a.id, 'x', 1], [a.id, 'y', 1], [b.id, 'x', 1], ['', 'y', 1]].sort());
        expect((await s.factIndex.groupCount(db, ITEMS, ['kind'], { paths: [a.path] })).map((f) => [...f.values, f.n]).sort()).toEqual([['x', 1], ['y', 1]]);
      });

      it('completeness flags: read in batches by a code field\'s values, rewritten with the counters following', async () => {
        const root = await node();
        const r1 = await item(root, { kind: 'x' }, { state: 'draft' });
        await item(root, { kind: 'y' }, { state: 'draft' });
        const r3 = await item(root, { kind: 'x' }, { state: 'draft' });
        const matches = [{ field: 'kind', codes: ['x'] }];
        expect(await s.completeness.count(db, ITEMS, matches)).toBe(2);
        const first = await s.completeness.batch(db, ITEMS, matches, 0, 1);
        expect(first.map((f) => [f.id, f.data, f.complete])).toEqual([[r1.id, { kind: 'x' }, false]]);
        const rest = await s.completeness.batch(db, ITEMS, matches, first[0].seq, 10);
        expect(rest.map((f) => f.id)).toEqual([r3.id]);
        await s.completeness.set(db, r3.id, true);
        expect(await counters(root)).toEqual({ draft: [3, 1] });
        // A save since the batch read r1 keeps its own verdict: the flag is written only over the version read.
        await s.records.update(db, { ...r1, data: { kind: 'x', more: 1 }, version: 2 }, 1, null, audit('update'));
        expect(await s.completeness.set(db, r1.id, true, first[0].version)).toBe(false);
        expect((await s.records.get(db, r1.id))?.complete).toBe(false);
        expect(await s.completeness.set(db, r1.id, true, 2)).toBe(true);
        expect(await counters(root)).toEqual({ draft: [3, 2] });
      });
    });

    describe('maintenance', () => {
      it('a backup is a consistent copy that opens as a store of its own', async () => {
        await s.maintenance.health(db);
        const root = await node();
        const r = await item(root, { code: 'B1' });
        await s.accounts.create(db, { username: `k${newId()}`, passwordHash: 'h', displayName: '备份' });
        const file = join(store.scratchDir, 'backup.db');
        const made = await s.maintenance.backupTo(db, file);
        expect(existsSync(file)).toBe(true);
        // What the backup says it holds, counted in the copy's own snapshot, and how to restore it.
        expect([made.records, made.users]).toEqual([2, 1]);
        expect(made.restore).toContain(file);
        await s.records.delete(db, r.id); // after the copy: not in it
        const copy = await store.openCopy(file);
        try {
          expect(await copy.storage.maintenance.counts(copy.storage.db)).toEqual({ records: 2, users: 1 });
          expect((await copy.storage.records.get(copy.storage.db, r.id))?.data).toEqual({ code: 'B1' });
          expect(await copy.storage.audit.countForRecord(copy.storage.db, r.id)).toBe(1);
        } finally {
          await copy.close();
        }
        expect(await s.maintenance.counts(db)).toEqual({ records: 1, users: 1 });
      });

      it('migrating again changes nothing', async () => {
        const version = await s.maintenance.migrate(db);
        expect(await s.maintenance.migrate(db)).toBe(version);
        expect(await s.records.none(db)).toBe(true);
      });
    });
  });
}
