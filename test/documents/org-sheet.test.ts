import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import type ExcelJS from 'exceljs';
import { startTestServer, type TestServer } from '../helpers/server.js';
import { nodeId } from '../helpers/demo.js';
import type { Client } from '../helpers/client.js';
import { gb11714CheckChar } from '../../engine/validation/formats/gb11714.js';
import { gb32100CheckChar } from '../../engine/validation/formats/gb32100.js';
import { fetchBinary, readWorkbook, cellText, rowOf } from './tools.js';

/** A valid 统一社会信用代码 and its embedded 组织机构代码, distinct per seq. */
function codes(seq: number) {
  const body = `7${String(seq).padStart(7, '0')}`;
  const orgCode = body + gb11714CheckChar(body);
  const head = `91110106${orgCode}`;
  return { creditCode: head + gb32100CheckChar(head), orgCode };
}

const SHEET1 = '党组织和所在单位基本信息采集表';
const APPENDIX = '附页';

/** 党组织和所在单位基本信息采集表: xlsx from the declarative layout, read back with exceljs. */
describe('organization sheet (党组织和所在单位基本信息采集表)', () => {
  let s: TestServer;
  let admin: Client;
  let jointId: string;
  const units: { fullName: string; category: string; partyOrgStatus: string; creditCode?: string; orgCode?: string }[] = [
    { fullName: '北京京南物业管理有限公司', category: '23', partyOrgStatus: '9003', ...codes(1001) },
    { fullName: '北京丰益商贸有限公司', category: '21', partyOrgStatus: '9003', ...codes(1002) },
    { fullName: '丰台区太平桥个体商户联合会', category: '23', partyOrgStatus: '9003' },
    { fullName: '北京南苑餐饮有限公司', category: '23', partyOrgStatus: '9003', ...codes(1003) },
  ];

  const xlsx = async (client: Client, id: string) => {
    const res = await fetchBinary(client, 'GET', `/api/records/organization/${id}/documents/org-sheet.xlsx`);
    expect(res.status, res.body.toString().slice(0, 300)).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
    return readWorkbook(res.body);
  };
  const value = (ws: ExcelJS.Worksheet, label: string) => cellText(ws, `C${rowOf(ws, label)}`);

  beforeAll(async () => {
    s = await startTestServer();
    admin = await s.login('tnl_admin');
    const parent = await nodeId(admin, '丰台区太平桥街道太南里社区党委');
    const org = await admin.post('/api/records/organization', {
      parentId: parent, fullName: '中共北京市丰台区太平桥街道太南里社区第二非公联合支部委员会', shortName: '太南里第二非公联合党支部',
      orgCode: '011100021199', category: '632', affiliation: '51', foundedDate: '2016-05-14', unitSituation: '3',
    });
    expect(org.status, JSON.stringify(org.body)).toBe(201);
    jointId = org.body.id;
    // Units are linked through the organization's workflow (关联单位), one at a time.
    for (const u of units) {
      const res = await admin.post(`/api/records/organization/${jointId}/events`, { type: 'LINK_UNIT', ...u });
      expect(res.status, JSON.stringify(res.body)).toBe(200);
    }
  });
  afterAll(async () => { await s?.stop(); });

  it('a joint branch with four units: sheet 1 holds the organization and its first unit, 附页 the other three', async () => {
    const wb = await xlsx(admin, jointId);
    expect(wb.worksheets.map((w) => w.name)).toEqual([SHEET1, APPENDIX]);
    const ws = wb.getWorksheet(SHEET1)!;
    const org = (await admin.get(`/api/records/organization/${jointId}`)).body.data;
    expect(cellText(ws, 'A1')).toBe('党组织和所在单位基本信息采集表');
    expect(value(ws, '1. 党组织名称')).toBe('中共北京市丰台区太平桥街道太南里社区第二非公联合支部委员会');
    expect(value(ws, '2. 党组织书记')).toBe(org.secretary ?? '');
    expect(value(ws, '3. 党组织联系人')).toBe(org.contact ?? '');
    expect(cellText(ws, `E${rowOf(ws, '3. 党组织联系人')}`)).toBe(org.contactPhone ?? '');
    expect(cellText(ws, `D${rowOf(ws, '3. 党组织联系人')}`)).toBe('4. 联系电话');
    expect(value(ws, '5. 组织类别')).toMatch(/^632（联合党支部）$/);
    expect(value(ws, '6. 党组织所在单位情况')).toMatch(/□与上级党组织相同\s*□法人单位\s*☑联合党支部/);
    expect(cellText(ws, `B${rowOf(ws, '6.') + 1}`)).toMatch(/^（备注：“与上级党组织相同”指/);
    expect(value(ws, '7. 单位名称')).toBe(units[0].fullName);
    expect(value(ws, '8. 单位类别')).toMatch(/^23（/);
    expect(value(ws, '9. 单位建立党组织情况')).toMatch(/^9003（联合党支部）$/);
    expect(value(ws, '10. 党组织所在单位代码')).toBe(units[0].creditCode);
    const signs = rowOf(ws, '信息采集员（签字）');
    expect(cellText(ws, `D${signs}`)).toBe('党组织书记（签字）：');

    const page2 = wb.getWorksheet(APPENDIX)!;
    expect(cellText(page2, 'A1')).toBe('党组织和所在单位基本信息采集表附页');
    expect(cellText(page2, 'A2')).toBe('基层党组织：中共北京市丰台区太平桥街道太南里社区第二非公联合支部委员会');
    expect(cellText(page2, 'C2')).toMatch(/^汇总日期：\d{4}年\d{1,2}月\d{1,2}日$/);
    expect([1, 2, 3, 4].map((c) => cellText(page2, `${'ABCD'[c - 1]}3`))).toEqual(['序号', '单位名称', '单位类别', '党组织所在单位代码']);
    const rows = [4, 5, 6].map((r) => ['A', 'B', 'C', 'D'].map((c) => cellText(page2, `${c}${r}`)));
    expect(rows).toEqual([
      ['1', units[1].fullName, '21', units[1].creditCode],
      ['2', units[2].fullName, '23', '0'],
      ['3', units[3].fullName, '23', units[3].creditCode],
    ]);
    expect(cellText(page2, 'B7')).toBe('');
    expect(cellText(page2, 'A8')).toBe('信息采集员（签字）：');
  });

  it('lays the sheets out for A4 paper with borders, merges and widths for Chinese text', async () => {
    const wb = await xlsx(admin, jointId);
    const ws = wb.getWorksheet(SHEET1)!;
    expect(ws.pageSetup.paperSize).toBe(9);
    expect(ws.pageSetup.orientation).toBe('portrait');
    expect(ws.pageSetup.fitToPage).toBe(true);
    const merges = (ws.model as any).merges as string[];
    expect(merges).toEqual(expect.arrayContaining(['A1:E1', 'A3:A8', 'A9:A12', 'C3:E3']));
    const name = ws.getCell(`C${rowOf(ws, '1. 党组织名称')}`);
    expect(name.border?.top?.style).toBe('thin');
    expect(ws.getCell('E3').border?.right?.style).toBe('thin');
    expect(ws.getColumn(2).width).toBeGreaterThanOrEqual(24);
    expect(ws.getCell('A1').font?.bold).toBe(true);
    const page2 = wb.getWorksheet(APPENDIX)!;
    expect(page2.pageSetup.paperSize).toBe(9);
    expect(page2.getCell('D6').border?.bottom?.style).toBe('thin');
  });

  it('a 法人单位 whose unit has no code shows 0, and no 附页', async () => {
    const secretary = await s.login('zhaoguoming');
    const caihong = await nodeId(secretary, '彩虹北社区第二支部');
    const wb = await xlsx(secretary, caihong);
    expect(wb.worksheets.map((w) => w.name)).toEqual([SHEET1]);
    const ws = wb.worksheets[0];
    expect(value(ws, '1. 党组织名称')).toBe('中共丰台区丰台街道彩虹北社区第二支部委员会');
    expect(value(ws, '5. 组织类别')).toMatch(/^631/);
    expect(value(ws, '6. 党组织所在单位情况')).toMatch(/□与上级党组织相同\s*☑法人单位\s*□联合党支部/);
    expect(value(ws, '7. 单位名称')).toBe('北京市丰台区丰台街道彩虹北社区');
    expect(value(ws, '10. 党组织所在单位代码')).toBe('0');
  });

  it('与上级党组织相同 leaves the unit part empty', async () => {
    const meiyuAdmin = await s.login('meiyu_admin');
    const meiyu = await nodeId(meiyuAdmin, '美域家园社区第二支部');
    const ws = (await xlsx(meiyuAdmin, meiyu)).worksheets[0];
    expect(value(ws, '6. 党组织所在单位情况')).toMatch(/☑与上级党组织相同/);
    for (const label of ['7. 单位名称', '8. 单位类别', '9. 单位建立党组织情况', '10. 党组织所在单位代码']) expect(value(ws, label)).toBe('');
  });

  it('applies the read scope: another branch\'s admin gets 404; pdf is not offered', async () => {
    const other = await s.login('meiyu_admin');
    expect((await other.get(`/api/records/organization/${jointId}/documents/org-sheet.xlsx`)).status).toBe(404);
    expect((await admin.get(`/api/records/organization/${jointId}/documents/org-sheet.pdf`)).status).toBe(404);
  });
});
