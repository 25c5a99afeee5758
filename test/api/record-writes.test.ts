import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { startTestServer, type TestServer } from '../helpers/server.js';
import type { Client } from '../helpers/client.js';
import { memberData, nodeId } from '../helpers/demo.js';
import { recordWrites, RecordWriteRefused } from '../../engine/storage/sqlite/record-writes.js';
import { recordsTable } from '../../engine/storage/sqlite/records.js';
import { newId } from '../../engine/ports.js';
import { sqliteOf } from '../helpers/sqlite-of.js';

/**
 * A record write is one statement into the record_writes view (record, unique keys, audit entry):
 * its guards refuse it whole — nothing of it stays in any table — when the parent node moved,
 * the version is stale or a unique key is taken, and the HTTP answers name what happened.
 */
describe('one-statement record writes', () => {
  let s: TestServer;
  let admin: Client;
  let org: string;
  beforeAll(async () => {
    s = await startTestServer();
    admin = await s.login('bj_admin');
    org = await nodeId(admin, '惠民党支部');
  });
  afterAll(async () => { await s.stop(); });

  const counts = async () => {
    const row = await sqliteOf(s.engine).get<Record<string, number>>(
      'SELECT (SELECT count(*) FROM records) AS records, (SELECT count(*) FROM audit) AS audit, (SELECT count(*) FROM unique_keys) AS keys, (SELECT sum(total) FROM subtree_counts) AS counted, (SELECT sum(total) FROM subtree_counts WHERE node_id = ?) AS here', [org]);
    return row!;
  };
  const refusal = (p: Promise<unknown>) => p.then(() => 'written', (e) => (e instanceof RecordWriteRefused ? e.reason : String(e)));

  it('a stale parent path, a stale version or a taken key leave every table as it was', async () => {
    const created = await admin.post('/api/records/member', memberData(org));
    expect(created.status).toBe(201);
    const stored = (await recordsTable.get(sqliteOf(s.engine), created.body.id))!;
    const node = (await recordsTable.get(sqliteOf(s.engine), org))!;
    const before = await counts();
    const fresh = { ...stored, id: newId(), data: memberData(org), version: 1 };
    const audit = { action: 'create', fromState: null, diff: null, note: null };

    expect(await refusal(recordWrites.create(sqliteOf(s.engine), fresh, [['idNumber', JSON.stringify([fresh.data.idNumber])]], audit, { id: node.id, path: '/moved/elsewhere/' }))).toBe('node_changed');
    expect(await refusal(recordWrites.create(sqliteOf(s.engine), fresh, [['idNumber', JSON.stringify([stored.data.idNumber])]], audit, { id: node.id, path: node.path }))).toBe('duplicate');
    expect(await refusal(recordWrites.update(sqliteOf(s.engine), { ...stored, version: 3, data: { ...stored.data, name: '改名' } }, 2, null, audit))).toBe('stale');
    expect(await counts()).toEqual(before);
    expect((await recordsTable.get(sqliteOf(s.engine), stored.id))!.data.name).toBe(stored.data.name);

    // The same statement with its guards satisfied writes record, key, audit and counters at once.
    await recordWrites.create(sqliteOf(s.engine), fresh, [['idNumber', JSON.stringify([fresh.data.idNumber])]], audit, { id: node.id, path: node.path });
    const after = await counts();
    expect(after).toMatchObject({ records: before.records + 1, audit: before.audit + 1, keys: before.keys + 1, here: before.here + 1 });
    expect(after.counted).toBeGreaterThan(before.counted);
  });

  it('concurrent writes share statements, yet a refused one fails alone and the others are all stored', async () => {
    const node = (await recordsTable.get(sqliteOf(s.engine), org))!;
    const taken = (await admin.post('/api/records/member', memberData(org))).body.data.idNumber as string;
    const before = await counts();
    const audit = { action: 'create', fromState: null, diff: null, note: null };
    const template = (await recordsTable.get(sqliteOf(s.engine), (await admin.post('/api/records/member', memberData(org))).body.id))!;
    const base = await counts();
    const writes = Array.from({ length: 12 }, (_, i) => {
      const r = { ...template, id: newId(), data: memberData(org) };
      const key = i === 4 ? taken : String(r.data.idNumber);
      return refusal(recordWrites.create(sqliteOf(s.engine), r, [['idNumber', JSON.stringify([key])]], audit,
        { id: node.id, path: i === 9 ? '/moved/elsewhere/' : node.path }));
    });
    const outcomes = await Promise.all(writes);
    expect(outcomes.filter((o) => o === 'written')).toHaveLength(10);
    expect(outcomes[4]).toBe('duplicate');
    expect(outcomes[9]).toBe('node_changed');
    const after = await counts();
    expect(after).toMatchObject({ records: base.records + 10, audit: base.audit + 10, keys: base.keys + 10, here: base.here + 10 });
    expect(base.records).toBe(before.records + 1);
  });

  it('over HTTP: a duplicate 身份证号码 is a 409 naming the field, and nothing is stored', async () => {
    const first = await admin.post('/api/records/member', memberData(org));
    const before = await counts();
    const dup = await admin.post('/api/records/member', memberData(org, { idNumber: first.body.data.idNumber, birthDate: first.body.data.birthDate }));
    expect(dup.status).toBe(409);
    expect(dup.body.error.code).toBe('duplicate');
    expect(dup.body.error.details[0].path).toBe('/idNumber');
    expect(dup.body.error.message).toContain('身份证号码');
    expect(await counts()).toEqual(before);
  });
});
