/**
 * Config versions across processes: kill -9 in the middle of a publish with migrations leaves the
 * old version with every record as it was (the new one, published afterwards, with every record
 * migrated); a release whose files differ becomes a draft at start, never the published config;
 * `npm run admin -- config export|import` as a real child process.
 */
import { describe, it, expect } from 'vitest';
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { startServer } from '../../engine/server.js';
import { startTestServer } from '../helpers/server.js';
import { copyApp } from '../helpers/app-copy.js';
import { repoRoot } from '../helpers/paths.js';
import { runAdmin as admin } from '../helpers/run-script.js';
import { Database } from '../../engine/storage/sqlite/sqlite.js';
import { configVersions } from '../../engine/storage/sqlite/config-versions.js';
import { openDraft, saveDraftDocument } from '../../engine/config-versions/drafts.js';
import { readAppFiles } from '../../engine/config-versions/snapshot.js';
import { sqliteOf } from '../helpers/sqlite-of.js';

const tsx = (script: string, args: string[], env: Record<string, string> = {}) =>
  spawn(process.execPath, ['--import', 'tsx', join(repoRoot, script), ...args], { cwd: repoRoot, env: { ...process.env, ...env } });


async function withDb<T>(file: string, fn: (db: Database) => Promise<T>): Promise<T> {
  const db = await Database.open(file);
  try {
    return await fn(db);
  } finally {
    await db.close();
  }
}

const wechatHolders = (db: Database) => db.all<{ id: string }>("SELECT id FROM records WHERE collection = 'member' AND json_extract(data, '$.wechat') IS NOT NULL");
const weixinHolders = (db: Database) => db.all<{ id: string }>("SELECT id FROM records WHERE collection = 'member' AND json_extract(data, '$.weixin') IS NOT NULL");

