/**
 * The distribution column `region` on PostgreSQL (migration 5, engine/storage/postgres/region.ts):
 * every row of records, audit and subtree_counts carries the region of its place — written by
 * every writer, moved with a branch, back-filled on a database of the previous version — and every
 * statement the adapter sends on those tables during a province admin's session names its region
 * or is listed as cross-shard (cross-shard.ts). A real server over a throwaway cluster.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pgStatements } from '../helpers/pg-statements.js';
import { startPgCluster, type PgCluster } from '../helpers/pg-cluster.js';
import { startServer, type RunningServer } from '../../engine/server.js';
import { repoRoot } from '../helpers/paths.js';
import { Client } from '../helpers/client.js';
import { memberData, nodeId } from '../helpers/demo.js';
import { PgDatabase } from '../../engine/storage/postgres/connection.js';
import { migrate } from '../../engine/storage/postgres/migrations.js';
import { pgRecordWrites } from '../../engine/storage/postgres/record-writes.js';
import { regionOfPath, regionOfSubtree } from '../../engine/storage/postgres/region.js';
import { crossShardEntry, crossShardStatements } from '../../engine/storage/postgres/cross-shard.js';
import type { StoredRecord } from '../../engine/ports.js';
import { codeUsage } from '../../engine/codes/usage.js';

let cluster: PgCluster;
beforeAll(async () => {
  cluster = await startPgCluster();
});
afterAll(async () => {
  await cluster?.stop();
});

/** The statements the driver sends while `fn` runs, as their texts (a named statement without its name). */
async function textsSent<T>(fn: () => Promise<T>): Promise<[string[], T]> {
  const [sent, result] = await pgStatements(fn);
  return [sent.map((s) => s.replace(/^\[\w+\] /, '')), result];
}

/** `sent`: every statement sent during the `step`s, each a request answered with `status`. */
function recorder() {
  const sent: string[] = [];
  const step = async (fn: () => Promise<{ status: number; body?: unknown }>, status = 200) => {
    const [texts, res] = await textsSent(fn);
    sent.push(...texts);
    expect(res.status, JSON.stringify(res.body).slice(0, 300)).toBe(status);
    return res as { status: number; body: any };
  };
  return { sent, step };
}

