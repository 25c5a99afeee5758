import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { startTestServer, type TestServer } from '../helpers/server.js';
import type { Client } from '../helpers/client.js';
import { nodeId } from '../helpers/demo.js';

/**
 * 删除关联单位 sends the unit's record id (`unitId`, marked `x-recordOf: unit` in the workflow) and
 * deletes that unit. 系统审核 and the organization's history name the unit by its title (单位全称)
 * — the title it had when it was deleted, kept by its delete entry — never by the raw id.
 */
describe('an unlinked unit is named by its title in the audit and the history', () => {
  let s: TestServer;
  let tnl: Client;
  let org: string;
  let unitId: string;
  const unitName = '北京某某信息技术有限公司';

  beforeAll(async () => {
    s = await startTestServer();
    tnl = await s.login('tnl_admin');
    const parentId = await nodeId(tnl, '丰台区太平桥街道太南里社区党委');
    const created = await tnl.post('/api/records/organization', {
      parentId, fullName: '中共某某信息技术党支部委员会', shortName: '某某信息技术党支部', category: '631', orgCode: '011100977701',
    });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    org = created.body.id;
    const link = await tnl.post(`/api/records/organization/${org}/events`, { type: 'LINK_UNIT', fullName: unitName, category: '23', partyOrgStatus: '9002' });
    expect(link.status, JSON.stringify(link.body)).toBe(200);
    [{ id: unitId }] = (await tnl.get(`/api/records/unit?node=${org}`)).body.items;
    const unlink = await tnl.post(`/api/records/organization/${org}/events`, { type: 'UNLINK_UNIT', unitId });
    expect(unlink.status, JSON.stringify(unlink.body)).toBe(200);
    // The unit is gone: only its delete entry still knows its name.
    expect((await tnl.get(`/api/records/unit/${unitId}`)).status).toBe(404);
  }, 120_000);
  afterAll(async () => { await s?.stop(); });

  const expectNamed = (entry: any) => {
    expect(entry, 'the 删除关联单位 entry').toBeTruthy();
    expect(entry.payload).toEqual([{ field: 'unitId', title: '单位', value: unitName }]);
    expect(JSON.stringify(entry.payload)).not.toContain(unitId);
  };

  it('系统审核: 单位 is the unit\'s name', async () => {
    const res = await tnl.get(`/api/audit?${new URLSearchParams({ limit: '50', kind: 'event' })}`);
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    const entry = res.body.items.find((i: any) => i.action === 'UNLINK_UNIT' && i.recordId === org);
    expectNamed(entry);
    expect(entry.actionTitle).toBe('删除关联单位');
  });

  it('the organization\'s history: 单位 is the unit\'s name, the stored diff keeps the id', async () => {
    const res = await tnl.get(`/api/records/organization/${org}/history`);
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    const entry = res.body.items.find((i: any) => i.action === 'UNLINK_UNIT');
    expectNamed(entry);
    expect(entry.diff.unitId).toEqual([null, unitId]);
  });
});
