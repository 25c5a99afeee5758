import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startTestServer, type TestServer } from '../helpers/server.js';
import { nodeId, memberData } from '../helpers/demo.js';
import { repoRoot } from '../helpers/paths.js';
import type { Client } from '../helpers/client.js';
import { fetchBinary, readWorkbook, cellText } from './tools.js';

/**
 * An xlsx layout repeating a row per row of the record's child table (`"each": "rows.family"`):
 * codes as labels, dates split, blank ruled rows up to minRows. The app is a copy of the real one
 * with this document added to the member collection.
 */
describe('xlsx layout repeating a child table', () => {
  let s: TestServer;
  let admin: Client;
  let app: string;
  let id: string;

  beforeAll(async () => {
    app = mkdtempSync(join(tmpdir(), 'caiji-child-xlsx-'));
    for (const dir of ['forms', 'templates', 'workflows']) cpSync(join(repoRoot, dir), join(app, dir), { recursive: true });
    const config = JSON.parse(readFileSync(join(app, 'forms/app.json'), 'utf8'));
    config.collections.member.documents['family-sheet'] = { title: '家庭成员表', template: 'family-sheet.xlsx.json', formats: ['xlsx'] };
    writeFileSync(join(app, 'forms/app.json'), JSON.stringify(config, null, 2));
    writeFileSync(join(app, 'templates/family-sheet.xlsx.json'), JSON.stringify({
      sheets: [{
        name: '{{data.name}}', columns: [6, 12, 14, 16, 20],
        rows: [
          { cells: [{ value: '{{title.family}}', span: 5 }] },
          { cells: [{ value: '序号' }, { value: '{{columns.family.name}}' }, { value: '{{columns.family.relation}}' }, { value: '{{columns.family.birthDate}}' }, { value: '{{columns.family.workUnit}}' }] },
          { repeat: { each: 'rows.family', as: 'm', minRows: 4 },
            cells: [{ value: '{{number}}' }, { value: '{{m.data.name}}' }, { value: '{{m.code.relation.label}}（{{m.code.relation.code}}）' }, { value: '{{m.date.birthDate.y}}年{{m.date.birthDate.m}}月' }, { value: '{{m.data.workUnit}}' }] },
          { cells: [{ value: '共 {{count rows.family}} 人', span: 5 }] },
        ],
      }],
    }));
    s = await startTestServer(app);
    admin = await s.login('meiyu_admin');
    const orgId = await nodeId(admin, '美域家园社区第二支部');
    const res = await admin.post('/api/records/member', memberData(orgId, {
      name: '表格甲', family: [
        { name: '王一', relation: '10', birthDate: '1970-03-05', workUnit: '第一中学 教师' },
        { name: '王二', relation: '20', birthDate: '1995-11-20' },
      ],
    }));
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    id = res.body.id;
  });
  afterAll(async () => {
    await s?.stop();
    rmSync(app, { recursive: true, force: true });
  });

  it('writes a row per table row, then blank rows up to minRows', async () => {
    const res = await fetchBinary(admin, 'GET', `/api/records/member/${id}/documents/family-sheet.xlsx`);
    expect(res.status, res.body.toString().slice(0, 300)).toBe(200);
    const ws = (await readWorkbook(res.body)).worksheets[0];
    expect(ws.name).toBe('表格甲');
    expect(cellText(ws, 'A1')).toBe('家庭主要成员及社会关系');
    expect(['B2', 'C2', 'D2'].map((r) => cellText(ws, r))).toEqual(['姓名', '与该人关系', '出生日期']);
    expect(['A3', 'B3', 'C3', 'D3', 'E3'].map((r) => cellText(ws, r))).toEqual(['1', '王一', '配偶（10）', '1970年3月', '第一中学 教师']);
    expect(['A4', 'B4', 'C4', 'D4', 'E4'].map((r) => cellText(ws, r))).toEqual(['2', '王二', '子（20）', '1995年11月', '']);
    // Two blank ruled rows (minRows 4), then the count.
    expect(['B5', 'B6'].map((r) => cellText(ws, r))).toEqual(['', '']);
    expect(cellText(ws, 'A7')).toBe('共 2 人');
  });
});
