import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { join } from 'node:path';
import { PDFDocument, PDFDict, PDFName, PDFRef } from 'pdf-lib';
import { startTestServer, type TestServer } from '../helpers/server.js';
import { nodeId, memberData } from '../helpers/demo.js';
import type { Client } from '../helpers/client.js';
import { closeBrowser } from '../../engine/documents/pdf.js';
import { requireTools, fetchBinary, pdfText, pdfInfo, squash, SHOTS } from './tools.js';
import { rasterise, pixelDiff } from './pixels.js';
import { rawDb } from '../helpers/raw-db.js';

/** The refs of the shared forms (XObjects the merge named "SharedForm…") each page of a PDF draws. */
async function formsUnder(pdf: Buffer): Promise<(string | null)[]> {
  const doc = await PDFDocument.load(pdf);
  return doc.getPages().map((page) => {
    const xobjects = page.node.Resources()?.lookupMaybe(PDFName.of('XObject'), PDFDict);
    const key = xobjects?.keys().find((k) => k.decodeText().startsWith('SharedForm'));
    const ref = key && xobjects!.get(key);
    return ref instanceof PDFRef ? ref.toString() : null;
  });
}

/**
 * A batch draws each distinct form once and per sheet only its values: every page must look like
 * the same record printed alone (the classic, whole-sheet print), pixel for pixel but for
 * anti-aliasing, and a value too big for its box must make that sheet print whole.
 */
describe('batch print over shared forms', { timeout: 180_000 }, () => {
  let s: TestServer;
  let admin: Client;
  const ids: string[] = [];
  const names: string[] = [];
  const kinds: string[] = [];
  let batch: Buffer;
  const URL = '/api/records/member/documents/member-sheet';
  const longAddress = '北京市丰台区卢沟桥街道美域家园小区东区甲七号楼三单元四层四百零二号院内西侧平房（原卢沟桥乡政府宿舍）';
  const overflowing = '北京市丰台区卢沟桥街道美域家园小区东区甲七号楼三单元四层四百零二号院内西侧平房（原卢沟桥乡政府宿舍，'
    + '现由街道统一管理，门牌号以派出所登记为准，来访请先到小区东门物业值班室登记后由工作人员陪同前往）';

  beforeAll(async () => {
    requireTools();
    s = await startTestServer();
    admin = await s.login('tnl_admin');
    const parent = await nodeId(admin, '丰台区太平桥街道太南里社区党委');
    const org = async (fullName: string, shortName: string, orgCode: string) => {
      const res = await admin.post('/api/records/organization', { parentId: parent, fullName, shortName, orgCode, category: '631' });
      expect(res.status, JSON.stringify(res.body)).toBe(201);
      return res.body.id as string;
    };
    const orgId = await org('中共北京市丰台区太平桥街道太南里社区第九支部委员会', '太南里第九支部', '011100021881');
    const longOrg = await org('中共北京市丰台区太平桥街道太南里社区第二居民区退休职工暨流动党员联合支部委员会', '太南里退休流动支部', '011100021882');
    const add = async (kind: string, org: string, state: string | null, overrides: Record<string, unknown> = {}) => {
      const name = `叠印${String(ids.length + 1).padStart(2, '0')}号`;
      const res = await admin.post('/api/records/member', memberData(org, { name, ...overrides }));
      expect(res.status, JSON.stringify(res.body)).toBe(201);
      // Placed without a transition; null (a draft: no state) is past what the port's placeInState takes.
      await rawDb(s).run('UPDATE records SET state = ? WHERE id = ?', [state, res.body.id]);
      ids.push(res.body.id);
      names.push(name);
      kinds.push(kind);
    };
    await add('confirmed', orgId, 'confirmed');
    await add('draft', orgId, null);
    await add('confirmed', orgId, 'confirmed', { phone: '010-63801234' });
    await add('long address', orgId, 'confirmed', { address: longAddress });
    await add('draft', orgId, null, { gender: '2', nation: '03', mobile: '13912345678' });
    await add('long branch', longOrg, 'confirmed');
    await add('overflow', orgId, 'confirmed', { address: overflowing });
    await add('alone', longOrg, 'confirmed', { lost: true, lostDate: '2019-03-15', membershipStatus: '9002' });
    const res = await fetchBinary(admin, 'POST', URL, { ids });
    expect(res.status, res.body.toString().slice(0, 300)).toBe(200);
    batch = res.body;
  }, 180_000);
  afterAll(async () => {
    await closeBrowser();
    await s?.stop();
  });

  it('gives one page per record, in order, with the form\'s labels and the record\'s values', () => {
    expect(pdfInfo(batch).pages).toBe(ids.length);
    const pages = pdfText(batch).split('\f').filter((p) => p.trim()).map(squash);
    expect(pages).toHaveLength(ids.length);
    pages.forEach((text, i) => {
      expect(text, `page ${i + 1}`).toContain(`1.姓名${names[i]}`);
      for (const label of ['党员基本信息采集表', '4.公民身份证号', '13.家庭住址', '党员签字']) expect(text, `page ${i + 1}`).toContain(label);
      expect(text.includes('未确认'), `page ${i + 1}`).toBe(kinds[i] === 'draft');
    });
    // Two lines each (pdftotext puts the label's second line between them).
    expect(pages[3]).toContain('北京市丰台区卢沟桥街道美域家园小区东区甲七号楼三单元');
    expect(pages[3]).toContain('四层四百零二号院内西侧平房（原卢沟桥乡政府宿舍）');
    expect(pages[5]).toContain('第二居民区退休职工暨流');
    expect(pages[5]).toContain('动党员联合支部委员会');
  });

  it('draws each form once, shared by its pages, and prints a value too big for its box as a whole sheet', async () => {
    const under = await formsUnder(batch);
    const at = (kind: string) => kinds.flatMap((k, i) => (k === kind ? [under[i]] : []));
    expect(under[kinds.indexOf('overflow')]).toBeNull();
    // The only sheet with a date of losing contact: a form of its own would gain nothing.
    expect(under[kinds.indexOf('alone')]).toBeNull();
    const confirmed = [...at('confirmed'), ...at('long address'), ...at('long branch')];
    expect(confirmed.every((ref) => ref !== null && ref === confirmed[0])).toBe(true);
    const drafts = at('draft');
    expect(drafts[0]).not.toBeNull();
    expect(drafts[1]).toBe(drafts[0]);
    expect(drafts[0]).not.toBe(confirmed[0]);
  });

  it('every page looks like the same record printed alone', async () => {
    const pages = rasterise(batch, 100, join(SHOTS, 'overlay', 'batch'));
    for (let i = 0; i < ids.length; i++) {
      const alone = await fetchBinary(admin, 'GET', `/api/records/member/${ids[i]}/documents/member-sheet.pdf`);
      expect(alone.status).toBe(200);
      const [classic] = rasterise(alone.body, 100, join(SHOTS, 'overlay', `alone-${i + 1}`));
      expect(squash(pdfText(batch).split('\f')[i]), `page ${i + 1}`).toBe(squash(pdfText(alone.body)));
      const diff = pixelDiff(pages[i], classic);
      // Anti-aliasing of a glyph edge drawn a fraction of a pixel elsewhere; a glyph moved or missing is hundreds.
      expect(diff.differing, `page ${i + 1} (${kinds[i]}), first at ${diff.first}`).toBeLessThanOrEqual(40);
    }
  });
});