/** The statements on the distributed tables (records, audit, subtree_counts), as sent. */
const touchingDistributed = (sent: string[]) => sent.filter((s) => /\b(FROM|JOIN|INTO|UPDATE|TABLE)\s+(records|audit|subtree_counts)\b|\brecord_write\(/i.test(s));
/** Whether a statement names its region: a condition on it, or an INSERT carrying it. */
const namesRegion = (s: string) => /\b(WHERE|AND|ON)\s+(\w+\.)?region\s*=/i.test(s) || /^\s*INSERT INTO (records|audit)\s*\([^)]*\bregion\b/i.test(s);
/** The statements that neither name their region nor are listed as cross-shard (cross-shard.ts), folded and shortened, once each. */
const unlistedOf = (touching: string[]) =>
  [...new Set(touching.filter((s) => !namesRegion(s) && !crossShardEntry(s)).map((s) => s.replace(/\s+/g, ' ').slice(0, 240)))];

interface Row { id: string; path: string | null; region: string }

/** The rows of a table whose region is not the one their place gives (records, audit: the path; counters: the node's). */
async function misplaced(db: PgDatabase, depth: number): Promise<{ records: Row[]; audit: Row[]; counters: Row[] }> {
  const wrong = (rows: Row[], expected: (r: Row) => string) => rows.filter((r) => r.region !== expected(r));
  const records = (await db.query<Row>('SELECT id, path, region FROM records')).rows;
  const paths = new Map(records.map((r) => [r.id, r.path!]));
  return {
    records: wrong(records, (r) => regionOfPath(r.path!, depth)),
    audit: wrong((await db.query<Row>('SELECT id::text, path, region FROM audit')).rows, (r) => (r.path === null ? '' : regionOfPath(r.path, depth))),
    counters: wrong((await db.query<Row>('SELECT node_id AS id, NULL AS path, region FROM subtree_counts')).rows, (r) => regionOfPath(paths.get(r.id)!, depth)),
  };
}

describe('the distribution column region', () => {
  it('is the path\'s segment at the region depth, or a shorter path\'s last one; TypeScript and SQL agree', async () => {
    expect(regionOfPath('/c/p/d/b/', 2)).toBe('p');
    expect(regionOfPath('/c/', 2)).toBe('c');
    expect(regionOfPath('/c/p/', 3)).toBe('p');
    expect(regionOfSubtree('/c/p/d/', 2)).toBe('p');
    expect(regionOfSubtree('/c/', 2)).toBeNull();
    expect(regionOfSubtree('/c/p/', 3)).toBeNull();
    const db = await PgDatabase.open(await cluster.createDatabase());
    try {
      await migrate(db, Infinity, { regionDepth: 3 });
      const paths = ['/c/', '/c/p/', '/c/p/d/', '/c/p/d/b/x/'];
      const { rows } = await db.query<{ path: string; region: string }>('SELECT path, path_region(path) AS region FROM unnest($1::text[]) AS path', [paths]);
      expect(rows.map((r) => r.region)).toEqual(paths.map((p) => regionOfPath(p, 3)));
      // The depth is the database's: another one asked later is refused in words, the same one (or none) goes on.
      await expect(migrate(db, Infinity, { regionDepth: 2 })).rejects.toThrow(/CAIJI_REGION_DEPTH=2 与数据库建立分布列时确定的层级 3 不同/);
      await migrate(db, Infinity, { regionDepth: 3 });
      await migrate(db, Infinity, {});
    } finally {
      await db.close();
    }
  });

  it('a database of the previous version is back-filled: records and audit from their paths, counters from their nodes, unplaced entries ""', async () => {
    const db = await PgDatabase.open(await cluster.createDatabase());
    try {
      await migrate(db, 4);
      await db.query("INSERT INTO config_head (id, published, files_version, files_hash) VALUES (1, NULL, NULL, '')").catch(() => undefined);
      const at = '2026-01-01T00:00:00.000Z';
      const rec = (id: string, collection: string, nodeId: string | null, path: string): StoredRecord => ({
        id, collection, nodeId, path, data: {}, state: null, workflow: null, workflowContext: null, complete: false, codeVersions: null,
        version: 1, createdAt: at, createdBy: 'test', updatedAt: at, updatedBy: 'test',
      });
      const audit = { action: 'create', fromState: null, diff: null, note: null };
      for (const r of [rec('root', 'org', null, '/root/'), rec('prov', 'org', 'root', '/root/prov/'), rec('dist', 'org', 'prov', '/root/prov/dist/'),
        rec('m1', 'member', 'dist', '/root/prov/dist/'), rec('m0', 'member', 'root', '/root/')]) {
        await pgRecordWrites.create(db, r, [], audit);
      }
      await db.query("INSERT INTO audit (at, actor, collection, record_id, action) VALUES ($1, 'test', 'codes', 'gender', 'update')", [at]);
      await migrate(db, Infinity, {});
      expect(await misplaced(db, 2)).toEqual({ records: [], audit: [], counters: [] });
      const regions = (await db.query<{ id: string; region: string }>('SELECT id, region FROM records ORDER BY id')).rows;
      expect(regions).toEqual([{ id: 'dist', region: 'prov' }, { id: 'm0', region: 'root' }, { id: 'm1', region: 'prov' }, { id: 'prov', region: 'prov' }, { id: 'root', region: 'root' }]);
      expect((await db.query('SELECT region FROM audit WHERE path IS NULL')).rows).toEqual([{ region: '' }]);
      expect((await db.query("SELECT node_id, region FROM subtree_counts WHERE collection = 'member' ORDER BY node_id")).rows).toEqual([
        { node_id: 'dist', region: 'prov' }, { node_id: 'prov', region: 'prov' }, { node_id: 'root', region: 'root' },
      ]);
      const nullable = await db.query("SELECT table_name FROM information_schema.columns WHERE column_name = 'region' AND is_nullable = 'YES' AND table_schema = current_schema()");
      expect(nullable.rows).toEqual([]);
    } finally {
      await db.close();
    }
  });

  describe('on a server with the demo data', () => {
    let server: RunningServer;
    let db: PgDatabase;
    let passwords: Map<string, string>;
    /** One member imported into the branch of that full name through preview and commit (a CSV of the template's titles). */
    const importOne = async (c: Client, branch: string) => {
      const d = memberData('x');
      const row: Record<string, string> = {
        所在支部: branch, 姓名: String(d.name), 性别: d.gender === '1' ? '男（1）' : '女（2）', 民族: '汉族（01）',
        出生日期: String(d.birthDate), 身份证号码: String(d.idNumber), 最高学历: '21', 工作岗位: '0111', 党员类型: '中共党员（正式党员）（1）', 入党日期: '2010-07-01',
        转正日期: '2011-07-01', 党籍状态: '9001', 是否为失联党员: '否', 是否为流动党员: '否', 手机号码: '13800138000', 家庭住址: '北京市丰台区测试路1号',
      };
      const res = await fetch(`${server.url}/api/import/member/preview?filename=t.csv`, {
        method: 'POST', body: [Object.keys(row).join(','), Object.values(row).join(',')].join('\n'),
        headers: { cookie: c.cookie, 'x-csrf-token': c.csrf, 'content-type': 'text/csv' },
      });
      const preview = (await res.json()) as { id: string; counts: Record<string, number> };
      expect(preview.counts, JSON.stringify(preview)).toMatchObject({ new: 1, invalid: 0 });
      const committed = await c.post('/api/import/member/commit', { previewId: preview.id });
      expect(committed.status, JSON.stringify(committed.body)).toBe(200);
      return d;
    };
    const login = async (username: string) => {
      const c = new Client(server.url);
      expect((await c.post('/api/login', { username, password: passwords.get(username) })).status).toBe(200);
      return c;
    };

    beforeAll(async () => {
      const url = await cluster.createDatabase();
      server = await startServer({ appRoot: repoRoot, database: url, port: 0, demo: true });
      passwords = new Map(server.demoLogins.map((l) => [l.username, l.password]));
      db = await PgDatabase.open(url);
    }, 120_000);
    afterAll(async () => {
      await db?.close();
      await server?.close();
    });

    it('records created, imported and moved across regions carry their region, with their audit entries and counters', async () => {
      const bj = await login('bj_admin');
      const ft = await login('ft_admin');
      const fengtai = await nodeId(bj, '丰台区委');
      const chaoyang = await nodeId(bj, '朝阳区党委');
      const huimin = await nodeId(ft, '惠民党支部');
      expect(await misplaced(db, 2)).toEqual({ records: [], audit: [], counters: [] });

      const created = await ft.post('/api/records/member', memberData(huimin));
      expect(created.status).toBe(201);
      const regionOf = async (id: string) => (await db.query<{ region: string }>('SELECT region FROM records WHERE id = $1', [id])).rows[0]?.region;
      expect(await regionOf(created.body.id)).toBe(fengtai);

      // A batch import (one statement per column array).
      const imported = await importOne(ft, '中共北京市丰台区太平桥街道太南里社区惠民支部委员会');
      const importedId = (await db.query<{ id: string }>("SELECT id FROM records WHERE data ->> 'idNumber' = $1", [imported.idNumber])).rows[0].id;
      expect(await regionOf(importedId)).toBe(fengtai);

      // 惠民党支部 moves from 丰台区委 to 朝阳区党委: its members, its own record and its counters go to the other region.
      const branch = await bj.get(`/api/records/organization/${huimin}`);
      const moved = await bj.put(`/api/records/organization/${huimin}`, { ...branch.body.data, parentId: chaoyang }, branch.body.version);
      expect(moved.status, JSON.stringify(moved.body)).toBe(200);
      for (const id of [huimin, created.body.id, importedId]) expect(await regionOf(id)).toBe(chaoyang);
      expect((await db.query('SELECT DISTINCT region FROM subtree_counts WHERE node_id = $1', [huimin])).rows).toEqual([{ region: chaoyang }]);
      // An entry written after the move is in the new region; those before keep the place they were written at.
      const edited = await bj.get(`/api/records/member/${created.body.id}`);
      expect((await bj.put(`/api/records/member/${created.body.id}`, { ...edited.body.data, address: '北京市朝阳区新地址1号' }, edited.body.version)).status).toBe(200);
      const entries = (await db.query<{ action: string; region: string }>('SELECT action, region FROM audit WHERE record_id = $1 ORDER BY id', [created.body.id])).rows;
      expect(entries.map((e) => e.region)).toEqual([fengtai, chaoyang]);
      expect(await misplaced(db, 2)).toEqual({ records: [], audit: [], counters: [] });
    });

    it('every statement a province admin\'s session sends on records, audit or subtree_counts names its region or is listed as cross-shard', async () => {
      const ft = await login('ft_admin');
      const fengtai = await nodeId(ft, '丰台区委');
      const target = await nodeId(ft, '中共丰台区卢沟桥街道工委');
      const { sent, step } = recorder();
      // Lists, a search, the tree and its statistics, a query and a grouped count, the audit of the subtree.
      await step(() => ft.get(`/api/records/member?node=${fengtai}&deep=1&limit=20`));
      await step(() => ft.get('/api/records/member?limit=20'));
      await step(() => ft.get(`/api/records/member?q=${encodeURIComponent('王')}&limit=20`));
      await step(() => ft.get(`/api/records/organization?node=${fengtai}&deep=1&limit=50`));
      await step(() => ft.get(`/api/tree/${fengtai}`));
      await step(() => ft.post('/api/query/member', { node: fengtai, where: { field: 'gender', op: 'in', values: ['1'] }, limit: 20 }));
      await step(() => ft.post('/api/query/member/count', { node: fengtai, where: { field: 'gender', op: 'in', values: ['2'] } }));
      await step(() => ft.post('/api/stats/member', { node: fengtai, rows: { by: 'code', field: 'gender' } }));
      await step(() => ft.post('/api/stats/member', { node: fengtai, rows: { by: 'children' }, cols: { by: 'code', field: 'gender' } }));
      await step(() => ft.get(`/api/audit?node=${fengtai}`));
      // A new branch, a member in it, a save, a workflow event, and the branch moved inside the region.
      const branch = await step(() => ft.post('/api/records/organization', {
        parentId: fengtai, fullName: '中共分布测试支部委员会', shortName: '分布测试支部', category: '631', orgCode: '011100777001',
      }), 201);
      const member = await step(() => ft.post('/api/records/member', memberData(branch.body.id)), 201);
      await step(() => ft.put(`/api/records/member/${member.body.id}`, { ...member.body.data, address: '北京市丰台区改过路2号' }, 1));
      await step(() => ft.post('/api/records/member/events', { type: 'SUBMIT', ids: [member.body.id] }));
      await step(() => ft.put(`/api/records/organization/${branch.body.id}`, { ...branch.body.data, parentId: target }, branch.body.version));
      await step(() => ft.get(`/api/records/member?node=${branch.body.id}&deep=1&limit=20`));
      await step(() => ft.get(`/api/records/member/${member.body.id}/history`));
      sent.push(...(await textsSent(() => importOne(ft, '中共分布测试支部委员会')))[0]);

      const touching = touchingDistributed(sent);
      expect(touching.length).toBeGreaterThan(20);
      expect(unlistedOf(touching)).toEqual([]);
      // The session's reads of its own region name it: lists, counts, searches, grouped counts, the subtree's audit and the move;
      // the batch insert carries it.
      const regional = touching.filter(namesRegion);
      for (const shape of [/FROM records WHERE collection = \$1 AND region = \$2/, /count\(\*\) AS n FROM records WHERE collection = \$1 AND region = \$2/,
        /FROM audit a LEFT JOIN users u ON u\.username = a\.actor WHERE .* AND a\.region = /, /^UPDATE records r SET path = .* region = \$5 AND path >= \$3/,
        /^INSERT INTO records \(region, id,/, /^INSERT INTO audit \(.*, region\) SELECT/]) {
        expect(regional.some((s) => shape.test(s.replace(/\s+/g, ' '))), String(shape)).toBe(true);
      }
      expect(crossShardStatements.every((s) => s.why.length > 0)).toBe(true);
    }, 60_000);

    it('every statement of a code admin\'s session (usage, 需重新录入, a replacement\'s dry run and run) names its region or is listed as cross-shard', async () => {
      const cfg = await login('config_admin');
      const ft = await login('ft_admin');
      const fengtai = await nodeId(ft, '丰台区委');
      const branch = await nodeId(ft, '美域家园社区第二支部');
      const fengtaiPath = (await server.engine.storage.records.get(server.engine.storage.db, fengtai))!.path;
      // A member holding 舅母 (86) in two rows of 家庭主要成员及社会关系, the code then deprecated for 姨母 (88) alone.
      const member = await ft.post('/api/records/member', memberData(branch, { family: [{ name: '甲舅母', relation: '86' }, { name: '乙姨夫', relation: '87' }, { name: '丙舅母', relation: '86' }] }));
      expect(member.status, JSON.stringify(member.body)).toBe(201);
      const { sent, step } = recorder();
      const table = await step(() => cfg.get('/api/codes/family-relation'));
      await step(() => cfg.put('/api/codes/family-relation', {
        ...table.body, codes: table.body.codes.map((c: any) => (c.code === '86' ? { ...c, deprecated: '2026-01-01', replacedBy: ['88'] } : c)),
      }, table.body.version));
      // 代码表's 使用记录数, collection-wide: a child table's column and a top-level field.
      const used = await step(() => cfg.get('/api/codes/family-relation/usage'));
      expect(used.body.totals).toContainEqual({ code: '86', count: 1 });
      await step(() => cfg.get('/api/codes/job-position/usage'));
      // The same counts in a subtree (the engine's codeUsage with a path: no route asks it today).
      for (const name of ['family-relation', 'job-position']) {
        const codes = server.engine.runtime.config.codes.get(name)!.codes.map((c) => c.code);
        const [texts, inSubtree] = await textsSent(() => codeUsage(server.engine.storage, server.engine.runtime, name, codes, fengtaiPath));
        sent.push(...texts);
        if (name === 'family-relation') expect(inSubtree.totals.get('86')).toBe(1);
      }
      // A removal of a code rows hold is refused after counting its use.
      const again = await step(() => cfg.get('/api/codes/family-relation'));
      await step(() => cfg.put('/api/codes/family-relation', { ...again.body, codes: again.body.codes.filter((c: any) => c.code !== '87') }, again.body.version), 409);
      // 需重新录入 of the province (the config admin reads the whole tree: the subtree alone gives the region), then the replacement.
      const report = await step(() => cfg.get(`/api/reports/deprecated-codes?node=${fengtai}`));
      expect(report.body.groups.find((g: any) => g.table === 'family-relation' && g.code === '86')?.count).toBe(1);
      const dry = await step(() => ft.post('/api/codes/family-relation/replace', { code: '86', node: fengtai, dryRun: true }));
      expect(dry.body.records.map((r: any) => r.id)).toEqual([member.body.id]);
      const run = await step(() => ft.post('/api/codes/family-relation/replace', { code: '86', node: fengtai, dryRun: false }));
      expect(run.body.count).toBe(1);
      expect((await ft.get(`/api/records/member/${member.body.id}`)).body.data.family.map((r: any) => r.relation)).toEqual(['88', '87', '88']);

      const touching = touchingDistributed(sent);
      expect(touching.length).toBeGreaterThan(10);
      expect(unlistedOf(touching)).toEqual([]);
      // Counted in a subtree of one region, the usage names it (a field's plain count, a column's through its rows);
      // the report's and the replacement's reads of the subtree too.
      const regional = touching.filter(namesRegion).map((s) => s.replace(/\s+/g, ' '));
      for (const shape of [/AS value, count\(\*\) AS n FROM records WHERE collection = \$\d+ AND region = \$\d+ AND \(path/,
        /FROM records, jsonb_array_elements\(.*\) AS r\(v\) WHERE collection = \$\d+ AND region = \$\d+ AND \(path/,
        /^SELECT count\(\*\) AS n FROM records WHERE collection = \$1 AND region = \$2 AND /, /^SELECT id FROM records WHERE collection = \$1 AND region = \$2 AND /]) {
        expect(regional.some((s) => shape.test(s)), String(shape)).toBe(true);
      }
    }, 60_000);
  });
});
