/**
 * 系统审核 lists config changes now that config is versioned: each published version (a draft, a
 * code-table save) or rollback is an entry at the tree's root — seen by who audits the whole tree,
 * not by a district's admins — with who, when, the note and the files it changed.
 */
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { startTestServer, type TestServer } from '../helpers/server.js';
import { nodeId } from '../helpers/demo.js';

describe('config changes in 系统审核', () => {
  let s: TestServer;
  beforeAll(async () => { s = await startTestServer(); }, 60_000);
  afterAll(() => s?.stop());

  it('a code-table save is a 配置变更 entry at the root, with its version, note and file; not below the root', async () => {
    const cfg = await s.login('config_admin');
    const table = (await cfg.get('/api/codes/title')).body;
    const saved = await cfg.put('/api/codes/title', { ...table, codes: table.codes.map((c: any, i: number) => (i === 0 ? { ...c, label: `${c.label}（新）` } : c)) }, table.version);
    expect(saved.status, JSON.stringify(saved.body)).toBe(200);

    const bj = await s.login('bj_admin');
    const root = await nodeId(bj, '中共北京市委');
    const res = await bj.get(`/api/audit?node=${root}&kind=config`);
    expect(res.status).toBe(200);
    expect(res.body.kinds.map((k: any) => k.id)).toContain('config');
    expect(res.body.items).toHaveLength(1);
    expect(res.body.items[0]).toMatchObject({
      kind: 'config', actionTitle: '发布配置', actor: 'config_admin', collectionTitle: '配置', recordTitle: '第 2 版', recordLive: false,
    });
    expect(res.body.items[0].changes[0]).toMatchObject({ title: '改动的文件', to: expect.stringContaining('forms/codes/title.json') });
    // Among every kind of the whole tree's log too, but never as a workflow event.
    expect((await bj.get(`/api/audit?node=${root}`)).body.items.some((i: any) => i.kind === 'config')).toBe(true);
    expect((await bj.get(`/api/audit?node=${root}&kind=event`)).body.items.some((i: any) => i.kind === 'config')).toBe(false);

    // A district's admins audit their subtree: config changes are not theirs to see there.
    const ft = await s.login('ft_admin');
    const fengtai = await nodeId(ft, '丰台区委');
    const district = await ft.get(`/api/audit?node=${fengtai}&kind=config`);
    expect(district.status).toBe(200);
    expect(district.body.items).toEqual([]);
  });
});
