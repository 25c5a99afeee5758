/**
 * An edit that writes its record only is one record-write statement, without a transaction
 * (engine/records/service.ts update): atomic by itself and refused at a stale version — yet safe
 * when the record's node moves between the edit's read and its write (the write checks the node it
 * read and the edit is made again inside a transaction), and still a transaction when the change
 * writes other records too (a field an organization derives from). On both adapters.
 */
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { startTestServer, type TestServer } from '../helpers/server.js';
import type { Client } from '../helpers/client.js';
import { memberData, nodeId } from '../helpers/demo.js';
import { rawDb } from '../helpers/raw-db.js';
import type { Storage } from '../../engine/ports.js';

describe('an edit outside a transaction', () => {
  let s: TestServer;
  let admin: Client;
  beforeAll(async () => {
    s = await startTestServer();
    admin = await s.login('bj_admin');
  });
  afterAll(async () => { await s.stop(); });

  const placeOf = async (id: string) => (await rawDb(s).get<{ path: string; node_id: string }>('SELECT path, node_id FROM records WHERE id = ?', [id]))!;

  it('lands at its node\'s new place when the node moved between the edit\'s read and its write', async () => {
    const huimin = await nodeId(admin, '惠民党支部');
    const chaoyang = await nodeId(admin, '朝阳区党委');
    const m = (await admin.post('/api/records/member', memberData(huimin))).body;
    const records = s.engine.storage.records;
    const write = records.update;
    let writes = 0;
    // Just before the member's write reaches the database, its branch moves to another district.
    records.update = (async (...args: Parameters<Storage['records']['update']>) => {
      if (args[1].id === m.id && writes++ === 0) {
        const branch = await admin.get(`/api/records/organization/${huimin}`);
        const res = await admin.put(`/api/records/organization/${huimin}`, { ...branch.body.data, parentId: chaoyang }, branch.body.version);
        expect(res.status, JSON.stringify(res.body)).toBe(200);
      }
      return write.apply(records, args);
    }) as typeof write;
    try {
      const res = await admin.put(`/api/records/member/${m.id}`, { ...m.data, address: '北京市朝阳区移动后1号' }, m.version);
      expect(res.status, JSON.stringify(res.body)).toBe(200);
    } finally {
      records.update = write;
    }
    // Written twice: refused once because the node had moved, then made again in a transaction.
    expect(writes).toBe(2);
    const node = await placeOf(huimin);
    const member = await placeOf(m.id);
    expect(member.node_id).toBe(huimin);
    expect(member.path).toBe(node.path); // a member's place is its branch's
    expect(node.path.includes(`/${chaoyang}/`)).toBe(true);
    const stored = (await admin.get(`/api/records/member/${m.id}`)).body;
    expect(stored).toMatchObject({ version: 2, data: { address: '北京市朝阳区移动后1号' } });
    // Listed under its branch's new district: the counters followed too.
    const listed = await admin.get(`/api/records/member?node=${chaoyang}&deep=1&limit=500`);
    expect(listed.body.items.map((r: { id: string }) => r.id)).toContain(m.id);
  });

  it('two edits of one version: one is stored, the other refused as stale, each whole', async () => {
    const huimin = await nodeId(admin, '惠民党支部');
    const m = (await admin.post('/api/records/member', memberData(huimin))).body;
    const [a, b] = await Promise.all([
      admin.put(`/api/records/member/${m.id}`, { ...m.data, address: '甲' }, m.version),
      admin.put(`/api/records/member/${m.id}`, { ...m.data, address: '乙' }, m.version),
    ]);
    expect([a.status, b.status].sort()).toEqual([200, 409]);
    const history = (await admin.get(`/api/records/member/${m.id}/history`)).body.items;
    expect(history.map((e: { action: string }) => e.action)).toEqual(['create', 'update']);
  });
});
