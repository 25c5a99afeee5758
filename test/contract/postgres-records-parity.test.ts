/**
 * The record parts of the two adapters side by side: one seeded sequence of record writes — creates
 * on a growing tree, state and completeness changes, records moved between nodes, branches moved
 * under other branches, deletes, batches, refusals — applied through each port, then the same reads
 * must give the same answers. The contract suite states each behaviour once; this covers what it
 * cannot enumerate: that PostgreSQL's counters, kept from each record's path segments, stay equal to
 * SQLite's, kept through a closure table, over any mix of writes; and that both refuse the same writes.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Storage, StoredRecord, Tx } from '../../engine/ports.js';
import { Database } from '../../engine/storage/sqlite/sqlite.js';
import { sqliteStorage } from '../../engine/storage/sqlite/sqlite-storage.js';
import { PgDatabase } from '../../engine/storage/postgres/connection.js';
import { postgresStorage } from '../../engine/storage/postgres/postgres-storage.js';
import { startPgCluster, type PgCluster } from '../helpers/pg-cluster.js';
import { audit, refusal, scanIds } from './storage-contract.js';

const TREE = 'node';
const ITEMS = 'item';
const STATES = [null, 'draft', 'done', 'sent'];
const at = '2024-01-01T00:00:00.000Z';
const kv = (code: string) => JSON.stringify([code]);

let cluster: PgCluster;
let scratch: string;
let sqlite: Storage;
let pg: Storage;

beforeAll(async () => {
  cluster = await startPgCluster();
  scratch = mkdtempSync(join(tmpdir(), 'caiji-records-parity-'));
  sqlite = sqliteStorage(await Database.open(join(scratch, 'store.db')));
  await sqlite.maintenance.migrate(sqlite.db);
  pg = postgresStorage(await PgDatabase.open(await cluster.createDatabase())) as Storage;
  await pg.maintenance.migrate(pg.db);
});
afterAll(async () => {
  await sqlite?.close();
  await pg?.close();
  await cluster?.stop();
  rmSync(scratch, { recursive: true, force: true });
});

/** A small seeded generator: the same sequence on every run. */
function seeded(seed: number) {
  let x = seed;
  const next = () => (x = (x * 1103515245 + 12345) % 2147483648) / 2147483648;
  return { int: (n: number) => Math.floor(next() * n), pick: <T>(xs: T[]) => xs[Math.floor(next() * xs.length)], chance: (p: number) => next() < p };
}

/** Runs the same write on both adapters and expects the same outcome. */
async function both(write: (s: Storage, db: Tx) => Promise<unknown>): Promise<string> {
  const [x, y] = [await refusal(write(sqlite, sqlite.db)), await refusal(write(pg, pg.db))];
  expect(y).toBe(x);
  return x;
}

/** Asks both adapters the same and expects the same answer. */
async function same<T>(what: string, ask: (s: Storage, db: Tx) => Promise<T>, normalize: (x: T) => unknown = (x) => x): Promise<void> {
  const [x, y] = [await ask(sqlite, sqlite.db), await ask(pg, pg.db)];
  expect(normalize(y), what).toEqual(normalize(x));
}
const sorted = <T>(rows: T[]) => rows.map((r) => JSON.stringify(r)).sort();

