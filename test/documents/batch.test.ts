import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { startTestServer, type TestServer } from '../helpers/server.js';
import { nodeId, memberData } from '../helpers/demo.js';
import type { Client } from '../helpers/client.js';
import { closeBrowser } from '../../engine/documents/pdf.js';
import { requireTools, fetchBinary, pdfText, pdfInfo, squash, snapshot } from './tools.js';

/** Batch print: many members as one PDF, one sheet per page, under the read scope; the job variant reports progress. */
describe('batch print of member sheets', { timeout: 120_000 }, () => {
  let s: TestServer;
  let admin: Client;
  let orgId: string;
  const ids: string[] = [];
  const names: string[] = [];
  const URL = '/api/records/member/documents/member-sheet';

  beforeAll(async () => {
    requireTools();
    s = await startTestServer();
    admin = await s.login('meiyu_admin');
    orgId = await nodeId(admin, '美域家园社区第二支部');
    for (let i = 0; i < 50; i++) {
      const name = `批量${String(i + 1).padStart(2, '0')}号`;
      const res = await admin.post('/api/records/member', memberData(orgId, { name }));
      expect(res.status, JSON.stringify(res.body)).toBe(201);
      ids.push(res.body.id);
      names.push(name);
    }
    // Half of them confirmed, half still awaiting confirmation: both print, the latter marked.
    for (const id of ids.slice(0, 25)) await s.engine.storage.records.placeInState(s.engine.storage.db, id, 'confirmed');
  }, 120_000);
  afterAll(async () => {
    await closeBrowser();
    await s?.stop();
  });

  it('50 selected members give one 50-page PDF, each page the sheet of one member in order', async () => {
    const res = await fetchBinary(admin, 'POST', URL, { ids });
    expect(res.status, res.body.toString().slice(0, 300)).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/pdf');
    snapshot(res.body, 'member-sheet-batch', 3);
    expect(pdfInfo(res.body).pages).toBe(50);
    const pages = pdfText(res.body).split('\f').filter((p) => p.trim());
    expect(pages).toHaveLength(50);
    pages.forEach((page, i) => {
      const text = squash(page);
      expect(text).toContain(`1.姓名${names[i]}`);
      expect(text).toContain('党员基本信息采集表');
      expect(text.includes('未确认'), `page ${i + 1}`).toBe(i >= 25);
      for (const other of [names[i - 1], names[i + 1]]) if (other) expect(text).not.toContain(other);
    });
  }, 120_000);

  it('a whole branch or subtree prints exactly what the list shows the same user', async () => {
    const tnl = await s.login('tnl_admin');
    const root = await nodeId(tnl, '丰台区太平桥街道太南里社区党委');
    const listed = await tnl.get(`/api/records/member?node=${root}&deep=1&limit=500`);
    expect(listed.body.total).toBeGreaterThan(0);
    const res = await fetchBinary(tnl, 'POST', URL, { node: root, deep: true });
    expect(res.status, res.body.toString().slice(0, 300)).toBe(200);
    expect(pdfInfo(res.body).pages).toBe(listed.body.total);
    const text = squash(pdfText(res.body));
    for (const r of listed.body.items) expect(text).toContain(r.data.name);

    const branch = await fetchBinary(admin, 'POST', URL, { node: orgId });
    const own = await admin.get(`/api/records/member?node=${orgId}&limit=500`);
    expect(pdfInfo(branch.body).pages).toBe(own.body.total);
  }, 120_000);

  it('scope rules apply exactly as for reading', async () => {
    const other = await s.login('pdl_admin');
    const theirs = (await other.get('/api/records/member')).body.items[0].id;
    const mixed = await other.post(URL, { ids: [theirs, ids[0]] });
    expect(mixed.status).toBe(404);
    expect(mixed.body.error.code).toBe('not_found');
    expect((await other.post(URL, { node: orgId, deep: true })).status).toBe(404);
    expect((await s.anonymous().post(URL, { ids })).status).toBe(401);
  });

  it('refuses bad requests and records whose state allows no print', async () => {
    expect((await admin.post(URL, {})).status).toBe(400);
    expect((await admin.post(URL, { ids: [] })).status).toBe(400);
    expect((await admin.post(URL, { ids: [42] })).status).toBe(400);
    expect((await admin.post('/api/records/member/documents/nothing', { ids })).status).toBe(404);
    await s.engine.storage.records.placeInState(s.engine.storage.db, ids[49], 'archived');
    const res = await admin.post(URL, { ids });
    expect(res.status).toBe(409);
    expect(res.body.error.details[0].message).toContain(names[49]);
    await s.engine.storage.records.placeInState(s.engine.storage.db, ids[49], 'pending');
  });

  it('the job variant answers at once, shows progress, and hands over the same PDF', async () => {
    const start = await admin.post(`${URL}?async=1`, { ids });
    expect(start.status).toBe(202);
    expect(start.body).toMatchObject({ status: 'running', total: 50 });
    const jobId = start.body.jobId;
    const seen: number[] = [];
    let job: any;
    for (let i = 0; i < 600; i++) {
      job = (await admin.get(`/api/jobs/${jobId}`)).body;
      seen.push(job.done);
      if (job.status !== 'running') break;
      await new Promise((r) => setTimeout(r, 200));
    }
    expect(job).toMatchObject({ status: 'done', done: 50, total: 50, result: `/api/jobs/${jobId}/result` });
    expect(seen).toEqual([...seen].sort((a, b) => a - b));
    const other = await s.login('tnl_admin');
    expect((await other.get(`/api/jobs/${jobId}`)).status).toBe(404);
    expect((await other.get(`/api/jobs/${jobId}/result`)).status).toBe(404);
    const result = await fetchBinary(admin, 'GET', `/api/jobs/${jobId}/result`);
    expect(result.status).toBe(200);
    expect(pdfInfo(result.body).pages).toBe(50);
  }, 180_000);
});
