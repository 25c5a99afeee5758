import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { startTestServer, type TestServer } from '../helpers/server.js';
import type { Client } from '../helpers/client.js';

/**
 * An event that fills in another collection's form (关联单位: the unit form, sent to the
 * organization) carries that record's data in its audit entry. 系统审核 and the record's history
 * name those values by the unit form's titles with its code labels — never by the organization's
 * fields that share a name (fullName 党组织全称, category 组织类别 …), and never as a raw code.
 */
describe('an entry of a linked record is labelled by its own form', () => {
  let s: TestServer;
  let ft: Client;
  let unitProps: Record<string, any>;
  const label = (field: string, code: string) => (unitProps[field]['x-codes'] as any[]).find((c) => c.code === code).label as string;

  beforeAll(async () => {
    s = await startTestServer();
    ft = await s.login('ft_admin');
    unitProps = (await ft.get('/api/forms/unit')).body.schema.properties;
  }, 120_000);
  afterAll(async () => { await s?.stop(); });

  /** The demo's 关联单位 of 北京市太平桥鑫鑫裕丰酒楼 to the joint branch (forms/demo/organizations.json). */
  const linkEntry = (items: any[]) => items.find((i) => i.action === 'LINK_UNIT' && JSON.stringify(i).includes('北京市太平桥鑫鑫裕丰酒楼'));

  const expectUnitLines = (lines: { title: string; value: string }[]) => {
    expect(lines).toEqual(expect.arrayContaining([
      { field: 'fullName', title: unitProps.fullName.title, value: '北京市太平桥鑫鑫裕丰酒楼' },
      { field: 'shortName', title: unitProps.shortName.title, value: '鑫鑫裕丰酒楼' },
      { field: 'orgCode', title: unitProps.orgCode.title, value: 'L03740867' },
      { field: 'category', title: unitProps.category.title, value: label('category', '23') },
      { field: 'industry', title: unitProps.industry.title, value: label('industry', 'H') },
      { field: 'partyGroupFlag', title: unitProps.partyGroupFlag.title, value: '否' },
    ]));
    expect(unitProps.fullName.title).toBe('单位全称');
    expect(label('category', '23')).not.toBe('23');
  };

  it('系统审核: the unit\'s data under the unit form\'s titles, codes by label, none as the organization\'s fields', async () => {
    const res = await ft.get(`/api/audit?${new URLSearchParams({ limit: '200', kind: 'event' })}`);
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    const entry = linkEntry(res.body.items);
    expect(entry, 'the 关联单位 entry of 鑫鑫裕丰酒楼').toBeTruthy();
    expect(entry).toMatchObject({ collection: 'organization', actionTitle: '关联单位' });
    expectUnitLines(entry.payload);
    const titles = [...entry.payload, ...entry.changes].map((l: any) => l.title);
    for (const orgTitle of ['党组织全称', '党组织简称', '党组织编码', '组织类别']) expect(titles).not.toContain(orgTitle);
    expect(JSON.stringify(entry)).not.toMatch(/"(value|to)":"23"/);
  });

  it('the organization\'s history: the same lines, the stored diff untouched', async () => {
    const res = await ft.get(`/api/audit?${new URLSearchParams({ limit: '200', kind: 'event' })}`);
    const org = linkEntry(res.body.items).recordId;
    const items = (await ft.get(`/api/records/organization/${org}/history`)).body.items;
    const entry = linkEntry(items);
    expectUnitLines(entry.payload);
    expect(entry.diff.category).toEqual([null, '23']);
  });
});
