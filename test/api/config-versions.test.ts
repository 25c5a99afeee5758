/**
 * Config as versioned data (issue 23): the published version is served from the database; a
 * config admin opens the draft, saves whole documents with its version, publishes (checks,
 * migration steps applied to the stored records and audited), rolls back; four-eyes; concurrent
 * publishes; only config admins reach any of it. Real server, real database (SQLite or PostgreSQL).
 */
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { startTestServer, type TestServer } from '../helpers/server.js';
import type { Client } from '../helpers/client.js';
import { nodeId } from '../helpers/demo.js';
import { copyApp } from '../helpers/app-copy.js';
import { repoRoot } from '../helpers/paths.js';
import { openDraft, saveDraftDocument, publishDraft, rollback } from '../../engine/config-versions/drafts.js';
import type { Engine } from '../../engine/engine.js';

/** The stored records of a collection that hold a value in `field`, in insertion order (read through the storage port). */
async function recordsWith(engine: Pick<Engine, 'storage'>, collection: string, field: string) {
  const { records, db } = engine.storage;
  const ids = await records.ids(db, { collection });
  const byId = new Map((await records.getMany(db, ids)).map((r) => [r.id, r]));
  return ids.map((id) => byId.get(id)!).filter((r) => r.data[field] != null);
}

const SCHEMA = 'forms/member.schema.json';
const TEMPLATE = 'templates/member-sheet.hbs';

async function draftFile(c: Client, path: string): Promise<string> {
  const res = await c.get(`/api/config/draft/files/${path}`);
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  return res.body.content;
}

