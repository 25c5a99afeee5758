import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startTestServer, type TestServer } from '../helpers/server.js';
import { nodeId, memberData } from '../helpers/demo.js';
import type { Client } from '../helpers/client.js';
import { closeBrowser } from '../../engine/documents/pdf.js';
import { requireTools, fetchBinary, pdfInfo, squash, snapshot } from './tools.js';

interface Word { text: string; yMin: number; yMax: number }

/** Each page's words with their boxes, as `pdftotext -bbox` reads them (PDF points, y downwards). */
function pdfWords(pdf: Buffer): Word[][] {
  const xml = pdftotext(pdf, '-bbox');
  return xml.split('<page ').slice(1).map((page) => [...page.matchAll(/<word xMin="[\d.]+" yMin="([\d.]+)" xMax="[\d.]+" yMax="([\d.]+)">([^<]*)<\/word>/g)]
    .map((m) => ({ yMin: Number(m[1]), yMax: Number(m[2]), text: m[3] })));
}

/** pdftotext's output with `mode` (-bbox: word boxes; -raw: text in the order it was drawn, a table cell's lines together). */
function pdftotext(pdf: Buffer, mode: '-bbox' | '-raw'): string {
  const dir = mkdtempSync(join(tmpdir(), 'caiji-bbox-'));
  try {
    const file = join(dir, 'doc.pdf');
    writeFileSync(file, pdf);
    return execFileSync('pdftotext', [mode, '-enc', 'UTF-8', file, '-'], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The footer line 「党组织和党员基本信息采集 … 审核状态：… 打印日期：…」 printed intact: each of its words whole. */
const FOOTER = [/^党组织和党员基本信息采集$/, /^审核状态：\S+$/, /^打印日期：\d{4}年\d{1,2}月\d{1,2}日$/];

/**
 * The page's footer words (the lowest word matching each part of the footer; a part printed over
 * other text is read as part of a longer word and not found) and the lowest point of every other word.
 */
function footerAndRest(words: Word[]) {
  const footer = FOOTER.map((re) => words.filter((w) => re.test(w.text)).sort((a, b) => b.yMin - a.yMin)[0]);
  const rest = words.filter((w) => !footer.includes(w));
  return { footer, lowestOther: Math.max(...rest.map((w) => w.yMax)), lowestOtherText: rest.sort((a, b) => b.yMax - a.yMax)[0]?.text };
}

/**
 * 党员基本信息采集表 with relatives whose work units and addresses wrap to several lines, printed as a
 * draft (the 未确认 line printed): the grey footer line must stay below everything else — never
 * printed over the 注 paragraph — and nothing may be cut off. The common case (five relatives,
 * addresses of three lines) stays one A4 page; more than a page holds continues on the next.
 */
describe('member sheet: the footer never overlaps the sheet', { timeout: 120_000 }, () => {
  let s: TestServer;
  let admin: Client;
  let orgId: string;

  /** Five relatives whose work unit, its address and their home address are each `len` characters long. */
  const relatives = (len: number) => ['配偶', '长子', '长女', '次子', '次女'].map((who, j) => {
    const text = (what: string) => `${who}${what}北京市丰台区卢沟桥街道美域家园小区7号楼3单元402号西侧门卫室旁边的平房院内东厢房`.repeat(4).slice(0, len);
    return {
      name: `亲属${j + 1}`, relation: j === 0 ? '10' : j % 2 ? '20' : '30', politicalStatus: '01', birthDate: `196${j}-0${j + 1}-1${j}`,
      workUnit: text('单位'), workUnitAddress: text('单位地址'), homeAddress: text('住址'),
    };
  });

  /** A draft member with those relatives, printed alone through the PDF route. */
  async function printed(name: string, len: number) {
    const family = relatives(len);
    const made = await admin.post('/api/records/member', memberData(orgId, { name, family }));
    expect(made.status, JSON.stringify(made.body)).toBe(201);
    const res = await fetchBinary(admin, 'GET', `/api/records/member/${made.body.id}/documents/member-sheet.pdf`);
    expect(res.status, res.body.toString().slice(0, 300)).toBe(200);
    return { pdf: res.body, family };
  }

  /** Every value, the signature lines, the draft line and the 注 paragraph are printed. */
  function expectAllPrinted(pdf: Buffer, family: ReturnType<typeof relatives>) {
    const text = squash(pdftotext(pdf, '-raw'));
    for (const r of family) for (const v of [r.name, r.workUnit, r.workUnitAddress, r.homeAddress]) expect(text, v).toContain(squash(v));
    for (const v of ['党员签字', '信息采集员签字', '本表打印时信息尚未经党员本人确认', '注：学历、工作岗位分别参照', '内打“√”。']) expect(text).toContain(v);
  }

  /**
   * A continued page of the relatives table starts with the table's header: every column title
   * (the member form's own) printed above the first relative's row on that page.
   */
  async function expectHeaderAbove(page: Word[], where: string) {
    const columns = (await admin.get('/api/forms/member')).body.schema.properties.family.items.properties;
    const firstRow = Math.min(...page.filter((w) => /^亲属\d$/.test(w.text)).map((w) => w.yMin));
    expect(firstRow, `${where}: a relative's row`).toBeLessThan(Infinity);
    for (const { title } of Object.values<{ title: string }>(columns)) {
      const word = page.find((w) => w.text === title);
      expect(word, `${where}: the column title 「${title}」`).toBeTruthy();
      expect(word!.yMax, `${where}: 「${title}」 above the first relative's row`).toBeLessThanOrEqual(firstRow);
    }
  }

  beforeAll(async () => {
    requireTools();
    s = await startTestServer();
    admin = await s.login('meiyu_admin');
    orgId = await nodeId(admin, '美域家园社区第二支部');
  });
  afterAll(async () => {
    await closeBrowser();
    await s?.stop();
  });

  it('five relatives with three-line addresses: one A4 page, the footer below every other word', async () => {
    const { pdf, family } = await printed('长地址甲', 24);
    snapshot(pdf, 'member-sheet-long-addresses', 1);
    expect(pdfInfo(pdf).pages).toBe(1);
    expectAllPrinted(pdf, family);
    const [page] = pdfWords(pdf);
    // The addresses do wrap to three lines (the case of the walk-through): more than two rows of words per relative.
    const lines = new Set(page.filter((w) => family[0].homeAddress.includes(w.text) && w.text.length > 1).map((w) => Math.round(w.yMin)));
    expect(lines.size).toBeGreaterThanOrEqual(3);
    const { footer, lowestOther, lowestOtherText } = footerAndRest(page);
    expect(footer.every(Boolean), `footer words ${JSON.stringify(footer)}`).toBe(true);
    const top = Math.min(...footer.map((w) => w.yMin));
    expect(lowestOther, `「${lowestOtherText}」 reaches ${lowestOther} pt, the footer starts at ${top} pt`).toBeLessThanOrEqual(top);
  });

  it('more than a page holds continues on the next page: the relatives\' header row again on top of the next page, nothing cut off, the footer below everything on the last page only', async () => {
    const { pdf, family } = await printed('长地址乙', 70);
    snapshot(pdf, 'member-sheet-longer-than-a-page', 3);
    const pages = pdfWords(pdf);
    expect(pages.length).toBeGreaterThan(1);
    expect(pdfInfo(pdf).size).toMatch(/\(A4\)/);
    expectAllPrinted(pdf, family);
    for (const page of pages.slice(0, -1)) expect(page.some((w) => FOOTER[2].test(w.text))).toBe(false);
    // The relatives table goes on over the page break: its header row is printed again on top of it.
    await expectHeaderAbove(pages[1], 'page 2');
    const { footer, lowestOther, lowestOtherText } = footerAndRest(pages.at(-1)!);
    expect(footer.every(Boolean), `footer words ${JSON.stringify(footer)}`).toBe(true);
    const top = Math.min(...footer.map((w) => w.yMin));
    expect(lowestOther, `「${lowestOtherText}」 reaches ${lowestOther} pt, the footer starts at ${top} pt`).toBeLessThanOrEqual(top);
  });

  it('a batch with such sheets among short ones: each sheet on its pages, the header row on a continued page, every footer below everything on its page', async () => {
    // Sheets without relatives share one printed form; the long ones print whole, one of them over two pages.
    const lens = [0, 24, 0, 70, 0, 24];
    const ids: string[] = [];
    for (const [i, len] of lens.entries()) {
      const made = await admin.post('/api/records/member', memberData(orgId, { name: `批量${i + 1}号`, ...(len ? { family: relatives(len) } : {}) }));
      expect(made.status, JSON.stringify(made.body)).toBe(201);
      ids.push(made.body.id);
    }
    const res = await fetchBinary(admin, 'POST', '/api/records/member/documents/member-sheet', { ids });
    expect(res.status, res.body.toString().slice(0, 300)).toBe(200);
    snapshot(res.body, 'member-sheet-long-batch', 7);
    const pages = pdfWords(res.body);
    expect(pages.length).toBe(lens.length + 1);
    // Sheet n starts on its page (the 70-character one takes the 4th and 5th), and every page but its first ends with a footer.
    const starts = [0, 1, 2, 3, 5, 6];
    starts.forEach((p, i) => expect(pages[p].map((w) => w.text).join(''), `sheet ${i + 1}`).toContain(`批量${i + 1}号`));
    await expectHeaderAbove(pages[4], 'page 5 (the second of sheet 4)');
    pages.forEach((page, p) => {
      if (p === 3) return expect(page.some((w) => FOOTER[2].test(w.text))).toBe(false);
      const { footer, lowestOther, lowestOtherText } = footerAndRest(page);
      expect(footer.every(Boolean), `page ${p + 1}: footer words ${JSON.stringify(footer)}`).toBe(true);
      const top = Math.min(...footer.map((w) => w.yMin));
      expect(lowestOther, `page ${p + 1}: 「${lowestOtherText}」 reaches ${lowestOther} pt, the footer starts at ${top} pt`).toBeLessThanOrEqual(top);
    });
  });
});
