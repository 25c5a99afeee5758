import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { startTestServer, type TestServer } from '../helpers/server.js';
import type { Client } from '../helpers/client.js';
import { nodeId } from '../helpers/demo.js';
import { copyApp } from '../helpers/app-copy.js';
import ExcelJS from 'exceljs';

const HIDDEN = '（无权查看的记录）';

/**
 * A payload field marked `x-recordOf` is shown in a record's history and in 系统审核 by the title of
 * the record it names — only to a viewer who may read that record (a deleted one by the place its
 * delete entry kept). The engine cannot count on the workflow checking the named record (删除关联单位
 * happens to), so a copy of the demo app adds 登记单位, an event whose `unitId` names any unit:
 * an organization in 太南里 names a unit of 平谷 (live) and one of 朝阳 (deleted), both outside
 * tnl_admin's grants, and 太南里's own unit. tnl_admin reads the organization's history and 系统审核
 * and sees neither outside unit's title nor id; bj_admin, who reads them, sees their titles.
 */
describe('a payload record is named by its title only to a viewer who may read it', () => {
  let s: TestServer;
  let bj: Client;
  let tnl: Client;
  let org: string;
  const live = { id: '', title: '北京市平谷区人民政府' };
  const deleted = { id: '', title: '北京朝阳某某外区科技有限公司' };
  const own = { id: '', title: '北京市丰台区太平桥街道太南里社区居民委员会' };

  const unitByTitle = async (c: Client, title: string) => {
    const res = await c.get(`/api/records/unit?q=${encodeURIComponent(title)}&limit=50`);
    const hit = res.body.items?.find((r: any) => r.data.fullName === title);
    if (!hit) throw new Error(`unit ${title} not found: ${res.status} ${JSON.stringify(res.body).slice(0, 200)}`);
    return hit.id as string;
  };

  beforeAll(async () => {
    const dir = copyApp();
    const file = join(dir, 'workflows/unit-linking.json');
    const wf = JSON.parse(readFileSync(file, 'utf8'));
    wf.meta.events.NOTE_UNIT = {
      title: '登记单位',
      payload: {
        type: 'object',
        properties: { unitId: { type: 'string', title: '单位', minLength: 1, 'x-recordOf': 'unit' } },
        required: ['unitId'], additionalProperties: false,
      },
    };
    wf.states.unlinked.on.NOTE_UNIT = { target: 'unlinked', guard: { type: 'permission', params: { permission: 'write' } } };
    writeFileSync(file, JSON.stringify(wf, null, 2));
    s = await startTestServer(dir);
    bj = await s.login('bj_admin');
    tnl = await s.login('tnl_admin');

    // The organization tnl_admin administers (in 太南里) whose history names the units.
    const created = await tnl.post('/api/records/organization', {
      parentId: await nodeId(tnl, '丰台区太平桥街道太南里社区党委'),
      fullName: '中共某某登记测试党支部委员会', shortName: '某某登记测试党支部', category: '631', orgCode: '011100977702',
    });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    org = created.body.id;

    live.id = await unitByTitle(bj, live.title);
    own.id = await unitByTitle(tnl, own.title);
    // A unit of 朝阳, linked and unlinked there: only its delete entry (placed in 朝阳) still knows it.
    const outside = await bj.post('/api/records/organization', {
      parentId: await nodeId(bj, '朝阳区党委'),
      fullName: '中共某某外区科技党支部委员会', shortName: '某某外区科技党支部', category: '631', orgCode: '011100977703',
    });
    expect(outside.status, JSON.stringify(outside.body)).toBe(201);
    const link = await bj.post(`/api/records/organization/${outside.body.id}/events`, { type: 'LINK_UNIT', fullName: deleted.title, category: '23', partyOrgStatus: '9002' });
    expect(link.status, JSON.stringify(link.body)).toBe(200);
    deleted.id = await unitByTitle(bj, deleted.title);
    const unlink = await bj.post(`/api/records/organization/${outside.body.id}/events`, { type: 'UNLINK_UNIT', unitId: deleted.id });
    expect(unlink.status, JSON.stringify(unlink.body)).toBe(200);

    // tnl_admin reads neither outside unit (404 as for any record out of reach), but 太南里's own.
    expect((await tnl.get(`/api/records/unit/${live.id}`)).status).toBe(404);
    expect((await tnl.get(`/api/records/unit/${own.id}`)).status).toBe(200);
    for (const u of [live, deleted, own]) {
      const sent = await bj.post(`/api/records/organization/${org}/events`, { type: 'NOTE_UNIT', unitId: u.id });
      expect(sent.status, JSON.stringify(sent.body)).toBe(200);
    }
  }, 120_000);
  afterAll(async () => { await s?.stop(); });

  /** The 登记单位 entries' 单位 values, oldest first (live, deleted, own). */
  const named = (items: any[]) => items.filter((i) => i.action === 'NOTE_UNIT').sort((a, b) => a.id - b.id)
    .map((i) => { expect(i.payload.map((l: any) => [l.field, l.title])).toEqual([['unitId', '单位']]); return i.payload[0].value; });

  /** Neither outside unit's title nor id anywhere in an answer (JSON, or a workbook's cells). */
  const expectNothingOfOutside = (text: string) => {
    for (const u of [live, deleted]) {
      expect(text).not.toContain(u.title);
      expect(text).not.toContain(u.id);
    }
  };

  it('the history, to a viewer who may not read them: the outside units as 「（无权查看的记录）」, their ids nowhere', async () => {
    const res = await tnl.get(`/api/records/organization/${org}/history`);
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(named(res.body.items)).toEqual([HIDDEN, HIDDEN, own.title]);
    expectNothingOfOutside(JSON.stringify(res.body));
  });

  it('系统审核, to a viewer who may not read them: the same', async () => {
    const res = await tnl.get(`/api/audit?${new URLSearchParams({ node: org, kind: 'event', limit: '50' })}`);
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(named(res.body.items)).toEqual([HIDDEN, HIDDEN, own.title]);
    expectNothingOfOutside(JSON.stringify(res.body));
  });

  it('the workbook of 系统审核 holds nothing of them either', async () => {
    const res = await fetch(`${s.url}/api/audit/export.xlsx?${new URLSearchParams({ node: org, kind: 'event' })}`, { headers: { cookie: tnl.cookie } });
    expect(res.status).toBe(200);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(await res.arrayBuffer());
    const cells: string[] = [];
    wb.eachSheet((ws) => ws.eachRow((row) => row.eachCell((cell) => { cells.push(String(cell.value)); })));
    const text = cells.join('\n');
    expect(text).toContain(HIDDEN);
    expect(text).toContain(own.title);
    expectNothingOfOutside(text);
  });

  it('a viewer who may read them sees their titles, in the history and 系统审核 alike', async () => {
    const history = await bj.get(`/api/records/organization/${org}/history`);
    expect(history.status, JSON.stringify(history.body)).toBe(200);
    expect(named(history.body.items)).toEqual([live.title, deleted.title, own.title]);
    expect(history.body.items.filter((i: any) => i.action === 'NOTE_UNIT').map((i: any) => i.diff.unitId)).toEqual([[null, live.id], [null, deleted.id], [null, own.id]]);
    const audit = await bj.get(`/api/audit?${new URLSearchParams({ node: org, kind: 'event', limit: '50' })}`);
    expect(audit.status, JSON.stringify(audit.body)).toBe(200);
    expect(named(audit.body.items)).toEqual([live.title, deleted.title, own.title]);
  });
});