describe('config versions: draft, publish, migrate, rollback', () => {
  let s: TestServer;
  let cfg: Client;
  let admin: Client;
  let member: string;
  beforeAll(async () => {
    s = await startTestServer();
    cfg = await s.login('config_admin');
    admin = await s.login('bj_admin');
    const org = await nodeId(admin, '美域家园社区第二支部');
    member = (await admin.get(`/api/records/member?node=${org}`)).body.items[0].id;
  }, 60_000);
  afterAll(() => s?.stop());

  it('the files are version 1 in the database, and X-Config-Generation is the version number', async () => {
    const versions = await cfg.get('/api/config/versions');
    expect(versions.status).toBe(200);
    expect(versions.body.published).toBe(1);
    expect(versions.body.items.map((v: any) => [v.number, v.origin])).toEqual([[1, 'files']]);
    expect(versions.headers.get('x-config-generation')).toBe('1');
    const stored = await s.engine.storage.configVersions.get(s.engine.storage.db, 1);
    expect(stored!.files[SCHEMA]).toBe(readFileSync(join(repoRoot, SCHEMA), 'utf8'));
    // Records written before any publish note version 1.
    expect(await s.engine.storage.configVersions.recordVersion(s.engine.storage.db, member)).toBe(1);
  });

  it('draft → edit → publish: the change is live in forms, validation and print; records written after note the new version', async () => {
    const opened = await cfg.post('/api/config/draft');
    expect(opened.status).toBe(201);
    expect(opened.body).toMatchObject({ base: 1, version: 1, changed: [], publishable: true });
    // A second draft cannot be opened while one is.
    expect((await cfg.post('/api/config/draft')).status).toBe(409);

    const schema = JSON.parse(await draftFile(cfg, SCHEMA));
    schema.properties.address = { ...schema.properties.address, title: '现居住地址', maxLength: 30 };
    const saved = await cfg.put(`/api/config/draft/files/${SCHEMA}`, { content: JSON.stringify(schema, null, 2) + '\n' }, 1);
    expect(saved.status, JSON.stringify(saved.body)).toBe(200);
    expect(saved.body).toMatchObject({ version: 2, changed: [SCHEMA], problems: [], publishable: true });
    const template = (await draftFile(cfg, TEMPLATE)).replace('<h1>党员基本信息采集表</h1>', '<h1>党员基本信息采集表（第二版）</h1>');
    expect((await cfg.put(`/api/config/draft/files/${TEMPLATE}`, { content: template }, 2)).status).toBe(200);

    // Nothing is live before the publish.
    expect((await admin.get('/api/forms/member')).body.schema.properties.address.title).toBe('家庭住址');

    const published = await cfg.post('/api/config/draft/publish', { note: '地址改名并限长' }, { 'if-match': '"3"' });
    expect(published.status, JSON.stringify(published.body)).toBe(200);
    expect(published.body).toMatchObject({ version: 2, documents: [SCHEMA, TEMPLATE] });
    expect(published.headers.get('x-config-generation')).toBe('2');

    const form = await admin.get('/api/forms/member');
    expect(form.headers.get('x-config-generation')).toBe('2');
    expect(form.body.schema.properties.address.title).toBe('现居住地址');
    const check = await admin.post('/api/forms/member/validate', { data: { address: '北京市朝阳区某某街道某某社区某某楼某某单元某某号某某室某某某某某' } });
    expect(check.body.errors.find((e: any) => e.path === '/address')?.message).toMatch(/现居住地址/);
    const html = await admin.get(`/api/records/member/${member}/documents/member-sheet.html`);
    expect(html.body).toContain('<h1>党员基本信息采集表（第二版）</h1>');

    const record = (await admin.get(`/api/records/member/${member}`)).body;
    const put = await admin.put(`/api/records/member/${member}`, { ...record.data, address: '短地址' }, record.version);
    expect(put.status, JSON.stringify(put.body)).toBe(200);
    expect(await s.engine.storage.configVersions.recordVersion(s.engine.storage.db, member)).toBe(2);

    const history = (await cfg.get('/api/config/history')).body.items.map((h: any) => [h.action, h.version]);
    expect(history.slice(0, 4)).toEqual([['publish', 2], ['save', 1], ['save', 1], ['open', 1]]);
    expect((await cfg.get('/api/config/draft')).status).toBe(404);
  });

  it('a stale draft save is 409; a broken draft is saved with the check\'s messages but never published', async () => {
    await cfg.post('/api/config/draft');
    const manifest = JSON.parse(await draftFile(cfg, 'forms/app.json'));
    manifest.collections.member.schema = 'missing.schema.json';
    const broken = await cfg.put('/api/config/draft/files/forms/app.json', { content: JSON.stringify(manifest, null, 2) }, 1);
    expect(broken.status).toBe(200);
    expect(broken.body.publishable).toBe(false);
    const problem = broken.body.problems.find((p: any) => p.path.startsWith('forms/missing.schema.json'));
    expect(problem?.message).toMatch(/forms\/missing\.schema\.json: 文件不存在/);

    const stale = await cfg.put('/api/config/draft/files/forms/app.json', { content: '{}' }, 1);
    expect(stale.status).toBe(409);
    expect(stale.body.error.draftVersion).toBe(2);

    const refused = await cfg.post('/api/config/draft/publish', { note: 'x' }, { 'if-match': '"2"' });
    expect(refused.status).toBe(422);
    expect(refused.body.error.code).toBe('config_refused');
    expect(refused.body.error.message).toContain(problem.message);
    expect(s.engine.config.version).toBe(2);
    expect((await cfg.delete('/api/config/draft', { 'if-match': '"2"' })).status).toBe(200);
  });

  it('renaming a field: refused without a step (the field named); with renameField every value is kept, moved and audited with the version', async () => {
    const before = await recordsWith(s.engine, 'member', 'wechat');
    expect(before.length).toBeGreaterThan(0);
    await cfg.post('/api/config/draft');
    const schema = (await draftFile(cfg, SCHEMA)).replace('"wechat"', '"weixin"');
    await cfg.put(`/api/config/draft/files/${SCHEMA}`, { content: schema }, 1);
    const demo = (await draftFile(cfg, 'forms/demo/members.json')).replaceAll('"wechat"', '"weixin"');
    const saved = await cfg.put('/api/config/draft/files/forms/demo/members.json', { content: demo }, 2);
    expect(saved.body.problems).toEqual([]);

    const orphan = await cfg.post('/api/config/draft/publish', { note: '改名' }, { 'if-match': '"3"' });
    expect(orphan.status).toBe(422);
    expect(orphan.body.error.code).toBe('config_orphans');
    expect(orphan.body.error.message).toMatch(/「微信号」（wechat）.*renameField/);

    const steps = [{ op: 'renameField', collection: 'member', from: 'wechat', to: 'weixin' }];
    await cfg.put('/api/config/draft/files/migrations.json', { content: JSON.stringify(steps) }, 3);
    const published = await cfg.post('/api/config/draft/publish', { note: '微信号改名' }, { 'if-match': '"4"' });
    expect(published.status, JSON.stringify(published.body)).toBe(200);
    expect(published.body).toMatchObject({ version: 3, migrated: before.length });
    for (const r of before) {
      const now = (await s.engine.storage.records.get(s.engine.storage.db, r.id))!.data;
      const old = r.data;
      expect(now.weixin).toBe(old.wechat);
      expect(now.wechat).toBeUndefined();
      expect(await s.engine.storage.configVersions.recordVersion(s.engine.storage.db, r.id)).toBe(3);
      const audit = (await s.engine.storage.audit.forRecord(s.engine.storage.db, r.id)).entries.find((e) => e.action === 'migrate');
      expect(audit!.note).toBe('配置第 3 版的迁移');
      expect(audit!.diff).toEqual({ wechat: [old.wechat, null], weixin: [null, old.wechat] });
    }
    expect((await admin.get('/api/forms/member')).body.schema.properties.weixin.title).toBe('微信号');
  });

  it('rollback publishes an earlier version as a new one through the same checks (steps where the versions between renamed)', async () => {
    const refused = await cfg.post('/api/config/versions/1/rollback', { note: '回到第一版' });
    expect(refused.status).toBe(422);
    expect(refused.body.error.code).toBe('config_orphans');
    const done = await cfg.post('/api/config/versions/1/rollback', { note: '回到第一版', steps: [{ op: 'renameField', collection: 'member', from: 'weixin', to: 'wechat' }] });
    expect(done.status, JSON.stringify(done.body)).toBe(200);
    expect(done.body.version).toBe(4);
    const form = (await admin.get('/api/forms/member')).body.schema.properties;
    expect(form.address.title).toBe('家庭住址');
    expect(form.wechat.title).toBe('微信号');
    expect((await admin.get(`/api/records/member/${member}/documents/member-sheet.html`)).body).toContain('<h1>党员基本信息采集表</h1>');
    const v1 = (await s.engine.storage.configVersions.get(s.engine.storage.db, 1))!.files;
    const v4 = (await s.engine.storage.configVersions.get(s.engine.storage.db, 4))!.files;
    expect(v4[SCHEMA]).toBe(v1[SCHEMA]);
    const diff = await cfg.get('/api/config/versions/1/diff/2');
    const schemaDiff = diff.body.documents.find((d: any) => d.path === SCHEMA);
    expect(schemaDiff).toMatchObject({ kind: 'schema', change: 'changed', items: [{ key: 'address', change: 'changed', properties: ['title', 'maxLength'] }] });
    const history = (await cfg.get('/api/config/history?limit=1')).body.items;
    expect(history[0]).toMatchObject({ action: 'rollback', version: 4, actor: 'config_admin', detail: { from: 3, to: 1 } });
  });

  it('two concurrent publishes: exactly one wins', async () => {
    await cfg.post('/api/config/draft');
    const other = await s.login('config_admin');
    const [a, b] = await Promise.all([
      cfg.post('/api/config/draft/publish', { note: 'a' }, { 'if-match': '"1"' }),
      other.post('/api/config/draft/publish', { note: 'b' }, { 'if-match': '"1"' }),
    ]);
    expect([a.status, b.status].sort()).toEqual([200, 409]);
    const [r1, r2] = await Promise.all([
      cfg.post('/api/config/versions/2/rollback', { note: 'x' }),
      other.post('/api/config/versions/4/rollback', { note: 'y' }),
    ]);
    expect([r1.status, r2.status].sort()).toEqual([200, 409]);
    const versions = (await cfg.get('/api/config/versions')).body;
    expect(versions.items.length).toBe(6);
    expect(versions.published).toBe(6);
  });

  it('config routes answer 401 anonymous and 403 to everyone but config admins', async () => {
    const anon = s.anonymous();
    expect((await anon.get('/api/config/versions')).status).toBe(401);
    for (const who of ['bj_admin', 'pdl_admin', 'pandongliang']) {
      const c = await s.login(who);
      expect((await c.get('/api/config/versions')).status, who).toBe(403);
      expect((await c.post('/api/config/draft')).status, who).toBe(403);
      expect((await c.get('/api/config/history')).status, who).toBe(403);
    }
  });
});