it('the same writes give the same records, keys, audit, counters, scans and facts on both adapters', async () => {
  const rnd = seeded(24);
  const nodes = new Map<string, StoredRecord>();
  const items = new Map<string, StoredRecord>();
  let n = 0;
  const id = (p: string) => `${p}${String(++n).padStart(4, '0')}`;
  const base = (rid: string, collection: string, on: StoredRecord | null, path: string, data: Record<string, unknown>): StoredRecord => ({
    id: rid, collection, nodeId: on?.id ?? null, path, data, state: null, workflow: null, workflowContext: null, complete: false,
    codeVersions: null, version: 1, createdAt: at, createdBy: 'tester', updatedAt: at, updatedBy: 'tester',
  });
  const guardOf = (x: StoredRecord) => ({ id: x.id, path: x.path });
  const under = (x: StoredRecord, y: StoredRecord) => y.path.startsWith(x.path);

  const root = base(id('n'), TREE, null, '', { name: '根' });
  root.path = `/${root.id}/`;
  await both((s, db) => s.records.create(db, root, [], audit('create')));
  nodes.set(root.id, root);

  async function compareAll(step: number) {
    const all = [...nodes.values()];
    for (const x of all) {
      await same(`counters of ${x.id} at ${step}`, async (s, db) => s.subtreeStats.ofNode(db, (await s.records.get(db, x.id))!.path, [ITEMS, TREE]), sorted);
      for (const state of [null, 'draft', 'done']) {
        for (const deep of [true, false]) await same(`countUnder ${x.id} ${state} ${deep}`, async (s, db) => s.subtreeStats.countUnder(db, TREE, (await s.records.get(db, x.id))!.path, ITEMS, state, deep));
      }
      await same(`hasDescendants ${x.id}`, (s, db) => s.records.hasDescendants(db, x));
      await same(`countOnNode ${x.id}`, (s, db) => s.workflowFacts.countOnNode(db, ITEMS, x.id));
    }
    await same('countByState', (s, db) => s.workflowFacts.countByState(db, ITEMS));
    const ids = [...nodes.keys(), ...items.keys(), 'missing'];
    await same('records', (s, db) => s.records.getMany(db, ids), (rs) => [...rs].sort((x, y) => (x.id < y.id ? -1 : 1)));
    await same('completeness count', (s, db) => s.completeness.count(db, ITEMS, [{ field: 'kind', codes: ['x'] }]));
  }

  for (let step = 0; step < 160; step++) {
    const op = rnd.int(10);
    const allNodes = [...nodes.values()];
    const liveItems = [...items.values()];
    if (op <= 1 || liveItems.length < 3) {
      // A new node somewhere in the tree.
      const parent = rnd.pick(allNodes);
      const x = base(id('n'), TREE, parent, '', { name: `节点${n}` });
      x.path = `${parent.path}${x.id}/`;
      expect(await both((s, db) => s.records.create(db, x, [], audit('create'), guardOf(parent)))).toBe('written');
      nodes.set(x.id, x);
    }
    if (op <= 4) {
      // A new item, sometimes holding a key another item holds (refused as duplicate on both).
      const on = rnd.pick([...nodes.values()]);
      const code = `K${rnd.int(40)}`;
      const x = { ...base(id('i'), ITEMS, on, on.path, { code, kind: rnd.pick(['x', 'y', 5]) }), state: rnd.pick(STATES), complete: rnd.chance(0.4) };
      const done = await both((s, db) => s.records.create(db, x, [['code', kv(code)]], audit('create', { code: [null, code] }), guardOf(on)));
      if (done === 'written') items.set(x.id, x);
      else expect(done).toBe('duplicate');
    } else if (op === 5 && liveItems.length) {
      // An item's state, completeness, data and sometimes its node change; now and then over a stale version.
      const x = rnd.pick(liveItems);
      const to = rnd.chance(0.4) ? rnd.pick([...nodes.values()]) : nodes.get(x.nodeId!)!;
      const next = { ...x, nodeId: to.id, path: to.path, state: rnd.pick(STATES), complete: rnd.chance(0.5), data: { ...x.data, n: step }, version: x.version + 1 };
      const stale = rnd.chance(0.15);
      const done = await both((s, db) => s.records.update(db, next, stale ? x.version + 3 : x.version, null, audit('edit'), guardOf(to)));
      expect(done).toBe(stale ? 'stale' : 'written');
      if (!stale) items.set(x.id, next);
    } else if (op === 6) {
      // A branch moves under another node outside it, as the records service moves one; sometimes
      // an item is written against the branch's old place afterwards (refused as node_changed).
      const movable = [...nodes.values()].filter((x) => x.id !== root.id);
      if (!movable.length) continue;
      const x = rnd.pick(movable);
      const targets = [...nodes.values()].filter((t) => !under(x, t) && t.id !== x.nodeId);
      if (!targets.length) continue;
      const to = rnd.pick(targets);
      const oldPath = x.path;
      const moved = { ...x, nodeId: to.id, path: `${to.path}${x.id}/`, version: x.version + 1 };
      await both((s, db) => s.unitOfWork.transaction(db, async (tx) => {
        await s.records.movePaths(tx, oldPath, moved.path);
        await s.records.update(tx, moved, x.version, null, audit('move'), guardOf(to));
      }));
      for (const r of [...nodes.values(), ...items.values()]) {
        if (r.path.startsWith(oldPath)) (r.collection === TREE ? nodes : items).set(r.id, { ...r, path: moved.path + r.path.slice(oldPath.length) });
      }
      nodes.set(x.id, { ...nodes.get(x.id)!, nodeId: to.id, version: moved.version });
      const late = base(id('i'), ITEMS, x, oldPath, {});
      expect(await both((s, db) => s.records.create(db, late, [], audit('create'), { id: x.id, path: oldPath }))).toBe('node_changed');
    } else if (op === 7 && liveItems.length) {
      // An item deleted, its delete entry appended.
      const x = rnd.pick(liveItems);
      await both(async (s, db) => {
        await s.records.delete(db, x.id);
        await s.audit.append(db, { actor: 'tester', collection: ITEMS, recordId: x.id, action: 'delete', fromState: x.state, toState: null, diff: { code: [x.data.code, null] }, note: null });
      });
      items.delete(x.id);
    } else if (op === 8) {
      // A batch of new items on one node; a key already held refuses the whole batch on both.
      const on = rnd.pick([...nodes.values()]);
      const batch = Array.from({ length: 2 + rnd.int(4) }, () => ({
        ...base(id('i'), ITEMS, on, on.path, { code: `B${n}`, kind: rnd.pick(['x', 'y']) }), state: rnd.pick(STATES), complete: rnd.chance(0.5),
      }));
      if (rnd.chance(0.2) && liveItems.length) batch[batch.length - 1].data.code = rnd.pick(liveItems).data.code;
      const keys = batch.map((r) => ({ collection: ITEMS, key: 'code', value: kv(String(r.data.code)), recordId: r.id }));
      const done = await Promise.all([sqlite, pg].map((s) => s.unitOfWork.transaction(s.db, (tx) => s.recordBatch.insert(tx, batch, keys, '导入')).then(() => 'written', () => 'refused')));
      expect(done[1]).toBe(done[0]);
      if (done[0] === 'written') for (const r of batch) items.set(r.id, r);
    } else if (op === 9 && liveItems.length) {
      // Flags and states rewritten outside the one-call write (recomputation, demo data).
      const x = rnd.pick(liveItems);
      const complete = !x.complete;
      const state = rnd.pick(['draft', 'done']);
      await both(async (s, db) => {
        await s.completeness.set(db, x.id, complete);
        await s.records.placeInState(db, x.id, state);
      });
      items.set(x.id, { ...x, complete, state });
    }
    if (step % 40 === 39) await compareAll(step);
  }

  // A leaf node deleted: its counters go with it, its ancestors' stay right.
  const leaf = [...nodes.values()].find((x) => x.id !== root.id && ![...nodes.values(), ...items.values()].some((r) => r.id !== x.id && r.path.startsWith(x.path)));
  if (leaf) {
    await both((s, db) => s.records.delete(db, leaf.id));
    nodes.delete(leaf.id);
  }
  await compareAll(-1);
  for (const x of [...items.keys()].slice(0, 30)) {
    await same(`history of ${x}`, (s, db) => s.audit.forRecord(db, x), (h) => h.entries.map(({ id: _, ...e }) => e));
  }
  for (const subtree of [undefined, ...[...nodes.values()].slice(0, 6).map((x) => x.path)]) {
    await same(`scan of ${subtree ?? 'all'}`, (s, db) => scanIds(s, db, ITEMS, 7, subtree));
  }
  await same('completeness batch', async (s, db) => {
    const out: string[] = [];
    for (let after = 0; ;) {
      const rows = await s.completeness.batch(db, ITEMS, [{ field: 'kind', codes: ['x'] }], after, 5);
      if (!rows.length) return out;
      out.push(...rows.map((r) => `${r.id}:${r.complete}`));
      after = rows.at(-1)!.seq;
    }
  });
  await same('key holders', (s, db) => s.uniqueKeys.holders(db, ITEMS, 'code', Array.from({ length: 40 }, (_, i) => kv(`K${i}`))));
  expect(items.size).toBeGreaterThan(40);
  expect(nodes.size).toBeGreaterThan(10);
});
