/**
 * `npm run admin`: the operator's tool for what no account in the product can do — the first root
 * node and admin of an empty database, and recovering the root admins' accounts. Run as a real
 * child process on a real SQLite file, then checked through the real server started on that file.
 */
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startServer, type RunningServer } from '../../engine/server.js';
import { Database } from '../../engine/storage/sqlite/sqlite.js';
import { Client } from '../helpers/client.js';
import { repoRoot } from '../helpers/paths.js';
import { runAdmin as admin } from '../helpers/run-script.js';


const passwordIn = (out: string) => /初始密码: ([A-Za-z0-9]{4}-[A-Za-z0-9]{4}-[A-Za-z0-9]{4})（/.exec(out)?.[1] ?? '';

const ROOT = { fullName: '中国共产党某某市委员会', shortName: '某某市委', orgCode: '011100000001', category: '9001', affiliation: '2' };

async function counts(dbFile: string) {
  const db = await Database.open(dbFile);
  try {
    const n = async (table: string) => (await db.get<{ n: number }>(`SELECT count(*) AS n FROM ${table}`))!.n;
    return { records: await n('records'), users: await n('users'), grants: await n('grants') };
  } finally {
    await db.close();
  }
}

describe('npm run admin: the first admin of an empty database, and recovery', () => {
  let dir: string;
  let dbFile: string;
  let server: RunningServer | undefined;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'caiji-admin-'));
    dbFile = join(dir, 'prod.db');
  });
  afterAll(async () => {
    await server?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('refuses a bad root node by its field in Chinese, and stores nothing', async () => {
    const bad = await admin(dbFile, ['init', '--root', JSON.stringify({ ...ROOT, orgCode: '0111' }), '--username', 'root_admin', '--name', '市委管理员']);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain('「党组织编码」应为12位数字');
    const noName = await admin(dbFile, ['init', '--root', JSON.stringify(ROOT), '--username', 'root_admin']);
    expect(noName.code).toBe(1);
    expect(noName.stderr).toContain('缺少「姓名」');
    const badUser = await admin(dbFile, ['init', '--root', JSON.stringify(ROOT), '--username', 'a b', '--name', '市委管理员']);
    expect(badUser.stderr).toContain('「用户名」须为2至64个字母');
    const file = join(dir, 'missing.json');
    expect((await admin(dbFile, ['init', '--root', file, '--username', 'x1', '--name', 'y'])).stderr).toContain(`「根节点」文件“${file}”无法读取`);
    expect(await counts(dbFile)).toEqual({ records: 0, users: 0, grants: 0 });
    // A typo is refused before any database is opened: no file appears for it.
    const typo = await admin(join(dir, 'typo.db'), ['inti']);
    expect(typo.code).toBe(1);
    expect(typo.stderr).toContain('未知命令“inti”');
    expect(existsSync(join(dir, 'typo.db'))).toBe(false);
    expect((await admin(join(dir, 'typo.db'), ['accounts', '--all'])).stderr).toContain('不认识的选项 --all');
  });

  it('creates the root and its admin, whose first password opens only the password change', async () => {
    const rootFile = join(dir, 'root.json');
    writeFileSync(rootFile, JSON.stringify(ROOT));
    const run = await admin(dbFile, ['init', '--root', rootFile, '--username', 'root_admin', '--name', '市委管理员']);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('已建立根节点“某某市委”和管理员账号（管理员）');
    const password = passwordIn(run.stdout);
    expect(password).not.toBe('');

    server = await startServer({ appRoot: repoRoot, database: dbFile, port: 0, demo: true });
    // Demo data never goes into a database that holds a tree.
    expect(server.demoLogins).toEqual([]);
    const c = new Client(server.url);
    const login = await c.post('/api/login', { username: 'root_admin', password });
    expect(login.status).toBe(200);
    expect(login.body).toMatchObject({ mustChangePassword: true });
    expect((await c.get('/api/tree')).status).toBe(403);
    expect((await c.post('/api/me/password', { currentPassword: password, newPassword: '市委管理员的新密码' })).status).toBe(200);
    const tree = await c.get('/api/tree');
    expect(tree.status).toBe(200);
    const root = tree.body.roots[0];
    expect(root.label).toBe('某某市委');
    // The admin can now grant: the config role to themselves, from the UI's own API.
    expect((await c.post('/api/grants', { node: root.id, role: 'config', username: 'root_admin' })).status).toBe(201);
    const history = (await c.get(`/api/records/organization/${root.id}/history`)).body.items.map((h: any) => `${h.actor} ${h.action} ${h.note ?? ''}`.trim());
    expect(history).toContain('命令行 account-open 用户名 root_admin（管理员）');
    expect(history).toContain('命令行 create');
  });

  it('refuses a second init on a database that has a tree, changing nothing', async () => {
    const before = await counts(dbFile);
    const again = await admin(dbFile, ['init', '--root', JSON.stringify({ ...ROOT, orgCode: '011100000002' }), '--username', 'other', '--name', '另一个']);
    expect(again.code).toBe(1);
    expect(again.stderr).toContain('数据库中已有组织树');
    expect(await counts(dbFile)).toEqual(before);
  });

  it('resets a root admin’s forgotten password and unlocks the account: old sessions end', async () => {
    const c = new Client(server!.url);
    expect((await c.post('/api/login', { username: 'root_admin', password: '市委管理员的新密码' })).status).toBe(200);
    const reset = await admin(dbFile, ['reset-password', 'root_admin']);
    expect(reset.code).toBe(0);
    const password = passwordIn(reset.stdout);
    expect(password).not.toBe('');
    // The reset ended the session (the principal cache holds it at most 2 s).
    await new Promise((r) => setTimeout(r, 2100));
    expect((await c.get('/api/me')).status).toBe(401);
    expect((await new Client(server!.url).post('/api/login', { username: 'root_admin', password: '市委管理员的新密码' })).status).toBe(401);
    const fresh = new Client(server!.url);
    expect((await fresh.post('/api/login', { username: 'root_admin', password })).body).toMatchObject({ mustChangePassword: true });

    const db = await Database.open(dbFile);
    await db.run("UPDATE users SET locked_at = '2026-01-01' WHERE username = 'root_admin'");
    await db.close();
    expect((await admin(dbFile, ['unlock', 'root_admin'])).stdout).toContain('账号 root_admin 已启用');
    expect((await admin(dbFile, ['unlock', 'root_admin'])).stdout).toContain('本来就是启用状态');
    const unknown = await admin(dbFile, ['reset-password', 'nobody']);
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toContain('「用户名」“nobody”不存在');
    const listed = await admin(dbFile, ['accounts']);
    expect(listed.stdout).toMatch(/root_admin\s+待改初始密码\s+市委管理员\s+某某市委·管理员，某某市委·配置管理员/);
  });

  it('backs the database up while the server runs: a consistent copy that serves as it did', async () => {
    const target = join(dir, 'backups', 'prod-copy.db');
    const run = await admin(dbFile, ['backup', target]);
    expect(run.stderr).toBe('');
    expect(run.stdout).toMatch(/已备份到 .*prod-copy\.db（[\d.]+ MB；记录 1 条，账号 1 个）/);
    expect(await counts(target)).toEqual(await counts(dbFile));
    // Never over an existing file.
    const again = await admin(dbFile, ['backup', target]);
    expect(again.code).toBe(1);
    expect(again.stderr).toContain('已存在');
    // The copy is a working database: a server on it shows the same tree to the same admin.
    const restored = await startServer({ appRoot: repoRoot, database: target, port: 0, demo: false });
    try {
      const reset = await admin(target, ['reset-password', 'root_admin']);
      const c = new Client(restored.url);
      expect((await c.post('/api/login', { username: 'root_admin', password: passwordIn(reset.stdout) })).status).toBe(200);
      expect((await c.post('/api/me/password', { currentPassword: passwordIn(reset.stdout), newPassword: '恢复后的新密码2026' })).status).toBe(200);
      expect((await c.get('/api/tree')).body.roots.map((r: any) => r.label)).toEqual(['某某市委']);
    } finally {
      await restored.close();
    }
  });

  it('is generic: another application names the first admin’s role, and its own root fields', async () => {
    const app = join(repoRoot, 'test/fixtures/leave');
    const other = join(dir, 'leave.db');
    const noRole = await admin(other, ['init', '--root', '{"name":"总公司"}', '--username', 'boss', '--name', '总经理'], app);
    expect(noRole.code).toBe(1);
    expect(noRole.stderr).toContain('请用 --role 指定第一个管理员的职务');
    const badRole = await admin(other, ['init', '--root', '{"name":"总公司"}', '--username', 'boss', '--name', '总经理', '--role', 'employee'], app);
    expect(badRole.stderr).toContain('「角色」“employee”不是可授予的职务（可选：director、manager、auditor）');
    const ok = await admin(other, ['init', '--root', '{"name":"总公司"}', '--username', 'boss', '--name', '总经理', '--role', 'director'], app);
    expect(ok.stdout).toContain('已建立根节点“总公司”和管理员账号（总经理）');
    expect(await counts(other)).toEqual({ records: 1, users: 1, grants: 1 });
  });
});
