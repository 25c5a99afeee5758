import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { startTestServer, type TestServer } from '../helpers/server.js';
import type { Client } from '../helpers/client.js';
import { memberData, nodeId } from '../helpers/demo.js';
import { copyApp } from '../helpers/app-copy.js';
import { rawDb } from '../helpers/raw-db.js';

/** The central department changes a code table: config, not code, and the running system follows. */
describe('code-table changes at run time', () => {
  let s: TestServer;
  let appDir: string;
  let cfg: Client;
  let admin: Client;
  let root: string;
  beforeAll(async () => {
    appDir = copyApp();
    s = await startTestServer(appDir);
    cfg = await s.login('config_admin');
    admin = await s.login('bj_admin');
    root = await nodeId(admin, '中共北京市委');
  });
  afterAll(async () => { await s.stop(); });

  const table = async (name: string) => (await cfg.get(`/api/codes/${name}`)).body;

  it('reports records holding deprecated codes (需重新录入), grouped by field and code', async () => {
    const report = await admin.get(`/api/reports/deprecated-codes?node=${root}`);
    expect(report.status).toBe(200);
    const group = report.body.groups.find((g: any) => g.field === 'jobPosition' && g.code === '011');
    expect(group).toMatchObject({ collection: 'member', fieldTitle: '工作岗位', label: '机关干部岗位' });
    expect(group.count).toBeGreaterThanOrEqual(2);
    expect(group.records.map((r: any) => r.title)).toEqual(expect.arrayContaining(['潘东亮', '演示九']));
    expect(group.replacedBy.map((r: any) => r.code)).toEqual(['0111', '0112']);
    // A branch admin's report covers the own branch only.
    const pdl = await s.login('pdl_admin');
    const mine = await pdl.get(`/api/reports/deprecated-codes?node=${await nodeId(pdl, '潘东亮支部乙')}`);
    const g2 = mine.body.groups.find((g: any) => g.code === '011');
    expect(g2.records.map((r: any) => r.title)).toEqual(['潘东亮']);
    expect((await pdl.get(`/api/reports/deprecated-codes?node=${root}`)).status).toBe(404);
  });

  it('SUBMIT refuses a record holding a deprecated code, naming the field and the replacements; fixed, it submits', async () => {
    const pdl = (await admin.get(`/api/records/member?q=${encodeURIComponent('潘东亮')}`)).body.items[0];
    const refused = await admin.post(`/api/records/member/${pdl.id}/events`, { type: 'SUBMIT' });
    expect(refused.status).toBe(422);
    const detail = refused.body.error.details.find((d: any) => d.path === '/jobPosition');
    expect(detail.message).toMatch(/^「工作岗位」的代码“机关干部岗位（011）”已停用，请改选：.+（0111）、.+（0112）$/);
    const fixed = await admin.put(`/api/records/member/${pdl.id}`, { ...pdl.data, jobPosition: '0112' }, pdl.version);
    expect(fixed.status).toBe(200);
    expect(fixed.body.complete).toBe(true);
    const ok = await admin.post(`/api/records/member/${pdl.id}/events`, { type: 'SUBMIT' });
    expect(ok.status).toBe(200);
    expect((await admin.get(`/api/records/member/${pdl.id}`)).body.state).toBe('pending');
    const report = await admin.get(`/api/reports/deprecated-codes?node=${root}`);
    const group = report.body.groups.find((g: any) => g.code === '011');
    expect(group.records.map((r: any) => r.title)).not.toContain('潘东亮');
  });

  it('a code added at run time is accepted without restart and shows in GET /api/forms', async () => {
    const t = await table('job-position');
    const generation = Number((await admin.get('/api/forms/member')).headers.get('x-config-generation'));
    const edited = { ...t, codes: [...t.codes, { code: '0199', label: '测试新增岗位' }] };
    const res = await cfg.put('/api/codes/job-position', edited, t.version);
    expect(res.status).toBe(200);
    // Every API answer tells clients the config changed, so open forms refetch their schema;
    // the answer to the change itself already does.
    expect(Number(res.headers.get('x-config-generation'))).toBe(generation + 1);
    expect(Number((await admin.get('/api/me')).headers.get('x-config-generation'))).toBe(generation + 1);
    expect(res.body.version).toBe(t.version + 1);
    const form = await admin.get('/api/forms/member');
    expect(form.body.schema.properties.jobPosition.enum).toContain('0199');
    const org = await nodeId(admin, '惠民党支部');
    const created = await admin.post('/api/records/member', memberData(org, { jobPosition: '0199' }));
    expect(created.status).toBe(201);
    expect(created.body.codeVersions['job-position']).toBe(t.version + 1);
    // The table is saved as the next config version in the database; the application's files stay the release's.
    const stored = await s.engine.storage.configVersions.get(s.engine.storage.db, s.engine.config.version);
    expect(stored!.origin).toBe('codes');
    expect(JSON.parse(stored!.files['forms/codes/job-position.json'] as string).codes.at(-1)).toEqual({ code: '0199', label: '测试新增岗位' });
    const onDisk = JSON.parse(readFileSync(join(appDir, 'forms/codes/job-position.json'), 'utf8'));
    expect(onDisk.codes.map((c: { code: string }) => c.code)).not.toContain('0199');
  });

  it('only config admins edit tables; bad tables and stale versions are refused', async () => {
    const t = await table('job-position');
    expect((await admin.put('/api/codes/job-position', t, t.version)).status).toBe(403);
    const dup = await cfg.put('/api/codes/job-position', { ...t, codes: [...t.codes, { code: '0111', label: '重复' }] }, t.version);
    expect(dup.status).toBe(422);
    expect(dup.body.error.details[0].message).toMatch(/“0111”与第\d+行重复/);
    const badRepl = await cfg.put('/api/codes/job-position', { ...t, codes: t.codes.map((c: any) => (c.code === '0199' ? { ...c, deprecated: '2026-01-01', replacedBy: ['9999x'] } : c)) }, t.version);
    expect(badRepl.status).toBe(422);
    expect(badRepl.body.error.details[0].message).toMatch(/替代代码“9999x”不存在/);
    expect((await cfg.put('/api/codes/job-position', t, t.version - 1)).status).toBe(409);
    expect((await table('job-position')).version).toBe(t.version);
  });

  // Every code-table audit entry, whichever table it names (the port reads audit entries by record or subtree only).
  const codeAudits = async () => (await rawDb(s).get<{ n: number }>('SELECT count(*) AS n FROM audit WHERE collection = ?', ['$codes']))!.n;

  it('a table that breaks the code-table format (the schema npm run check uses) is refused with pointers; nothing is saved', async () => {
    const t = await table('title');
    const file = readFileSync(join(appDir, 'forms/codes/title.json'), 'utf8');
    const audits = await codeAudits();
    const cases: [Record<string, unknown>, string, RegExp][] = [
      [{ ...t, source: 123 }, '/source', /^「来源」应为文本$/],
      [{ ...t, colour: 'red' }, '/colour', /^「colour」不是代码表的字段$/],
      [{ ...t, table: 'nation' }, '/table', /^「表名」应为“title”/],
      [{ ...t, codes: [{ ...t.codes[0], extra: 1 }, ...t.codes.slice(1)] }, '/codes/0/extra', /^第1行「extra」不是代码表的字段$/],
      [{ ...t, codes: [{ ...t.codes[0], provisional: 'yes' }, ...t.codes.slice(1)] }, '/codes/0/provisional', /^第1行「待核实」应为是或否$/],
      [{ ...t, codes: [{ ...t.codes[0], label: '教\u202e授' }, ...t.codes.slice(1)] }, '/codes/0/label', /^第1行「名称」含有不可见的控制字符（U\+202E）/],
      [{ ...t, version: t.version + 5 }, '/version', /^「版本」应为所编辑的版本/],
      [{ ...t, codes: 'none' }, '/codes', /^「代码」应为列表$/],
    ];
    for (const [body, path, message] of cases) {
      const res = await cfg.put('/api/codes/title', body, t.version);
      expect(res.status, path).toBe(422);
      const detail = res.body.error.details.find((d: any) => d.path === path);
      expect(detail?.message, JSON.stringify(res.body.error.details)).toMatch(message);
    }
    expect(await table('title')).toEqual(t);
    expect(readFileSync(join(appDir, 'forms/codes/title.json'), 'utf8')).toBe(file);
    expect(await codeAudits()).toBe(audits);
  });

  it('saving a table unchanged is a no-op: 200 saying so, the same version, no audit entry', async () => {
    const t = await table('title');
    const audits = await codeAudits();
    const generation = Number((await cfg.get('/api/config/status')).headers.get('x-config-generation'));
    // Keys in another order, as a client may send them, are the same table.
    const { codes, ...head } = t;
    const res = await cfg.put('/api/codes/title', { codes, ...head }, t.version);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ version: t.version, unchanged: true, message: `代码表「${t.title}」没有变化，仍为第 ${t.version} 版` });
    expect((await table('title')).version).toBe(t.version);
    expect(await codeAudits()).toBe(audits);
    expect(Number(res.headers.get('x-config-generation'))).toBe(generation);
    // A real change still saves as the next version.
    const changed = await cfg.put('/api/codes/title', { ...t, codes: [...t.codes, { code: '999', label: '测试职称' }] }, t.version);
    expect(changed.status).toBe(200);
    expect(changed.body.version).toBe(t.version + 1);
    expect(await codeAudits()).toBe(audits + 1);
  });

  it('removing a code in use is refused; deprecating it is the way', async () => {
    const t = await table('job-position');
    const res = await cfg.put('/api/codes/job-position', { ...t, codes: t.codes.filter((c: any) => c.code !== '0199') }, t.version);
    expect(res.status).toBe(409);
    expect(res.body.error.code).toBe('code_in_use');
    expect(res.body.error.message).toMatch(/代码“0199”仍被1条记录的「工作岗位」使用/);
    expect((await admin.get('/api/forms/member')).body.schema.properties.jobPosition.enum).toContain('0199');
  });

  it('one-to-one replacement in bulk: dry run changes nothing, the run changes N records in one audited transaction', async () => {
    const org = await nodeId(admin, '惠民党支部');
    const ids: string[] = [];
    for (let i = 0; i < 3; i++) ids.push((await admin.post('/api/records/member', memberData(org, { jobPosition: '0199' }))).body.id);
    const t = await table('job-position');
    const dep = await cfg.put('/api/codes/job-position', {
      ...t, codes: [...t.codes.filter((c: any) => c.code !== '0199'), { code: '0199', label: '测试新增岗位', deprecated: '2026-11-01', replacedBy: ['0111'] }],
    }, t.version);
    expect(dep.status).toBe(200);
    // The change reaches stored records at once: they are no longer complete.
    expect((await admin.get(`/api/records/member/${ids[0]}`)).body.complete).toBe(false);
    const dry = await admin.post('/api/codes/job-position/replace', { code: '0199', node: root, dryRun: true });
    expect(dry.status).toBe(200);
    expect(dry.body.count).toBe(4);
    expect(dry.body.to).toEqual({ code: '0111', label: expect.any(String) });
    for (const id of ids) expect((await admin.get(`/api/records/member/${id}`)).body.data.jobPosition).toBe('0199');
    const run = await admin.post('/api/codes/job-position/replace', { code: '0199', node: root, dryRun: false });
    expect(run.body.count).toBe(4);
    for (const id of ids) {
      const r = (await admin.get(`/api/records/member/${id}`)).body;
      expect(r.data.jobPosition).toBe('0111');
      expect(r.complete).toBe(true);
      const h = (await admin.get(`/api/records/member/${id}/history`)).body.items.at(-1);
      expect(h).toMatchObject({ action: 'update', actor: 'bj_admin', diff: { jobPosition: ['0199', '0111'] } });
    }
    const after = await admin.get(`/api/reports/deprecated-codes?node=${root}`);
    expect(after.body.groups.find((g: any) => g.code === '0199')).toBeUndefined();
    const manyToOne = await admin.post('/api/codes/job-position/replace', { code: '011', node: root, dryRun: false });
    expect(manyToOne.status).toBe(422);
    expect(manyToOne.body.error.message).toMatch(/须在表单中逐条选择/);
  });

  it('a change on disk is applied without restart; a broken one is refused and the last good config stays', async () => {
    const file = join(appDir, 'forms/codes/nation.json');
    const nation = JSON.parse(readFileSync(file, 'utf8'));
    writeFileSync(file, JSON.stringify({ ...nation, version: nation.version + 1, codes: [...nation.codes, { code: '99', label: '测试民族' }] }, null, 2));
    let status = await s.engine.config.reload();
    expect(status.problems).toEqual([]);
    expect((await admin.get('/api/forms/member')).body.schema.properties.nation.enum).toContain('99');
    writeFileSync(file, '{ "table": "nation", "codes": [ ');
    status = await s.engine.config.reload();
    expect(status.problems[0]).toMatch(/nation\.json/);
    expect((await admin.get('/api/forms/member')).body.schema.properties.nation.enum).toContain('99');
    const shown = await cfg.get('/api/config/status');
    expect(shown.body.problems[0]).toMatch(/nation\.json/);
    expect((await admin.get('/api/config/status')).status).toBe(403);
    writeFileSync(file, JSON.stringify(nation, null, 2));
    expect((await s.engine.config.reload()).problems).toEqual([]);
  });
});