describe('four-eyes publishing (publishNeedsSecondAdmin)', () => {
  let s: TestServer;
  let dir: string;
  beforeAll(async () => {
    dir = copyApp();
    const manifest = JSON.parse(readFileSync(join(dir, 'forms/app.json'), 'utf8'));
    writeFileSync(join(dir, 'forms/app.json'), JSON.stringify({ ...manifest, publishNeedsSecondAdmin: true }, null, 2));
    s = await startTestServer(dir);
  }, 60_000);
  afterAll(async () => {
    await s?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('one config admin proposes, another publishes; nobody approves their own proposal', async () => {
    const cfg = await s.login('config_admin');
    const root = await s.login('bj_admin');
    const rootId = await nodeId(root, '中共北京市委');
    expect((await root.post('/api/grants', { node: rootId, role: 'config', username: 'bj_admin' })).status).toBe(201);
    await cfg.post('/api/config/draft');
    const schema = JSON.parse(await draftFile(cfg, SCHEMA));
    schema.properties.address.title = '现居住地址';
    await cfg.put(`/api/config/draft/files/${SCHEMA}`, { content: JSON.stringify(schema) }, 1);
    const direct = await cfg.post('/api/config/draft/publish', { note: '直接发布' }, { 'if-match': '"2"' });
    expect(direct.status).toBe(409);
    expect(direct.body.error.code).toBe('proposal_required');
    expect((await cfg.post('/api/config/draft/propose', { note: '地址改名' }, { 'if-match': '"2"' })).status).toBe(200);
    const own = await cfg.post('/api/config/draft/publish', {}, { 'if-match': '"2"' });
    expect(own.status).toBe(403);
    const approved = await root.post('/api/config/draft/publish', {}, { 'if-match': '"2"' });
    expect(approved.status, JSON.stringify(approved.body)).toBe(200);
    expect((await root.get('/api/forms/member')).body.schema.properties.address.title).toBe('现居住地址');
    const history = (await cfg.get('/api/config/history?limit=3')).body.items.map((h: any) => [h.action, h.actor, h.note]);
    expect(history).toEqual([['publish', 'bj_admin', '地址改名'], ['approve', 'bj_admin', '地址改名'], ['propose', 'config_admin', '地址改名']]);
    // A code table is changed in the draft too, not in one step.
    const table = (await cfg.get('/api/codes/title')).body;
    expect((await cfg.put('/api/codes/title', { ...table, codes: [...table.codes, { code: '999', label: '测试' }] }, table.version)).status).toBe(409);
  });
});

describe('the leave fixture application goes through the same cycle', () => {
  let s: TestServer;
  beforeAll(async () => {
    s = await startTestServer(join(repoRoot, 'test/fixtures/leave'));
  }, 60_000);
  afterAll(() => s?.stop());

  it('draft, rename with a step, publish, rollback', async () => {
    const boss = await s.login('boss', 'leave-demo');
    const leaves = await recordsWith(s.engine, 'leave', 'certificate');
    expect(leaves.length).toBeGreaterThan(0);
    await openDraft(s.engine, '测试');
    const path = 'forms/leave.schema.json';
    const draft = (await s.engine.storage.configVersions.draft(s.engine.storage.db))!;
    await saveDraftDocument(s.engine, '测试', path, (draft.files[path] as string).replaceAll('"certificate"', '"certNo"').replace('病假证明编号', '病假证明号'), 1);
    const demo = 'forms/demo/leaves.json';
    await saveDraftDocument(s.engine, '测试', demo, (draft.files[demo] as string).replaceAll('"certificate"', '"certNo"'), 2);
    await expect(publishDraft(s.engine, '测试', null, 3)).rejects.toMatchObject({ code: 'config_orphans' });
    await saveDraftDocument(s.engine, '测试', 'migrations.json', JSON.stringify([{ op: 'renameField', collection: 'leave', from: 'certificate', to: 'certNo' }]), 3);
    const result = await publishDraft(s.engine, '测试', '证明编号改名', 4);
    expect(result).toMatchObject({ version: 2, migrated: leaves.length });
    const form = await boss.get('/api/forms/leave');
    expect(form.headers.get('x-config-generation')).toBe('2');
    expect(form.body.schema.properties.certNo.title).toBe('病假证明号');
    const old = leaves[0].data.certificate;
    const one = (await boss.get(`/api/records/leave/${leaves[0].id}`)).body;
    expect(one.data.certNo).toBe(old);
    // The renamed field validates: a sick leave without it is refused by the draft's rule.
    const check = await boss.post('/api/forms/leave/validate', { data: { ...one.data, certNo: undefined } });
    expect(check.body.errors.map((e: any) => e.path)).toContain('/certNo');
    await rollback(s.engine, '测试', 1, null, [{ op: 'renameField', collection: 'leave', from: 'certNo', to: 'certificate' }]);
    expect((await boss.get(`/api/records/leave/${leaves[0].id}`)).body.data.certificate).toBe(old);
    expect((await boss.get('/api/forms/leave')).body.schema.properties.certificate.title).toBe('病假证明编号');
  });
});
