/**
 * Every draft is opened with an empty migrations.json (its steps belong to one version only): an
 * empty steps document is no document — not a change of the draft, not 新增 in the diff of the
 * versions it was published into — while a draft that writes a step shows it. Real server, real
 * SQLite, a copy of the app.
 */
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { rmSync } from 'node:fs';
import { startTestServer, type TestServer } from '../helpers/server.js';
import type { Client } from '../helpers/client.js';
import { copyApp } from '../helpers/app-copy.js';

const CODES = 'forms/codes/unit-category.json';

describe('config versions: an empty migrations.json is no change', () => {
  const appDir = copyApp();
  let s: TestServer;
  let cfg: Client;
  beforeAll(async () => {
    s = await startTestServer(appDir);
    cfg = await s.login('config_admin');
  }, 60_000);
  afterAll(async () => { await s?.stop(); rmSync(appDir, { recursive: true, force: true }); });

  /** Opens a draft, adds a code to the table (plus `extra` documents), and returns the draft's view. */
  async function draftWithCode(code: string, extra: Record<string, string> = {}) {
    let view = (await cfg.post('/api/config/draft')).body;
    expect(view.changed).toEqual([]);
    const table = JSON.parse((await cfg.get(`/api/config/draft/files/${CODES}`)).body.content);
    table.codes.push({ code, label: `测试类别${code}` });
    for (const [path, content] of Object.entries({ [CODES]: `${JSON.stringify(table, null, 2)}\n`, ...extra })) {
      const res = await cfg.put(`/api/config/draft/files/${path}`, { content }, view.version);
      expect(res.status, JSON.stringify(res.body)).toBe(200);
      view = res.body;
    }
    return view;
  }

  it('a published draft with no steps: migrations.json is neither changed nor in the diffs', async () => {
    const first = await draftWithCode('9021');
    expect(first.changed).toEqual([CODES]);
    expect((await cfg.post('/api/config/draft/publish', { note: '新增 9021' }, { 'if-match': `"${first.version}"` })).status).toBe(200);
    const d12 = await cfg.get('/api/config/versions/1/diff/2');
    expect(d12.body.documents.map((d: any) => d.path)).toEqual([CODES]);

    // Written out empty in another spelling, it is still no step.
    const second = await draftWithCode('9022', { 'migrations.json': '[ ]' });
    expect(second.changed).toEqual([CODES]);
    expect((await cfg.post('/api/config/draft/publish', { note: '新增 9022' }, { 'if-match': `"${second.version}"` })).status).toBe(200);
    for (const [a, b] of [[2, 3], [1, 3], [3, 1]]) {
      const d = await cfg.get(`/api/config/versions/${a}/diff/${b}`);
      expect(d.body.documents.map((x: any) => x.path), `${a} → ${b}`).toEqual([CODES]);
    }
  });

  it('a draft that writes a step shows migrations.json as changed', async () => {
    const step = JSON.stringify([{ op: 'mapValues', collection: 'unit', field: 'category', map: { 9022: '9021' } }], null, 2);
    const view = await draftWithCode('9023', { 'migrations.json': step });
    expect(view.changed).toEqual(['migrations.json', CODES].sort());
    expect((await cfg.delete('/api/config/draft', { 'if-match': `"${view.version}"` })).status).toBe(200);
  });
});