describe('watching the config folders', () => {
  it('picks up a file change by itself', async () => {
    const dir = copyApp();
    const s = await startTestServer(dir, { watchConfig: true });
    try {
      const admin = await s.login('bj_admin');
      const file = join(dir, 'forms/codes/gender.json');
      const gender = JSON.parse(readFileSync(file, 'utf8'));
      const before = s.engine.config.status.generation;
      writeFileSync(file, JSON.stringify({ ...gender, version: gender.version + 1, codes: [...gender.codes, { code: '9', label: '未说明的性别' }] }, null, 2));
      const deadline = Date.now() + 10_000;
      while (s.engine.config.status.generation === before && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
      expect(s.engine.config.status.generation).toBeGreaterThan(before);
      expect((await admin.get('/api/forms/member')).body.schema.properties.gender.enum).toContain('9');
    } finally {
      await s.stop();
    }
  });
});

describe('live changes to forms and workflows', () => {
  it('a new form field and a new workflow state apply without restart; removing a state records are in is refused', async () => {
    const dir = copyApp();
    const s = await startTestServer(dir);
    try {
      const admin = await s.login('tnl_admin');
      const cfg = await s.login('config_admin');
      const org = await nodeId(admin, '惠民党支部');
      // A field the schema does not have yet is refused …
      const before = await admin.post('/api/records/member', memberData(org, { hobby: '书法' }));
      expect(before.status).toBe(422);
      const schemaFile = join(dir, 'forms/member.schema.json');
      const schema = JSON.parse(readFileSync(schemaFile, 'utf8'));
      schema.properties.hobby = { type: 'string', title: '爱好', maxLength: 20 };
      writeFileSync(schemaFile, JSON.stringify(schema, null, 2));
      expect((await s.engine.config.reload()).problems).toEqual([]);
      // … and accepted, validated and stored once it is added.
      expect((await admin.get('/api/forms/member')).body.schema.properties.hobby.title).toBe('爱好');
      const tooLong = await admin.post('/api/records/member', memberData(org, { hobby: '很'.repeat(21) }));
      expect(tooLong.body.error.details[0].message).toBe('「爱好」最多20个字符');
      const after = await admin.post('/api/records/member', memberData(org, { hobby: '书法' }));
      expect(after.status).toBe(201);
      expect((await admin.get(`/api/records/member/${after.body.id}`)).body.data.hobby).toBe('书法');

      // A new state and event in the workflow: offered at once on records in the right state.
      const wfFile = join(dir, 'workflows/member-confirmation.json');
      const wf = JSON.parse(readFileSync(wfFile, 'utf8'));
      const original = JSON.stringify(wf, null, 2);
      wf.meta.events.ARCHIVE = { title: '归档' };
      wf.states.confirmed.on.ARCHIVE = { target: 'archived', guard: { type: 'permission', params: { permission: 'write' } } };
      wf.states.archived = { meta: { title: '已归档' } };
      writeFileSync(wfFile, JSON.stringify(wf, null, 2));
      expect((await s.engine.config.reload()).problems).toEqual([]);
      const hejun = (await admin.get(`/api/records/member?q=${encodeURIComponent('何军')}`)).body.items[0];
      expect(hejun.state).toBe('confirmed');
      const offered = await admin.get(`/api/records/member/${hejun.id}/events`);
      expect(offered.body.events.map((e: any) => e.title)).toContain('归档');
      expect((await admin.post(`/api/records/member/${hejun.id}/events`, { type: 'ARCHIVE' })).body.state).toBe('archived');

      // Removing the state again would strand the record: refused with the count, the state stays.
      writeFileSync(wfFile, original);
      const status = await s.engine.config.reload();
      expect(status.problems).toEqual([expect.stringContaining('workflows/member-confirmation.json：状态“archived”（已归档）被删除或改名，但有 1 条党员记录处于该状态')]);
      expect((await cfg.get('/api/config/status')).body.problems).toEqual(status.problems);
      expect((await admin.get(`/api/records/member/${hejun.id}`)).status).toBe(200);
      const events = await admin.get(`/api/records/member/${hejun.id}/events`);
      expect(events.status).toBe(200);
      expect(events.body.stateTitle).toBe('已归档');
    } finally {
      await s.stop();
    }
  });
});
