import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startTestServer, type TestServer } from '../helpers/server.js';
import type { Client } from '../helpers/client.js';
import { nodeId } from '../helpers/demo.js';
import { Database } from '../../engine/storage/sqlite/sqlite.js';
import { migrate } from '../../engine/storage/sqlite/migrations.js';
import { directoryTable } from '../../engine/storage/sqlite/directory.js';
import { mayReplace } from '../../engine/directory/owners.js';
import { gb11714CheckChar } from '../../engine/validation/formats/gb11714.js';
import { gb32100CheckChar } from '../../engine/validation/formats/gb32100.js';
import { repoRoot } from '../helpers/paths.js';
import { runAdmin as admin } from '../helpers/run-script.js';

/** A valid 组织机构代码 and the 统一社会信用代码 that embeds it (distinct from unit-linking's). */
function codes(seq: number) {
  const body = String(72000000 + seq).padStart(8, '0');
  const orgCode = body + gb11714CheckChar(body);
  const credit17 = `91110117${orgCode}`;
  return { orgCode, creditCode: credit17 + gb32100CheckChar(credit17) };
}
const csvOf = (rows: [string, string][]) => ['信用代码,单位全称,单位类别', ...rows.map(([code, name]) => `${code},${name},23`)].join('\n');
const upload = (c: Client, csv: string) => c.post('/api/directory/unit', csv, { 'content-type': 'text/csv' });
const ISO = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d/;

/**
 * The shared unit directory (issue 16.3): only the config admin or a root admin loads it, every
 * row says who loaded it, when and where, an upload never replaces rows loaded outside its
 * uploader's paths, and a lookup says where its answer came from.
 */
