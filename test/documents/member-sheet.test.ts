import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { startTestServer, type TestServer } from '../helpers/server.js';
import { nodeId, memberData } from '../helpers/demo.js';
import type { Client } from '../helpers/client.js';
import { closeBrowser } from '../../engine/documents/pdf.js';
import { requireTools, fetchBinary, pdfText, pdfInfo, pdfFonts, squash, snapshot } from './tools.js';
import { rawDb } from '../helpers/raw-db.js';

/** 党员基本信息采集表: HTML preview and PDF through the real server, its database (SQLite or PostgreSQL) and Chromium. */
describe('member sheet (党员基本信息采集表)', { timeout: 90_000 }, () => {
  let s: TestServer;
  let admin: Client;
  let orgId: string;
  let lostId: string;
  let probationId: string;
  const lost = {
    name: '韩冬梅', gender: '2', nation: '03', birthDate: '1968-09-07', education: '22', memberType: '1',
    joinDate: '1990-06-18', regularDate: '1991-06-25', jobPosition: '502', mobile: '13912345678', phone: '010-63801234',
    address: '北京市丰台区卢沟桥街道美域家园小区7号楼3单元402号', membershipStatus: '9002', lost: true, lostDate: '2019-03-15',
  };
  const probation = {
    name: '欧阳晓', gender: '1', nation: '01', birthDate: '1999-12-01', education: '14', memberType: '2',
    joinDate: '2024-07-01', regularDate: undefined, jobPosition: '0111', mobile: '13700001111',
    address: '北京市丰台区美域家园小区1号楼', membershipStatus: '9001', lost: false,
  };
  /** The print rule reads the record's workflow state; tests set it directly to stay independent of the workflow's events. */
  // A state placed without a transition; null (no state at all) is past what the port's placeInState takes.
  const setState = (id: string, state: string | null) => rawDb(s).run('UPDATE records SET state = ? WHERE id = ?', [state, id]);

  beforeAll(async () => {
    requireTools();
    s = await startTestServer();
    admin = await s.login('meiyu_admin');
    orgId = await nodeId(admin, '美域家园社区第二支部');
    const a = await admin.post('/api/records/member', memberData(orgId, lost));
    expect(a.status, JSON.stringify(a.body)).toBe(201);
    lostId = a.body.id;
    const b = await admin.post('/api/records/member', memberData(orgId, probation));
    expect(b.status, JSON.stringify(b.body)).toBe(201);
    probationId = b.body.id;
  });
  afterAll(async () => {
    await closeBrowser();
    await s?.stop();
  });

  it('prints a confirmed record as one A4 page holding every item of the sheet', async () => {
    await setState(lostId, 'confirmed');
    const res = await fetchBinary(admin, 'GET', `/api/records/member/${lostId}/documents/member-sheet.pdf`);
    expect(res.status, res.body.toString().slice(0, 300)).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/pdf');
    expect(res.headers.get('content-disposition')).toContain(encodeURIComponent('党员基本信息采集表-韩冬梅.pdf'));
    snapshot(res.body, 'member-sheet-confirmed');
    const info = pdfInfo(res.body);
    expect(info.pages).toBe(1);
    expect(info.size).toMatch(/\(A4\)/);
    const text = squash(pdfText(res.body));
    for (const v of [
      '党员基本信息采集表', '1.姓名韩冬梅', '2.性别女', '3.民族回族', '1968年9月7日',
      '22', '（大学本科结业）', '☑正式党员', '□预备党员', '中共北京市丰台区卢沟桥街道美域家园社区第二支部委员会',
      '1990年6月18日', '1991年6月25日', '502', '13912345678', '010-63801234',
      '北京市丰台区卢沟桥街道美域家园小区7号楼3单元402号', '□正常', '☑停止党籍', '☑是', '2019年3月', '□否', '党员签字',
    ]) expect(text, v).toContain(v);
    const created = await admin.get(`/api/records/member/${lostId}`);
    expect(text).toContain(created.body.data.idNumber);
    expect(text).not.toContain('未确认');
  });

  it('embeds its web font as TrueType subsets, never as Type 3 fonts, and stays one page', async () => {
    await setState(lostId, 'confirmed');
    const res = await fetchBinary(admin, 'GET', `/api/records/member/${lostId}/documents/member-sheet.pdf`);
    const fonts = pdfFonts(res.body);
    expect(fonts.length).toBeGreaterThan(0);
    expect(fonts.filter((f) => f.type.startsWith('Type 3'))).toEqual([]);
    for (const f of fonts) expect(f, f.name).toMatchObject({ type: 'CID TrueType', embedded: true, subset: true });
    // The sheet's text is in Noto Serif SC from the document's assets, not a system font.
    expect(fonts.some((f) => f.name.includes('NotoSerifSC'))).toBe(true);
    expect(fonts.some((f) => f.name.includes('NotoSerifCJK'))).toBe(false);
  });

  it('a warm page prints characters it has not printed before (their font slices load before layout)', async () => {
    // Rare characters, in slices no earlier print of this test file needed.
    const rare = await admin.post('/api/records/member', memberData(orgId, { name: '禤嬴龑', address: '江苏省苏州市吴中区甪直镇鼋头渚巷3号' }));
    expect(rare.status, JSON.stringify(rare.body)).toBe(201);
    await setState(rare.body.id, 'confirmed');
    for (const id of [lostId, rare.body.id]) {
      const res = await fetchBinary(admin, 'GET', `/api/records/member/${id}/documents/member-sheet.pdf`);
      expect(res.status).toBe(200);
    }
    const res = await fetchBinary(admin, 'GET', `/api/records/member/${rare.body.id}/documents/member-sheet.pdf`);
    const text = squash(pdfText(res.body));
    expect(text).toContain('1.姓名禤嬴龑');
    expect(text).toContain('甪直镇鼋头渚巷3号');
    expect(pdfFonts(res.body).filter((f) => !f.name.includes('NotoSerifSC') && !f.name.includes('DejaVu'))).toEqual([]);
  });

  it('prints a 预备党员 with an empty 转正 date and 否 ticked', async () => {
    await setState(probationId, 'confirmed');
    const res = await fetchBinary(admin, 'GET', `/api/records/member/${probationId}/documents/member-sheet.pdf`);
    expect(res.status).toBe(200);
    const text = squash(pdfText(res.body));
    for (const v of ['欧阳晓', '1999年12月1日', '2024年7月1日', '□正式党员', '☑预备党员', '☑正常', '□停止党籍', '□是', '☑否', '0111', '13700001111']) {
      expect(text, v).toContain(v);
    }
    expect(text).toContain('10.转为正式党员日期年月日');
  });

  it('before confirmation prints only as the offline-confirmation sheet, marked 未确认', async () => {
    await setState(lostId, 'pending');
    const res = await fetchBinary(admin, 'GET', `/api/records/member/${lostId}/documents/member-sheet.pdf`);
    expect(res.status).toBe(200);
    snapshot(res.body, 'member-sheet-draft');
    const text = squash(pdfText(res.body));
    expect(text).toContain('未确认');
    expect(text).toContain('尚未经党员本人确认');
    expect(text).toContain('党员签字');
    expect(text).toContain('韩冬梅');
    const html = await admin.get(`/api/records/member/${lostId}/documents/member-sheet.html`);
    expect(html.body).toContain('未经党员确认，仅供线下核对签字');
    await setState(lostId, null);
    const none = await fetchBinary(admin, 'GET', `/api/records/member/${lostId}/documents/member-sheet.pdf`);
    expect(squash(pdfText(none.body))).toContain('未确认');
  });

  it('refuses a state the document config allows no print in', async () => {
    await setState(probationId, 'archived');
    const res = await admin.get(`/api/records/member/${probationId}/documents/member-sheet.pdf`);
    expect(res.status).toBe(409);
    expect(res.body.error.code).toBe('wrong_state');
    expect(res.body.error.message).toContain('党员基本信息采集表');
    await setState(probationId, 'confirmed');
  });

  it('serves the 打印预览 as HTML from the template', async () => {
    const res = await admin.get(`/api/records/member/${lostId}/documents/member-sheet.html`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('text/html');
    expect(res.headers.get('content-disposition')).toMatch(/^inline/);
    expect(res.body).toContain('<h1>党员基本信息采集表</h1>');
    expect(res.body).toContain('韩冬梅');
    expect(res.body).toContain('size: A4');
    expect(res.body).not.toMatch(/<script|https?:\/\//);
    // The preview loads the same web font from the server (same origin, allowed by the CSP).
    expect(res.body).toContain('<link rel="stylesheet" href="/document-assets/member/member-sheet/fonts/400.css">');
  });

  it('applies the read scope: out of scope is 404, anonymous is 401, unknown documents are 404', async () => {
    const other = await s.login('pdl_admin');
    for (const ext of ['html', 'pdf']) {
      const res = await other.get(`/api/records/member/${lostId}/documents/member-sheet.${ext}`);
      expect(res.status).toBe(404);
      expect(res.body.error.code).toBe('not_found');
    }
    expect((await s.anonymous().get(`/api/records/member/${lostId}/documents/member-sheet.pdf`)).status).toBe(401);
    expect((await admin.get(`/api/records/member/${lostId}/documents/nothing.pdf`)).status).toBe(404);
    expect((await admin.get(`/api/records/member/${lostId}/documents/member-sheet.xlsx`)).status).toBe(404);
    expect((await admin.get(`/api/records/member/${lostId}/documents/member-sheet.exe`)).status).toBe(404);
  });

  it('lets the member print their own sheet and nobody else\'s', async () => {
    const me = await s.login('luhuiqian');
    const own = await me.get('/api/records/member');
    const myId = own.body.items[0].id;
    await setState(myId, 'confirmed');
    const res = await fetchBinary(me, 'GET', `/api/records/member/${myId}/documents/member-sheet.pdf`);
    expect(res.status).toBe(200);
    expect(squash(pdfText(res.body))).toContain('芦会倩');
    expect((await me.get(`/api/records/member/${lostId}/documents/member-sheet.pdf`)).status).toBe(404);
  });
});
