import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { request } from 'node:http';
import { startTestServer, type TestServer } from '../helpers/server.js';
import type { Client } from '../helpers/client.js';
import { memberData, nodeId } from '../helpers/demo.js';

const LIMIT = 20 * 1024 * 1024;

/** Bodies over the limit are refused with a Chinese 413 whether their length is declared or streamed. */
describe('request body limit', () => {
  let s: TestServer;
  let admin: Client;
  let branch: string;
  const count = async () => (await admin.get(`/api/records/member?node=${branch}`)).body.total as number;
  beforeAll(async () => {
    s = await startTestServer();
    admin = await s.login('pdl_admin');
    branch = await nodeId(admin, '潘东亮支部乙');
  });
  afterAll(async () => { await s.stop(); });

  it('a declared Content-Length over the limit is refused before the body is read', async () => {
    const before = await count();
    // Only a few bytes follow the header: the answer must come from the header alone.
    const res = await new Promise<{ status: number; body: string }>((resolve, reject) => {
      const req = request(`${s.url}/api/records/member`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'content-length': String(LIMIT + 1), cookie: admin.cookie, 'x-csrf-token': admin.csrf },
      }, (r) => { let body = ''; r.setEncoding('utf8'); r.on('data', (d) => (body += d)); r.on('end', () => resolve({ status: r.statusCode!, body })); });
      req.on('error', reject);
      req.write('{"name":');
    });
    expect(res.status).toBe(413);
    expect(JSON.parse(res.body).error.message).toBe('请求体过大');
    expect(await count()).toBe(before);
  });

  it('a chunked body is counted as it streams and refused past the limit; nothing is stored', async () => {
    const before = await count();
    const doc = JSON.stringify(memberData(branch, { address: 'x'.repeat(LIMIT) }));
    const bytes = new TextEncoder().encode(doc);
    let at = 0;
    const body = new ReadableStream<Uint8Array>({
      pull(c) { if (at >= bytes.length) c.close(); else { c.enqueue(bytes.subarray(at, at + 65536)); at += 65536; } },
    });
    const res = await fetch(`${s.url}/api/records/member`, {
      method: 'POST', body, duplex: 'half',
      headers: { 'content-type': 'application/json', cookie: admin.cookie, 'x-csrf-token': admin.csrf },
    } as RequestInit);
    expect(res.status).toBe(413);
    expect((await res.json()).error.message).toBe('请求体过大');
    expect(await count()).toBe(before);
  });

  it('bodies within the limit, declared or chunked, are read as usual', async () => {
    const before = await count();
    const declared = await admin.post('/api/records/member', memberData(branch));
    expect(declared.status).toBe(201);
    const doc = new TextEncoder().encode(JSON.stringify(memberData(branch)));
    const chunked = await fetch(`${s.url}/api/records/member`, {
      method: 'POST', duplex: 'half',
      body: new ReadableStream<Uint8Array>({ start(c) { c.enqueue(doc.subarray(0, 10)); c.enqueue(doc.subarray(10)); c.close(); } }),
      headers: { 'content-type': 'application/json', cookie: admin.cookie, 'x-csrf-token': admin.csrf },
    } as RequestInit);
    expect(chunked.status, await chunked.clone().text()).toBe(201);
    expect(await count()).toBe(before + 2);
  });
});