describe('the shared lookup directory', () => {
  let s: TestServer;
  let config: Client, bj: Client, pdl: Client, ft: Client, tnl: Client;
  const pinggu = codes(1);

  beforeAll(async () => {
    s = await startTestServer();
    [config, bj, pdl, ft, tnl] = await Promise.all(['config_admin', 'bj_admin', 'pdl_admin', 'ft_admin', 'tnl_admin'].map((u) => s.login(u)));
  });
  afterAll(async () => { await s.stop(); });

  it('the config admin loads it; the lookup names who loaded the row and when', async () => {
    const res = await upload(config, csvOf([[pinggu.creditCode, '北京市平谷区人民政府']]));
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ rows: 1, imported: 1, rejected: 0, skipped: [] });
    const hit = await pdl.get(`/api/lookup/unit?creditCode=${pinggu.creditCode}`);
    expect(hit.body).toMatchObject({
      found: true, source: 'directory', data: { fullName: '北京市平谷区人民政府' },
      origin: { kind: 'directory', loadedBy: 'config_admin', loadedByName: '市委组织部配置管理员' },
    });
    expect(hit.body.origin.loadedAt).toMatch(ISO);
  });

  it('a branch or district admin may not load it: 403 in Chinese, and nothing changes', async () => {
    for (const c of [pdl, ft, tnl]) {
      const res = await upload(c, csvOf([[pinggu.creditCode, '被改名的区政府'], [codes(2).creditCode, '新单位']]));
      expect(res.status).toBe(403);
      expect(res.body.error.message).toContain('只有配置管理员或最高一级的管理员可以导入');
    }
    const hit = await tnl.get(`/api/lookup/unit?creditCode=${pinggu.creditCode}`);
    expect(hit.body).toMatchObject({ data: { fullName: '北京市平谷区人民政府' }, origin: { loadedBy: 'config_admin' } });
    expect((await tnl.get(`/api/lookup/unit?creditCode=${codes(2).creditCode}`)).body).toEqual({ found: false });
  });

  it('a root admin loads it too, and may replace rows loaded at the root', async () => {
    const res = await upload(bj, csvOf([[pinggu.creditCode, '北京市平谷区人民政府办公室']]));
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ imported: 1, skipped: [] });
    const hit = await ft.get(`/api/lookup/unit?orgCode=${pinggu.orgCode}`);
    expect(hit.body).toMatchObject({ data: { fullName: '北京市平谷区人民政府办公室' }, origin: { kind: 'directory', loadedBy: 'bj_admin', loadedByName: '北京市委管理员' } });
  });

  it('a lookup answered from a stored record names the node it hangs on', async () => {
    const hit = await tnl.get('/api/lookup/unit?creditCode=91110106700109904W');
    const lianhe = await nodeId(tnl, '太南里社区非公联合党支部');
    expect(hit.body).toMatchObject({ found: true, source: 'record', node: lianhe, origin: { kind: 'record', node: lianhe, nodeLabel: '太南里社区非公联合党支部' } });
  });

  it('a row an older version let a branch admin load serves only that branch; a root load replaces it', async () => {
    // As the migration leaves such a row: loaded by pdl_admin, at the path of the branch granted to them.
    const renamed = codes(3);
    // Planted through the storage port, past the upload route (which no longer lets a branch admin load).
    const { records, directory, unitOfWork, db } = s.engine.storage;
    const { path } = (await records.get(db, await nodeId(pdl, '潘东亮支部乙')))!;
    const planted = await unitOfWork.transaction(db, (tx) => directory.put(tx, 'unit', [['creditCode', renamed.creditCode]],
      { creditCode: renamed.creditCode, fullName: '支部改的名字', category: '23' }, { by: 'pdl_admin', path, at: '2026-01-02T03:04:05.000Z' }, () => true));
    expect(planted).toBeNull();
    expect((await pdl.get(`/api/lookup/unit?creditCode=${renamed.creditCode}`)).body).toMatchObject({ data: { fullName: '支部改的名字' }, origin: { loadedBy: 'pdl_admin' } });
    expect((await ft.get(`/api/lookup/unit?creditCode=${renamed.creditCode}`)).body).toEqual({ found: false });
    const res = await upload(config, csvOf([[renamed.creditCode, '正式名称']]));
    expect(res.body).toMatchObject({ imported: 1, skipped: [] });
    expect((await ft.get(`/api/lookup/unit?creditCode=${renamed.creditCode}`)).body).toMatchObject({ data: { fullName: '正式名称' }, origin: { loadedBy: 'config_admin' } });
  });
});


/**
 * Issue 20.2: a unit whose link was removed stays findable, for the same subtree, and is linked
 * again from there; the operator loads the directory at setup from the command line.
 */
