/**
 * A save validated under one config version never lands under the next: two servers on one
 * database, a publish through the first, and a save through the second before it has picked the
 * new version up — refused with 409 config_changed and nothing written; once the second server
 * runs the new version, the same save goes through and notes it.
 */
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { startTestServer, type TestServer } from '../helpers/server.js';
import { startServer, type RunningServer } from '../../engine/server.js';
import { Client } from '../helpers/client.js';
import { nodeId } from '../helpers/demo.js';
import { repoRoot } from '../helpers/paths.js';

describe('a save racing a publish', () => {
  let a: TestServer;
  let b: RunningServer;
  beforeAll(async () => {
    a = await startTestServer();
    b = await startServer({ appRoot: repoRoot, database: a.dbFile, port: 0, demo: false });
  }, 60_000);
  afterAll(async () => {
    await b?.close();
    await a?.stop();
  });

  it('is refused on the server still on the old version, then goes through on the new one', async () => {
    const admin = new Client(b.url);
    expect((await admin.post('/api/login', { username: 'bj_admin', password: 'caiji-demo' })).status).toBe(200);
    const org = await nodeId(admin, '美域家园社区第二支部');
    const before = (await admin.get(`/api/records/member?node=${org}`)).body.items[0];
    expect(b.engine.config.version).toBe(1);

    // A publish through the first server: a new title for the app.
    const cfg = await a.login('config_admin');
    expect((await cfg.post('/api/config/draft')).status).toBe(201);
    const manifest = JSON.parse((await cfg.get('/api/config/draft/files/forms/app.json')).body.content);
    manifest.title = `${manifest.title}（新版）`;
    expect((await cfg.put('/api/config/draft/files/forms/app.json', { content: `${JSON.stringify(manifest, null, 2)}\n` }, 1)).status).toBe(200);
    expect((await cfg.post('/api/config/draft/publish', { note: '改名' }, { 'if-match': '"2"' })).status).toBe(200);
    expect((await a.engine.storage.configVersions.head(a.engine.storage.db))?.published).toBe(2);

    // The second server still runs version 1 (it looks for new versions every two seconds).
    const versionOfB = (): number => b.engine.config.version;
    if (versionOfB() === 1) {
      const stale = await admin.put(`/api/records/member/${before.id}`, { ...before.data, address: '北京市丰台区新地址1号' }, before.version);
      expect(stale.status).toBe(409);
      expect(stale.body.error.code).toBe('config_changed');
      expect(stale.body.error.message).toContain('配置刚刚发布了新版本');
      expect((await admin.get(`/api/records/member/${before.id}`)).body.version).toBe(before.version);
    } else throw new Error('the second server picked the new version up before the test could save through it; the race was not exercised');

    // Once it runs version 2, the same save is written under it.
    for (let i = 0; i < 50 && versionOfB() !== 2; i++) await new Promise((r) => setTimeout(r, 100));
    expect(versionOfB()).toBe(2);
    const saved = await admin.put(`/api/records/member/${before.id}`, { ...before.data, address: '北京市丰台区新地址1号' }, before.version);
    expect(saved.status).toBe(200);
    expect(await a.engine.storage.configVersions.recordVersion(a.engine.storage.db, before.id)).toBe(2);
  });
});
