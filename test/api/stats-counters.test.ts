import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { startTestServer, type TestServer } from '../helpers/server.js';
import type { Client } from '../helpers/client.js';
import { memberData, nodeId } from '../helpers/demo.js';
import { sqliteOf } from '../helpers/sqlite-of.js';

/**
 * The per-subtree counters (kept by triggers in every writing transaction) against a scan of the
 * records table: after creates, updates, workflow state changes, direct SQL writes, deletes and
 * tree moves, every node's counters equal COUNT(*) over its subtree.
 */
describe('subtree counters agree with a scan', () => {
  let s: TestServer;
  let admin: Client;
  beforeAll(async () => {
    s = await startTestServer();
    admin = await s.login('bj_admin');
  });
  afterAll(async () => { await s.stop(); });

  /** Every (node, collection, state) whose counter and scan disagree. */
  async function mismatches() {
    const db = sqliteOf(s.engine);
    const scan = await db.all<{ node: string; collection: string; state: string; n: number; done: number }>(`
      SELECT n.id AS node, r.collection, coalesce(r.state, '') AS state, count(*) AS n, sum(r.complete) AS done
      FROM records n JOIN records r ON r.path >= n.path AND r.path < substr(n.path, 1, length(n.path) - 1) || '0'
      WHERE n.collection = 'organization' GROUP BY 1, 2, 3`);
    const counters = await db.all<{ node: string; collection: string; state: string; n: number; done: number }>(
      'SELECT node_id AS node, collection, state, total AS n, complete AS done FROM subtree_counts WHERE total <> 0 OR complete <> 0');
    const key = (r: { node: string; collection: string; state: string }) => `${r.node}|${r.collection}|${r.state}`;
    const a = new Map(scan.map((r) => [key(r), `${r.n}/${r.done}`]));
    const b = new Map(counters.map((r) => [key(r), `${r.n}/${r.done}`]));
    const out: string[] = [];
    for (const k of new Set([...a.keys(), ...b.keys()])) if (a.get(k) !== b.get(k)) out.push(`${k}: scan ${a.get(k)} counter ${b.get(k)}`);
    return { out, rows: scan.length };
  }

  it('hold after the demo data was loaded', async () => {
    const { out, rows } = await mismatches();
    expect(rows).toBeGreaterThan(10);
    expect(out).toEqual([]);
  });

  it('follow creates, updates, state changes, completeness, direct SQL, deletes and moves', async () => {
    const parent = await nodeId(admin, '惠民党支部');
    const a = (await admin.post('/api/records/organization', { parentId: parent, fullName: '中共计数甲支部委员会', shortName: '计数甲', category: '631', orgCode: '011100777001' })).body;
    const b = (await admin.post('/api/records/organization', { parentId: a.id, fullName: '中共计数乙支部委员会', shortName: '计数乙', category: '631', orgCode: '011100777002' })).body;
    const m1 = (await admin.post('/api/records/member', memberData(a.id))).body;
    const m2 = (await admin.post('/api/records/member', memberData(b.id))).body;
    const m3 = (await admin.post('/api/records/member', { orgId: b.id, name: '未填完' })).body;
    expect((await mismatches()).out).toEqual([]);

    // Completeness drops on an edit; a workflow event changes the state.
    expect((await admin.put(`/api/records/member/${m1.id}`, { ...m1.data, address: '' }, 1)).status).toBe(200);
    const submit = await admin.post(`/api/records/member/${m2.id}/events`, { type: 'SUBMIT' });
    expect(submit.status).toBe(200);
    expect((await mismatches()).out).toEqual([]);

    // A member moves to another branch.
    expect((await admin.put(`/api/records/member/${m3.id}`, { ...m3.data, orgId: a.id }, 1)).status).toBe(200);
    expect((await mismatches()).out).toEqual([]);

    // A writer outside the record service (e.g. a recompute) changes the flag and the state directly.
    await sqliteOf(s.engine).run('UPDATE records SET complete = 1 - complete, state = ? WHERE id = ?', ['confirmed', m3.id]);
    expect((await mismatches()).out).toEqual([]);

    // The subtree moves under another parent: counters leave the old ancestors and join the new.
    const target = await nodeId(admin, '组织部党委');
    const before = (await admin.get(`/api/tree/${target}`)).body.node.stats.find((x: any) => x.collection === 'member').total;
    const moved = await admin.put(`/api/records/organization/${a.id}`, { ...a.data, parentId: target }, 1);
    expect(moved.status).toBe(200);
    expect((await mismatches()).out).toEqual([]);
    const after = (await admin.get(`/api/tree/${target}`)).body.node.stats.find((x: any) => x.collection === 'member').total;
    expect(after).toBe(before + 3);
    // And a node below it moves back up, beside its old parent.
    const bNow = (await admin.get(`/api/records/organization/${b.id}`)).body;
    expect((await admin.put(`/api/records/organization/${b.id}`, { ...bNow.data, parentId: parent }, bNow.version)).status).toBe(200);
    expect((await mismatches()).out).toEqual([]);

    // Deletes: the members, then the emptied node.
    for (const m of [m1, m2]) {
      const cur = (await admin.get(`/api/records/member/${m.id}`)).body;
      expect((await admin.delete(`/api/records/member/${m.id}`, { 'if-match': `"${cur.version}"` })).status).toBe(204);
    }
    const m3now = (await admin.get(`/api/records/member/${m3.id}`)).body;
    expect((await admin.delete(`/api/records/member/${m3.id}`, { 'if-match': `"${m3now.version}"` })).status).toBe(204);
    expect((await admin.delete(`/api/records/organization/${b.id}`)).status).toBe(204);
    expect((await mismatches()).out).toEqual([]);
    const closure = await sqliteOf(s.engine).get<{ n: number }>('SELECT count(*) AS n FROM tree_closure WHERE ancestor = ? OR descendant = ?', [b.id, b.id]);
    expect(closure?.n).toBe(0);
  });

  it('list totals (read from the counters) equal a COUNT for every node: own, deep, by state, the tree collection; a search still counts', async () => {
    const nodes = await sqliteOf(s.engine).all<{ id: string; path: string }>("SELECT id, path FROM records WHERE collection = 'organization'");
    const count = async (sql: string, p: unknown[]) => (await sqliteOf(s.engine).get<{ n: number }>(`SELECT count(*) AS n FROM records WHERE ${sql}`, p as string[]))!.n;
    const upper = (path: string) => path.slice(0, -1) + '0';
    let nonZero = 0;
    for (const n of nodes) {
      const own = await count("collection = 'member' AND node_id = ?", [n.id]);
      const deep = await count("collection = 'member' AND path >= ? AND path < ?", [n.path, upper(n.path)]);
      const deepDraft = await count("collection = 'member' AND state = 'draft' AND path >= ? AND path < ?", [n.path, upper(n.path)]);
      const orgsDeep = await count("collection = 'organization' AND path >= ? AND path < ?", [n.path, upper(n.path)]);
      if (own) nonZero++;
      expect([
        (await admin.get(`/api/records/member?node=${n.id}&limit=1`)).body.total,
        (await admin.get(`/api/records/member?node=${n.id}&deep=1&limit=1`)).body.total,
        (await admin.get(`/api/records/member?node=${n.id}&deep=1&state=draft&limit=1`)).body.total,
        (await admin.get(`/api/records/organization?node=${n.id}&deep=1&limit=1`)).body.total,
      ], n.id).toEqual([own, deep, deepDraft, orgsDeep]);
    }
    expect(nonZero).toBeGreaterThan(3);
    // A text search still counts the rows it finds.
    const q = await admin.get(`/api/records/member?q=${encodeURIComponent('王丽')}`);
    expect(q.body.total).toBe(q.body.items.length);
  });

  it('the tree API reads the counters: a node shows its subtree figure', async () => {
    const root = (await admin.get('/api/tree')).body.roots[0];
    const scan = await sqliteOf(s.engine).get<{ n: number }>("SELECT count(*) AS n FROM records WHERE collection = 'member'");
    expect(root.stats.find((x: any) => x.collection === 'member').total).toBe(scan?.n);
  });
});
