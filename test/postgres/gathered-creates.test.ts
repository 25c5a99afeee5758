/**
 * Creates on the pool that arrive together go out as one statement (engine/storage/postgres/
 * gathered-creates.ts): fewer round trips than creates, yet every caller hears its own outcome —
 * a taken key, a key taken by another create of the same group, a moved node — and a group that
 * fails as a whole is written again call by call, so one bad call costs the others nothing.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pgStatements } from '../helpers/pg-statements.js';
import { startPgCluster, type PgCluster } from '../helpers/pg-cluster.js';
import { startServer, type RunningServer } from '../../engine/server.js';
import { repoRoot } from '../helpers/paths.js';
import { Client } from '../helpers/client.js';
import { memberData, nodeId } from '../helpers/demo.js';
import { pgRecordWrites } from '../../engine/storage/postgres/record-writes.js';
import { pgRecordsTable } from '../../engine/storage/postgres/records.js';
import type { PgDatabase } from '../../engine/storage/postgres/connection.js';
import { newId, RecordWriteRefused, type StoredRecord } from '../../engine/ports.js';

let cluster: PgCluster;
let server: RunningServer;
let db: PgDatabase;
let admin: Client;
let org: string;

beforeAll(async () => {
  cluster = await startPgCluster();
  server = await startServer({ appRoot: repoRoot, database: await cluster.createDatabase(), port: 0, demo: true });
  db = server.engine.storage.db as PgDatabase;
  admin = new Client(server.url);
  await admin.post('/api/login', { username: 'bj_admin', password: server.demoLogins.find((l) => l.username === 'bj_admin')!.password });
  org = await nodeId(admin, '惠民党支部');
}, 120_000);
afterAll(async () => {
  await server?.close();
  await cluster?.stop();
});

const counts = async () => (await db.query<Record<string, number>>(
  `SELECT (SELECT count(*) FROM records) AS records, (SELECT count(*) FROM audit) AS audit, (SELECT count(*) FROM unique_keys) AS keys,
          (SELECT sum(total) FROM subtree_counts WHERE node_id = $1 AND collection = 'member') AS here`, [org])).rows[0];
const outcome = (p: Promise<unknown>) => p.then(() => 'written', (e) => (e instanceof RecordWriteRefused ? e.reason : 'failed'));
const audit = { action: 'create', fromState: null, diff: null, note: null };

describe('creates gathered into one statement on PostgreSQL', () => {
  it('twelve creates at once: fewer round trips than creates, each refusal its own, the rest stored with keys, audit and counters', async () => {
    const template = (await pgRecordsTable.get(db, (await admin.post('/api/records/member', memberData(org))).body.id))!;
    const taken = String(template.data.idNumber);
    const node = (await pgRecordsTable.get(db, org))!;
    const shared = String(memberData(org).idNumber); // two creates of the same group want it
    const before = await counts();
    const records: StoredRecord[] = Array.from({ length: 12 }, () => ({ ...template, id: newId(), data: memberData(org) }));
    const key = (i: number) => (i === 4 ? taken : i === 6 || i === 7 ? shared : String(records[i].data.idNumber));
    const [sent, outcomes] = await pgStatements(() => Promise.all(records.map((r, i) => outcome(
      pgRecordWrites.create(db, r, [['idNumber', JSON.stringify([key(i)])]], audit, { id: node.id, path: i === 9 ? '/moved/elsewhere/' : node.path })))));
    expect(sent.length).toBeLessThan(12);
    expect(outcomes[4]).toBe('duplicate');
    expect(outcomes[9]).toBe('node_changed');
    expect([outcomes[6], outcomes[7]].sort()).toEqual(['duplicate', 'written']);
    expect(outcomes.filter((o) => o === 'written')).toHaveLength(9);
    const after = await counts();
    expect(after).toMatchObject({ records: before.records + 9, audit: before.audit + 9, keys: before.keys + 9, here: before.here + 9 });
    const stored = await Promise.all(records.map((r) => pgRecordsTable.get(db, r.id)));
    expect(stored.map((r, i) => (r ? 'written' : outcomes[i]))).toEqual(outcomes);
  });

  it('a group that fails as a whole is written call by call: only the bad call fails', async () => {
    const template = (await pgRecordsTable.get(db, (await admin.post('/api/records/member', memberData(org))).body.id))!;
    const node = (await pgRecordsTable.get(db, org))!;
    const before = await counts();
    // A NUL character is text PostgreSQL refuses: the statement carrying it fails, whoever else is in it.
    const records: StoredRecord[] = Array.from({ length: 6 }, (_, i) => ({ ...template, id: newId(), data: memberData(org), updatedBy: i === 2 ? 'a\u0000b' : template.updatedBy }));
    const outcomes = await Promise.all(records.map((r) => outcome(
      pgRecordWrites.create(db, r, [['idNumber', JSON.stringify([String(r.data.idNumber)])]], audit, { id: node.id, path: node.path }))));
    expect(outcomes).toEqual(['written', 'written', 'failed', 'written', 'written', 'written']);
    expect(await counts()).toMatchObject({ records: before.records + 5, audit: before.audit + 5, keys: before.keys + 5, here: before.here + 5 });
  });

  it('over HTTP, concurrent saves of one branch are all stored and listed', async () => {
    const before = (await admin.get(`/api/records/member?node=${org}&limit=1`)).body.total;
    const answers = await Promise.all(Array.from({ length: 10 }, () => admin.post('/api/records/member', memberData(org))));
    expect(answers.map((a) => a.status)).toEqual(Array(10).fill(201));
    expect((await admin.get(`/api/records/member?node=${org}&limit=1`)).body.total).toBe(before + 10);
  });
});
