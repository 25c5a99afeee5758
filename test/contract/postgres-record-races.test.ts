/**
 * What only a server database lets happen: a writer reads a record inside its transaction, a branch
 * move commits on another connection meanwhile (it bumps no version), and the writer writes the
 * record back with the path it read. SQLite's one writer cannot interleave so; on PostgreSQL the
 * record must still land where its node now is, and the counters must follow it there.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Storage, StoredRecord } from '../../engine/ports.js';
import { audit } from './storage-contract.js';
import { PgDatabase } from '../../engine/storage/postgres/connection.js';
import { postgresStorage } from '../../engine/storage/postgres/postgres-storage.js';
import { startPgCluster, type PgCluster } from '../helpers/pg-cluster.js';

let cluster: PgCluster;
let s: Storage;
beforeAll(async () => {
  cluster = await startPgCluster();
  s = postgresStorage(await PgDatabase.open(await cluster.createDatabase())) as Storage;
  await s.maintenance.migrate(s.db);
});
afterAll(async () => {
  await s?.close();
  await cluster?.stop();
});

const at = '2024-01-01T00:00:00.000Z';
const record = (id: string, collection: string, nodeId: string | null, path: string, state: string | null = null): StoredRecord => ({
  id, collection, nodeId, path, data: {}, state, workflow: null, workflowContext: null, complete: false, codeVersions: null, version: 1,
  createdAt: at, createdBy: 'tester', updatedAt: at, updatedBy: 'tester',
});

it('a record read before a branch move committed and written after it lands under its node\'s new place', async () => {
  const db = s.db;
  const root = record('r', 'node', null, '/r/');
  const p = record('p', 'node', 'r', '/r/p/');
  const q = record('q', 'node', 'r', '/r/q/');
  const branch = record('b', 'node', 'p', '/r/p/b/');
  const leaf = record('l', 'node', 'b', '/r/p/b/l/');
  const item = record('i', 'item', 'l', '/r/p/b/l/', 'draft');
  for (const r of [root, p, q, branch, leaf, item]) await s.records.create(db, r, [], audit('create'));

  await s.unitOfWork.transaction(db, async (tx) => {
    const before = (await s.records.get(tx, item.id))!;
    const beforeLeaf = (await s.records.get(tx, leaf.id))!;
    // The move, on another connection, commits now.
    await s.unitOfWork.transaction(db, async (mover) => {
      await s.records.movePaths(mover, branch.path, '/r/q/b/');
      await s.records.update(mover, { ...branch, nodeId: q.id, path: '/r/q/b/', version: 2 }, 1, null, audit('move'));
    });
    await s.records.update(tx, { ...before, state: 'done', version: 2 }, 1, null, audit('submit'));
    await s.records.update(tx, { ...beforeLeaf, data: { renamed: true }, version: 2 }, 1, null, audit('edit'));
  });

  expect((await s.records.get(db, item.id))!.path).toBe('/r/q/b/l/');
  expect((await s.records.get(db, leaf.id))!.path).toBe('/r/q/b/l/');
  expect((await s.audit.forRecord(db, item.id)).entries.map((e) => e.action)).toEqual(['create', 'submit']);
  expect((await s.records.page(db, { collection: 'item', subtree: q.path }, 10)).items.map((r) => r.id)).toEqual([item.id]);
  const counters = async (n: StoredRecord) => (await s.subtreeStats.ofNode(db, (await s.records.get(db, n.id))!.path, ['item'])).map((c) => [c.state, c.total]);
  expect(await counters(q)).toEqual([['done', 1]]);
  expect(await counters(p)).toEqual([]);
  expect(await counters(root)).toEqual([['done', 1]]);
});

it('a batch made for nodes that were deleted or moved since it read them is refused whole, writing nothing', async () => {
  const db = s.db;
  const root = record('br', 'node', null, '/br/');
  const gone = record('bg', 'node', 'br', '/br/bg/');
  const away = record('ba', 'node', 'br', '/br/ba/');
  const other = record('bo', 'node', 'br', '/br/bo/');
  for (const r of [root, gone, away, other]) await s.records.create(db, r, [], audit('create'));
  // The batch is made from what was read; then, on another connection, one node is deleted and one moved.
  const onGone = record('bi1', 'item', gone.id, gone.path);
  const onAway = record('bi2', 'item', away.id, away.path);
  await s.records.delete(db, gone.id);
  await s.unitOfWork.transaction(db, async (mover) => {
    await s.records.movePaths(mover, away.path, '/br/bo/ba/');
    await s.records.update(mover, { ...away, nodeId: other.id, path: '/br/bo/ba/', version: 2 }, 1, null, audit('move'));
  });
  for (const batch of [[onGone], [onAway]]) {
    const err = await s.unitOfWork.transaction(db, (tx) => s.recordBatch.insert(tx, batch, [], null)).catch((e) => e);
    expect(err).toMatchObject({ kind: 'conflict', code: 'node_changed' });
  }
  expect(await s.records.getMany(db, [onGone.id, onAway.id])).toEqual([]);
  // Made again from the nodes as they are now, it goes in.
  await s.unitOfWork.transaction(db, (tx) => s.recordBatch.insert(tx, [{ ...onAway, path: '/br/bo/ba/' }], [], null));
  expect((await s.records.get(db, onAway.id))?.path).toBe('/br/bo/ba/');
});