describe('detached records and the operator\'s directory', () => {
  let s: TestServer;
  let tnl: Client, ft: Client, lianhe: Client, meiyu: Client;
  let tainanli: string;
  let dir: string;

  beforeAll(async () => {
    s = await startTestServer();
    [tnl, ft, lianhe, meiyu] = await Promise.all(['tnl_admin', 'ft_admin', 'lianhe_admin', 'meiyu_admin'].map((u) => s.login(u)));
    tainanli = await nodeId(tnl, '丰台区太平桥街道太南里社区党委');
    dir = mkdtempSync(join(tmpdir(), 'caiji-dirfile-'));
  });
  afterAll(async () => { await s.stop(); rmSync(dir, { recursive: true, force: true }); });

  it('a unit whose link was removed is found again by its subtree only, and linked again from what was kept', async () => {
    const org = (await tnl.post('/api/records/organization', {
      parentId: tainanli, fullName: '中共北京壬癸科技有限公司支部委员会', shortName: '壬癸科技党支部', category: '631', orgCode: '011100987001',
    })).body.id as string;
    const u = codes(10);
    const link = await tnl.post(`/api/records/organization/${org}/events`, {
      type: 'LINK_UNIT', creditCode: u.creditCode, fullName: '北京壬癸科技有限公司', shortName: '壬癸科技', category: '23', partyOrgStatus: '9002', enterpriseSize: '9004',
    });
    expect(link.status).toBe(200);
    const unit = (await tnl.get(`/api/records/unit?node=${org}`)).body.items[0];
    expect((await tnl.post(`/api/records/organization/${org}/events`, { type: 'UNLINK_UNIT', unitId: unit.id })).body.state).toBe('unlinked');

    const again = await tnl.get(`/api/lookup/unit?orgCode=${u.orgCode}`);
    expect(again.body).toMatchObject({
      found: true, source: 'detached', data: { fullName: '北京壬癸科技有限公司', shortName: '壬癸科技', category: '23', enterpriseSize: '9004' },
      origin: { kind: 'detached', node: org, nodeLabel: '壬癸科技党支部', detachedBy: 'tnl_admin' },
    });
    expect(again.body.data.orgId).toBeUndefined();
    expect((await ft.get(`/api/lookup/unit?creditCode=${u.creditCode}`)).body.source).toBe('detached');
    // Not for a sibling branch or another district: the unit was never theirs to see.
    expect((await lianhe.get(`/api/lookup/unit?creditCode=${u.creditCode}`)).body).toEqual({ found: false });
    expect((await meiyu.get(`/api/lookup/unit?creditCode=${u.creditCode}`)).body).toEqual({ found: false });

    // Linked again by its code alone: the rest comes from what was kept.
    const relink = await tnl.post(`/api/records/organization/${org}/events`, { type: 'LINK_UNIT', creditCode: u.creditCode, partyOrgStatus: '9002' });
    expect(relink.status).toBe(200);
    const back = (await tnl.get(`/api/records/unit?node=${org}`)).body.items;
    expect(back).toHaveLength(1);
    expect(back[0].data).toMatchObject({ fullName: '北京壬癸科技有限公司', shortName: '壬癸科技', enterpriseSize: '9004' });
    expect((await tnl.get(`/api/lookup/unit?creditCode=${u.creditCode}`)).body).toMatchObject({ source: 'record', origin: { kind: 'record', node: org } });
  });

  it('npm run admin -- directory import <file>: the README\'s example loads, rows are the command line\'s, errors per row', async () => {
    const example = /```csv\n([\s\S]*?)```/.exec(readFileSync(join(repoRoot, 'README.md'), 'utf8'))?.[1];
    expect(example).toBeTruthy();
    const extra = codes(11);
    const file = join(dir, 'units.csv');
    writeFileSync(file, `${example!.trimEnd()}\n${extra.creditCode},北京子丑寅商贸有限公司,子丑寅商贸,23\n,没有代码的单位,,23\n`);
    const rows = example!.trim().split('\n').length - 1;
    const run = await admin(s.dbFile, ['directory', 'import', file]);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(run.stdout).toContain(`单位目录：共 ${rows + 2} 行，导入 ${rows + 1} 行，有误 1 行（未导入）`);
    expect(run.stdout).toMatch(new RegExp(`第 ${rows + 3} 行：.*信用代码`));
    const hit = await meiyu.get(`/api/lookup/unit?creditCode=${extra.creditCode}`);
    expect(hit.body).toMatchObject({ found: true, source: 'directory', data: { fullName: '北京子丑寅商贸有限公司' }, origin: { kind: 'directory', loadedBy: null, loadedByName: null } });
    // A unit of the manual's 附页, as someone outside its subtree finds it: from the directory.
    const first = example!.trim().split('\n')[1].split(',')[0];
    expect((await meiyu.get(`/api/lookup/unit?creditCode=${first}`)).body).toMatchObject({ found: true, source: 'directory' });

    const wrong = await admin(s.dbFile, ['directory', 'load', file]);
    expect([wrong.code, wrong.stderr]).toEqual([1, expect.stringContaining('未知的 directory 子命令')]);
    const pdf = await admin(s.dbFile, ['directory', 'import', join(dir, 'units.pdf')]);
    expect([pdf.code, pdf.stderr]).toEqual([1, expect.stringContaining('须为 .csv 或 .xlsx')]);
  });
});

