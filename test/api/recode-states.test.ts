import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { startTestServer, type TestServer } from '../helpers/server.js';
import type { Client } from '../helpers/client.js';
import { memberData, nodeId } from '../helpers/demo.js';
import { copyApp } from '../helpers/app-copy.js';

/**
 * A bulk replacement of a deprecated code (需重新录入 → 批量替换) tells before it runs what it does
 * to the records' workflow states, per state, with the workflow's state titles. The demo workflow
 * declares RECODED (a central correction, not the branch's edit) and keeps every state; a copy
 * whose workflow lacks it treats the replacement as an edit, which sends 待确认 and 已确认 back to
 * 未提交 — and the dry run says so before anything is written.
 */
describe.each([
  { name: 'the demo workflow (declares RECODED)', keeps: true },
  { name: 'a workflow without RECODED (a replacement is an edit)', keeps: false },
])('code replacement and workflow states: $name', ({ keeps }) => {
  let s: TestServer;
  let cfg: Client;
  let admin: Client;
  const ids = { draft: '', pending: '', confirmed: '' };
  const CODE = '0198';

  beforeAll(async () => {
    const dir = copyApp();
    if (!keeps) {
      const file = join(dir, 'workflows/member-confirmation.json');
      const wf = JSON.parse(readFileSync(file, 'utf8'));
      delete wf.meta.events.RECODED;
      wf.meta.internalEvents = ['EDITED'];
      writeFileSync(file, JSON.stringify(wf, null, 2));
    }
    s = await startTestServer(dir);
    cfg = await s.login('config_admin');
    admin = await s.login('bj_admin');
    // A current code, three records holding it in three states, then the code deprecated with one successor.
    let t = (await cfg.get('/api/codes/job-position')).body;
    expect((await cfg.put('/api/codes/job-position', { ...t, codes: [...t.codes, { code: CODE, label: '测试旧岗位' }] }, t.version)).status).toBe(200);
    const org = await nodeId(admin, '惠民党支部');
    for (const k of Object.keys(ids) as (keyof typeof ids)[]) {
      const res = await admin.post('/api/records/member', memberData(org, { jobPosition: CODE }));
      expect(res.status, JSON.stringify(res.body)).toBe(201);
      ids[k] = res.body.id;
    }
    expect((await admin.post(`/api/records/member/${ids.pending}/events`, { type: 'SUBMIT' })).status).toBe(200);
    const offline = await admin.post(`/api/records/member/${ids.confirmed}/events`, { type: 'OFFLINE_CONFIRM', signedDate: '2026-01-05', note: '线下签字' });
    expect(offline.status, JSON.stringify(offline.body)).toBe(200);
    t = (await cfg.get('/api/codes/job-position')).body;
    const dep = await cfg.put('/api/codes/job-position', {
      ...t, codes: t.codes.map((c: any) => (c.code === CODE ? { ...c, deprecated: '2026-11-01', replacedBy: ['0111'] } : c)),
    }, t.version);
    expect(dep.status, JSON.stringify(dep.body)).toBe(200);
  });
  afterAll(async () => { await s.stop(); });

  const stateOf = async (id: string) => (await admin.get(`/api/records/member/${id}`)).body.state;

  it('the dry run counts the records per state before and after, says it in words, and writes nothing', async () => {
    const root = await nodeId(admin, '中共北京市委');
    const dry = await admin.post('/api/codes/job-position/replace', { code: CODE, node: root, dryRun: true });
    expect(dry.status, JSON.stringify(dry.body)).toBe(200);
    expect(dry.body.count).toBe(3);
    const moves = dry.body.states.map((o: any) => [o.fromTitle, o.toTitle, o.count]);
    if (keeps) {
      expect(moves).toEqual([['未提交', '未提交', 1], ['待确认', '待确认', 1], ['已确认', '已确认', 1]]);
      expect(dry.body.stateSummary).toBe('记录的流程状态不变（1 条未提交、1 条待确认、1 条已确认）。');
    } else {
      expect(moves).toEqual([['未提交', '未提交', 1], ['待确认', '未提交', 1], ['已确认', '未提交', 1]]);
      expect(dry.body.stateSummary).toBe('其中 1 条待确认、1 条已确认的记录将退回「未提交」；其余 1 条的流程状态不变。');
    }
    expect(await stateOf(ids.pending)).toBe('pending');
    expect(await stateOf(ids.confirmed)).toBe('confirmed');
    expect((await admin.get(`/api/records/member/${ids.confirmed}`)).body.data.jobPosition).toBe(CODE);

    const run = await admin.post('/api/codes/job-position/replace', { code: CODE, node: root, dryRun: false });
    expect(run.status, JSON.stringify(run.body)).toBe(200);
    expect(run.body.states).toEqual(dry.body.states);
    expect(run.body.stateSummary).toBe(keeps
      ? '记录的流程状态未变（1 条未提交、1 条待确认、1 条已确认）。'
      : '其中 1 条待确认、1 条已确认的记录已退回「未提交」；其余 1 条的流程状态不变。');
    expect(await stateOf(ids.draft)).toBe('draft');
    expect(await stateOf(ids.pending)).toBe(keeps ? 'pending' : 'draft');
    expect(await stateOf(ids.confirmed)).toBe(keeps ? 'confirmed' : 'draft');
    const confirmed = (await admin.get(`/api/records/member/${ids.confirmed}`)).body;
    expect(confirmed.data.jobPosition).toBe('0111');
    // Kept: the confirmation's context stays with it; sent back: cleared as on any edit.
    expect(Boolean(confirmed.workflowContext?.confirmedAt)).toBe(keeps);
    const last = (await admin.get(`/api/records/member/${ids.confirmed}/history`)).body.items.at(-1);
    expect(last).toMatchObject({ action: 'update', diff: { jobPosition: [CODE, '0111'] } });
  });
});
