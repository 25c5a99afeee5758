/**
 * The studio names people by their display names, as the audit view does: the config versions'
 * authors (authorName), the config history's actors (actorName) and the draft's last saver and
 * proposer (updatedByName, createdByName, proposal.byName) carry the account's display name beside
 * the username. A version made by the system (author 系统, the application's files) has no account: no name.
 */
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { startTestServer, type TestServer } from '../helpers/server.js';
import type { Client } from '../helpers/client.js';

const SCHEMA = 'forms/member.schema.json';
const NAME = '市委组织部配置管理员';

describe('config versions, history and draft name their people by display name', () => {
  let s: TestServer;
  let cfg: Client;
  beforeAll(async () => {
    s = await startTestServer();
    cfg = await s.login('config_admin');
  }, 60_000);
  afterAll(() => s?.stop());

  it('a draft saved and published by config_admin reads 市委组织部配置管理员 everywhere it is named', async () => {
    const opened = await cfg.post('/api/config/draft', {});
    expect(opened.status, JSON.stringify(opened.body)).toBe(201);
    expect(opened.body.createdBy).toBe('config_admin');
    expect(opened.body.createdByName).toBe(NAME);

    const doc = JSON.parse((await cfg.get(`/api/config/draft/files/${SCHEMA}`)).body.content);
    doc.properties.nativePlace.title = '籍贯（省市）';
    const saved = await cfg.put(`/api/config/draft/files/${SCHEMA}`, { content: JSON.stringify(doc, null, 2) }, opened.body.version);
    expect(saved.status, JSON.stringify(saved.body)).toBe(200);
    expect(saved.body.updatedByName).toBe(NAME);
    expect((await cfg.get('/api/config/draft')).body.updatedByName).toBe(NAME);

    const published = await cfg.post('/api/config/draft/publish', { note: '籍贯改称' }, { 'If-Match': `"${saved.body.version}"` });
    expect(published.status, JSON.stringify(published.body)).toBe(200);

    const versions = (await cfg.get('/api/config/versions')).body.items;
    const [two, one] = versions;
    expect([two.number, two.author, two.authorName]).toEqual([2, 'config_admin', NAME]);
    expect([one.number, one.author, one.authorName]).toEqual([1, '系统', null]);

    const history = (await cfg.get('/api/config/history?limit=10')).body.items;
    const byAction = Object.fromEntries(history.map((h: any) => [h.action, h]));
    for (const action of ['open', 'save', 'publish']) {
      expect(byAction[action]?.actor, action).toBe('config_admin');
      expect(byAction[action]?.actorName, action).toBe(NAME);
    }
    expect(byAction.import.actorName).toBeNull();
  });
});