describe('directory storage: an upload never replaces a row loaded outside its paths', () => {
  let dir: string;
  let db: Database;
  const at = '2026-12-06T01:00:00.000Z';
  const put = (name: string, loader: { by: string; path: string | null }, ownPaths: string[]) =>
    db.transaction((tx) => directoryTable.put(tx, 'unit', [['creditCode', 'X1'], ['orgCode', 'O1']], { fullName: name }, { ...loader, at }, (stored) => mayReplace(ownPaths, stored)));
  const stored = async (key: string, value: string) => (await directoryTable.find(db, 'unit', key, value))?.data.fullName;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'caiji-dir-'));
    db = await Database.open(join(dir, 'd.db'));
    await migrate(db);
  });
  afterAll(async () => { await db.close(); rmSync(dir, { recursive: true, force: true }); });

  it('rows of another subtree are left as they are and reported; rows inside the uploader\'s paths are replaced', async () => {
    expect(await put('甲', { by: 'a_admin', path: '/root/a/' }, ['/root/a/'])).toBeNull();
    const held = await put('乙', { by: 'b_admin', path: '/root/b/' }, ['/root/b/']);
    expect(held).toMatchObject({ key: 'creditCode', value: 'X1', loader: { by: 'a_admin', path: '/root/a/', at } });
    expect([await stored('creditCode', 'X1'), await stored('orgCode', 'O1')]).toEqual(['甲', '甲']);
    // Below the loader's node is still outside: only the loader's subtree or above replaces.
    expect(await put('丙', { by: 'a1_admin', path: '/root/a/a1/' }, ['/root/a/a1/'])).not.toBeNull();
    expect(await put('丁', { by: 'root_admin', path: '/root/' }, ['/root/'])).toBeNull();
    expect(await directoryTable.find(db, 'unit', 'orgCode', 'O1')).toMatchObject({ data: { fullName: '丁' }, loader: { by: 'root_admin', path: '/root/' } });
  });

  it('a row of unknown place (from an older database) is replaced only from a tree root', () => {
    expect(mayReplace(['/root/a/'], { path: null })).toBe(false);
    expect(mayReplace(['/root/'], { path: null })).toBe(true);
  });
});

describe('migration 8: directory rows of an earlier database get their loader\'s place', () => {
  it('the widest node the loader held a role on; none when the account is gone', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'caiji-mig-'));
    const db = await Database.open(join(dir, 'm.db'));
    try {
      // A database of version 7, holding what an earlier version wrote.
      await migrate(db, 7);
      const now = '2026-01-01T00:00:00.000Z';
      for (const [id, path] of [['root', '/root/'], ['a', '/root/a/'], ['b', '/root/a/b/']]) {
        await db.run('INSERT INTO records (id, collection, node_id, path, data, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?)', [id, 'org', null, path, '{}', now, now]);
      }
      await db.run('INSERT INTO users (id, username, password_hash, display_name, created_at) VALUES (?, ?, ?, ?, ?)', ['u1', 'branch_admin', 'x', '支部管理员', now]);
      await db.run("INSERT INTO grants (user_id, role, node_id) VALUES ('u1', 'admin', 'b'), ('u1', 'viewer', 'a')");
      for (const [value, by] of [['K1', 'branch_admin'], ['K2', 'gone_admin']]) {
        await db.run('INSERT INTO directory (collection, key, value, data, imported_at, imported_by) VALUES (?, ?, ?, ?, ?, ?)', ['unit', 'creditCode', value, '{}', now, by]);
      }
      expect(await migrate(db)).toBeGreaterThanOrEqual(8);
      expect(await db.all('SELECT value, imported_path FROM directory ORDER BY value')).toEqual([
        { value: 'K1', imported_path: '/root/a/' }, { value: 'K2', imported_path: null },
      ]);
    } finally {
      await db.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
