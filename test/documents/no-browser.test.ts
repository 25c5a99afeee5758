import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { startTestServer, type TestServer } from '../helpers/server.js';
import { nodeId } from '../helpers/demo.js';
import type { Client } from '../helpers/client.js';
import { findChromium, CHROMIUM_PATHS } from '../../engine/documents/chromium.js';
import { closeBrowser } from '../../engine/documents/pdf.js';

describe('finding Chromium', () => {
  it('takes PUPPETEER_EXECUTABLE_PATH first, then the usual install paths in order', () => {
    const has = (...paths: string[]) => (p: string) => paths.includes(p);
    expect(findChromium({ PUPPETEER_EXECUTABLE_PATH: '/opt/x/chrome' }, has('/opt/x/chrome', '/usr/bin/chromium'))).toBe('/opt/x/chrome');
    expect(findChromium({}, has('/usr/bin/google-chrome', '/usr/bin/chromium-browser'))).toBe('/usr/bin/chromium-browser');
    expect(CHROMIUM_PATHS[0]).toBe('/usr/bin/chromium');
  });

  it('answers a 503 in Chinese when there is none, or the configured one is missing', () => {
    const none = () => false;
    expect(() => findChromium({}, none)).toThrow(/未找到 Chromium/);
    try {
      findChromium({ PUPPETEER_EXECUTABLE_PATH: '/nowhere/chrome' }, (p) => p === '/usr/bin/chromium');
      expect.unreachable();
    } catch (err: any) {
      expect(err.kind).toBe('unavailable');
      expect(err.message).toContain('/nowhere/chrome');
    }
  });
});

/** Without a browser the server stays up: PDF answers a clean 503, the HTML preview still works. */
describe('PDF without a browser', () => {
  let s: TestServer;
  let admin: Client;
  let id: string;
  const saved = process.env.PUPPETEER_EXECUTABLE_PATH;

  beforeAll(async () => {
    process.env.PUPPETEER_EXECUTABLE_PATH = '/nowhere/chromium';
    s = await startTestServer();
    admin = await s.login('meiyu_admin');
    const org = await nodeId(admin, '美域家园社区第二支部');
    id = (await admin.get(`/api/records/member?node=${org}`)).body.items[0].id;
  });
  afterAll(async () => {
    if (saved === undefined) delete process.env.PUPPETEER_EXECUTABLE_PATH;
    else process.env.PUPPETEER_EXECUTABLE_PATH = saved;
    await closeBrowser();
    await s?.stop();
  });

  it('answers 503 with a message an operator can act on, and keeps serving', async () => {
    const res = await admin.get(`/api/records/member/${id}/documents/member-sheet.pdf`);
    expect(res.status).toBe(503);
    expect(res.body.error.code).toBe('pdf_unavailable');
    expect(res.body.error.message).toMatch(/PUPPETEER_EXECUTABLE_PATH.*\/nowhere\/chromium/);
    const batch = await admin.post('/api/records/member/documents/member-sheet', { ids: [id] });
    expect(batch.status).toBe(503);
    const html = await admin.get(`/api/records/member/${id}/documents/member-sheet.html`);
    expect(html.status).toBe(200);
    expect((await admin.get('/api/health')).status).toBe(200);
  });

  it('a print job fails with the same message instead of crashing', async () => {
    const start = await admin.post('/api/records/member/documents/member-sheet?async=1', { ids: [id] });
    expect(start.status).toBe(202);
    let job: any;
    for (let i = 0; i < 50; i++) {
      job = (await admin.get(`/api/jobs/${start.body.jobId}`)).body;
      if (job.status !== 'running') break;
      await new Promise((r) => setTimeout(r, 100));
    }
    expect(job.status).toBe('failed');
    expect(job.error.code).toBe('pdf_unavailable');
    const result = await admin.get(`/api/jobs/${start.body.jobId}/result`);
    expect(result.status).toBe(409);
  });
});