describe('config versions across processes', () => {
  it('kill -9 in the middle of a publish with migrations: the old version and its records; then the new one, whole', async () => {
    const s = await startTestServer();
    const dbFile = s.dbFile;
    const before = (await wechatHolders(sqliteOf(s.engine))).length;
    expect(before).toBeGreaterThan(0);
    await openDraft(s.engine, '测试');
    const draft = (await configVersions.draft(sqliteOf(s.engine)))!;
    const schema = 'forms/member.schema.json', demo = 'forms/demo/members.json';
    await saveDraftDocument(s.engine, '测试', schema, (draft.files[schema] as string).replace('"wechat"', '"weixin"'), 1);
    await saveDraftDocument(s.engine, '测试', demo, (draft.files[demo] as string).replaceAll('"wechat"', '"weixin"'), 2);
    await saveDraftDocument(s.engine, '测试', 'migrations.json', JSON.stringify([{ op: 'renameField', collection: 'member', from: 'wechat', to: 'weixin' }]), 3);
    await s.close();
    try {
      const child = tsx('test/api/config-versions-child.ts', [dbFile, repoRoot, 'hold']);
      let out = '';
      await new Promise<void>((resolve, reject) => {
        child.stdout.on('data', (chunk) => {
          out += chunk;
          if (out.includes('migrating')) {
            child.kill('SIGKILL');
            resolve();
          }
        });
        child.on('exit', () => reject(new Error(`child ended before the kill: ${out}`)));
      });
      await new Promise((r) => child.once('exit', r));
      expect(out).not.toContain('published');
      await withDb(dbFile, async (db) => {
        expect((await configVersions.head(db))!.published).toBe(1);
        expect((await configVersions.list(db)).length).toBe(1);
        expect((await wechatHolders(db)).length).toBe(before);
        expect((await weixinHolders(db)).length).toBe(0);
        expect((await db.get<{ n: number }>("SELECT count(*) AS n FROM audit WHERE action = 'migrate'"))!.n).toBe(0);
        expect((await configVersions.draft(db))!.version).toBe(4);
      });
      // The same publish, left to finish: the new version and every record migrated.
      const done = tsx('test/api/config-versions-child.ts', [dbFile, repoRoot]);
      let said = '';
      done.stdout.on('data', (c) => (said += c));
      await new Promise((r) => done.once('exit', r));
      expect(said).toContain(`published 2 migrated ${before}`);
      await withDb(dbFile, async (db) => {
        expect((await configVersions.head(db))!.published).toBe(2);
        expect((await wechatHolders(db)).length).toBe(0);
        expect((await weixinHolders(db)).length).toBe(before);
      });
    } finally {
      rmSync(dirname(dbFile), { recursive: true, force: true });
    }
  }, 120_000);

  it('a release whose files differ becomes the draft at start, and the config admins are told; the published version stays', async () => {
    const app = copyApp();
    const dir = mkdtempSync(join(tmpdir(), 'caiji-release-'));
    const dbFile = join(dir, 'db.sqlite');
    try {
      const first = await startServer({ appRoot: app, database: dbFile, port: 0, demo: true });
      await first.close();
      const file = join(app, 'forms/codes/title.json');
      const table = JSON.parse(readFileSync(file, 'utf8'));
      writeFileSync(file, JSON.stringify({ ...table, codes: [...table.codes, { code: '998', label: '新版本职称' }] }, null, 2));
      const second = await startServer({ appRoot: app, database: dbFile, port: 0, demo: true });
      try {
        expect(second.engine.config.version).toBe(1);
        expect(second.engine.runtime.config.codes.get('title')!.codes.map((c) => c.code)).not.toContain('998');
        const draft = (await configVersions.draft(sqliteOf(second.engine)))!;
        expect(draft.origin).toBe('release');
        expect(JSON.parse(draft.files['forms/codes/title.json'] as string).codes.at(-1).code).toBe('998');
        expect(second.engine.config.status.warnings.join('\n')).toMatch(/应用文件与上次导入的不同（新版本发布）：已成为配置草稿/);
      } finally {
        await second.close();
      }
      // A third start with the same files offers nothing again.
      const third = await startServer({ appRoot: app, database: dbFile, port: 0, demo: true });
      expect(third.engine.config.status.warnings.join('\n')).not.toMatch(/新版本发布/);
      await third.close();
    } finally {
      rmSync(app, { recursive: true, force: true });
      rmSync(dir, { recursive: true, force: true });
    }
  }, 60_000);

  it('npm run admin -- config export writes the version byte for byte; config import makes a folder the draft or, with --publish, the next version', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'caiji-export-'));
    const dbFile = join(dir, 'db.sqlite');
    try {
      const s = await startServer({ appRoot: repoRoot, database: dbFile, port: 0, demo: true });
      await s.close();
      const out = join(dir, 'out');
      const exported = await admin(dbFile, ['config', 'export', out]);
      expect(exported.code, exported.stderr).toBe(0);
      expect(exported.stdout).toMatch(/已把配置第 1 版写到/);
      const original = readAppFiles(repoRoot);
      const written = readAppFiles(out);
      expect(Object.keys(written).sort()).toEqual(Object.keys(original).sort());
      for (const path of Object.keys(original)) expect(written[path], path).toEqual(original[path]);

      const file = join(out, 'forms/codes/title.json');
      const table = JSON.parse(readFileSync(file, 'utf8'));
      writeFileSync(file, JSON.stringify({ ...table, codes: [...table.codes, { code: '997', label: '部署职称' }] }, null, 2) + '\n');
      const asDraft = await admin(dbFile, ['config', 'import', out]);
      expect(asDraft.code, asDraft.stderr).toBe(0);
      expect(asDraft.stdout).toMatch(/已导入为配置草稿（改动 1 个文件）/);
      const published = await admin(dbFile, ['config', 'import', out, '--publish', '--note', '部署']);
      expect(published.code, published.stderr).toBe(0);
      expect(published.stdout).toMatch(/已发布为配置第 2 版/);
      await withDb(dbFile, async (db) => {
        const v2 = (await configVersions.get(db, 2))!;
        expect(v2).toMatchObject({ note: '部署', origin: 'files', author: '命令行' });
        expect(v2.files['forms/codes/title.json']).toBe(readFileSync(file, 'utf8'));
      });
      // A broken folder is refused with the check's message, and nothing is published.
      writeFileSync(file, '{ "table": "title", ');
      const broken = await admin(dbFile, ['config', 'import', out, '--publish', '--note', '坏的']);
      expect(broken.code).toBe(1);
      expect(broken.stderr).toMatch(/forms\/codes\/title\.json: 第\d+行第\d+列: JSON 语法错误/);
      await withDb(dbFile, async (db) => expect((await configVersions.head(db))!.published).toBe(2));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 120_000);
});
