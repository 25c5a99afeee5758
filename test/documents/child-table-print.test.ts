import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { startTestServer, type TestServer } from '../helpers/server.js';
import { nodeId, memberData } from '../helpers/demo.js';
import type { Client } from '../helpers/client.js';
import { closeBrowser } from '../../engine/documents/pdf.js';
import { requireTools, fetchBinary, pdfText, pdfInfo, squash, snapshot } from './tools.js';

/** 家庭主要成员及社会关系 on the printed member sheet, one member and a batch of different row counts. */
describe('child table on the member sheet', { timeout: 120_000 }, () => {
  let s: TestServer;
  let admin: Client;
  const members: { id: string; name: string; rows: { name: string; relation: string }[] }[] = [];
  const URL = '/api/records/member/documents/member-sheet';
  const RELATIONS: [string, string][] = [['10', '配偶'], ['20', '子'], ['30', '女'], ['51', ''], ['52', '']];

  beforeAll(async () => {
    requireTools();
    s = await startTestServer();
    admin = await s.login('meiyu_admin');
    const orgId = await nodeId(admin, '美域家园社区第二支部');
    // Row counts 2, 3, 0, 2, 3, 0 (pairs share a printed form) and 10 (more than the page holds).
    for (const [i, count] of [2, 3, 0, 2, 3, 0, 10].entries()) {
      const name = `家表${i + 1}号`;
      const family = Array.from({ length: count }, (_, j) => ({
        name: `亲${i + 1}之${j + 1}`, relation: j === 0 ? '10' : j % 2 ? '20' : '30', politicalStatus: '01', birthDate: `19${60 + j}-0${1 + (j % 9)}-0${1 + (j % 9)}`,
        workUnit: `单位${i + 1}-${j + 1}`,
      }));
      const res = await admin.post('/api/records/member', memberData(orgId, { name, family }));
      expect(res.status, JSON.stringify(res.body)).toBe(201);
      members.push({ id: res.body.id, name, rows: family });
    }
    for (const m of members) await s.engine.storage.records.placeInState(s.engine.storage.db, m.id, 'confirmed');
  });
  afterAll(async () => {
    await closeBrowser();
    await s?.stop();
  });

  it('one member: the table with its title, column titles and each row, codes as labels', async () => {
    const m = members[1];
    const res = await fetchBinary(admin, 'GET', `/api/records/member/${m.id}/documents/member-sheet.pdf`);
    expect(res.status, res.body.toString().slice(0, 300)).toBe(200);
    expect(pdfInfo(res.body).pages).toBe(1);
    const text = squash(pdfText(res.body));
    expect(text).toContain('家庭主要成员及社会关系');
    for (const t of ['与该人关系', '政治面貌', '工作单位及职务', '工作单位地址', '家庭住址']) expect(text).toContain(t);
    expect(text).toMatch(/亲2之1配偶中共党员1960-01-01单位2-1/);
    expect(text).toMatch(/亲2之2子中共党员1961-02-02单位2-2/);
    expect(text).toMatch(/亲2之3女中共党员1962-03-03单位2-3/);
  });

  it('a batch of different row counts: every sheet lists exactly its own rows', async () => {
    const res = await fetchBinary(admin, 'POST', URL, { ids: members.map((m) => m.id) });
    expect(res.status, res.body.toString().slice(0, 300)).toBe(200);
    snapshot(res.body, 'child-table-batch', members.length);
    const pages = pdfText(res.body).split('\f').filter((p) => p.trim()).map(squash);
    expect(pdfInfo(res.body).pages).toBe(members.length);
    members.forEach((m, i) => {
      const text = pages[i];
      expect(text, m.name).toContain(`1.姓名${m.name}`);
      // A sheet holds five rows; a longer table says how many there are.
      for (const r of m.rows.slice(0, 5)) expect(text, `${m.name} ${r.name}`).toMatch(new RegExp(`${r.name}(配偶|子|女)中共党员`));
      for (const other of members) if (other !== m) for (const r of other.rows) expect(text.includes(r.name), `${m.name} shows ${r.name}`).toBe(false);
    });
    expect(pages[6]).toContain('亲7之5');
    expect(pages[6]).not.toContain('亲7之6');
    expect(pages[6]).toContain('本表列出前5人，共10人');
  });
});
