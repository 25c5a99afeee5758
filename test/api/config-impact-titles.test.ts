import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { startTestServer, type TestServer } from '../helpers/server.js';
import { nodeId } from '../helpers/demo.js';
import { draftOf, json } from '../helpers/draft-runtime.js';
import { computeImpact } from '../../engine/config-versions/impact.js';

/**
 * The impact report's samples carry the records' titles (the collection's titleField), so the
 * studio's lists name the records instead of showing their ids — only for the sampled ids, and
 * the same through the HTTP job as from the computation. Demo database, real SQLite.
 */
describe('impact samples: titles of the sampled records', () => {
  let s: TestServer;
  let members: { id: string; complete: boolean; data: Record<string, unknown> }[];
  beforeAll(async () => {
    s = await startTestServer();
    const admin = await s.login('bj_admin');
    const root = await nodeId(admin, '中共北京市委');
    members = (await admin.get(`/api/records/member?node=${root}&deep=1&limit=500`)).body.items;
  });
  afterAll(async () => { await s.stop(); });

  const essentialNativePlace = json((schema) => { schema.properties.nativePlace['x-essential'] = true; });

  it('each sampled id has its record’s title, and only the sampled ids', async () => {
    const draft = draftOf(s.engine.runtime, { 'forms/member.schema.json': essentialNativePlace });
    const lacking = members.filter((m) => m.complete && !m.data.nativePlace);
    expect(lacking.length).toBeGreaterThan(2);
    const all = await computeImpact(s.engine.storage, s.engine.runtime, draft, []);
    const incomplete = all.collections.find((c) => c.collection === 'member')!.categories.find((c) => c.key === 'incomplete')!;
    expect(incomplete.titles).toEqual(Object.fromEntries(lacking.map((m) => [m.id, m.data.name])));

    const few = await computeImpact(s.engine.storage, s.engine.runtime, draft, [], undefined, { sampleLimit: 2 });
    const sampled = few.collections.find((c) => c.collection === 'member')!.categories.find((c) => c.key === 'incomplete')!;
    expect(sampled.ids).toHaveLength(2);
    expect(Object.keys(sampled.titles).sort()).toEqual([...sampled.ids].sort());
  });

  it('the draft impact job answers them too', async () => {
    const cfg = await s.login('config_admin');
    const opened = (await cfg.post('/api/config/draft')).body;
    const path = 'forms/member.schema.json';
    const text = (await cfg.get(`/api/config/draft/files/${path}`)).body.content;
    expect((await cfg.put(`/api/config/draft/files/${path}`, { content: essentialNativePlace(text) }, opened.version)).status).toBe(200);
    let job = (await cfg.get('/api/config/draft/impact')).body;
    while (job.status === 'running') {
      await new Promise((r) => setTimeout(r, 100));
      job = (await cfg.get(`/api/jobs/${job.id}`)).body;
    }
    expect(job.status).toBe('done');
    const incomplete = job.result.collections.find((c: any) => c.collection === 'member').categories.find((c: any) => c.key === 'incomplete');
    const some = members.find((m) => m.id === incomplete.ids[0])!;
    expect(incomplete.titles[some.id]).toBe(some.data.name);
  });
});
