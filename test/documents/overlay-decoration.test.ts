import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { PDFDocument, PDFDict, PDFName } from 'pdf-lib';
import { startTestServer, type TestServer } from '../helpers/server.js';
import { copyApp } from '../helpers/app-copy.js';
import { nodeId, memberData } from '../helpers/demo.js';
import { closeBrowser } from '../../engine/documents/pdf.js';
import { requireTools, fetchBinary, pdfText, squash } from './tools.js';

/** Pages of a PDF that draw a shared form (an XObject the merge named "SharedForm…"). */
async function pagesOverForms(pdf: Buffer): Promise<number> {
  const doc = await PDFDocument.load(pdf);
  return doc.getPages().filter((page) => page.node.Resources()?.lookupMaybe(PDFName.of('XObject'), PDFDict)
    ?.keys().some((k) => k.decodeText().startsWith('SharedForm'))).length;
}

/**
 * A decoration drawn by a slot's box (or an ancestor) underlines the value in the whole sheet,
 * but is no property the values layer inherits: such a form must print whole, not misprint.
 */
describe('batch print: a slot styled through the sheet prints its sheets whole', { timeout: 180_000 }, () => {
  beforeAll(() => {
    requireTools();
  });
  afterAll(async () => {
    await closeBrowser();
  });

  /** Three new members of one branch printed in one batch, on a server running `appRoot`. */
  const batchOf = async (appRoot: string) => {
    const s = await startTestServer(appRoot);
    try {
      return await printThree(s);
    } finally {
      await closeBrowser();
      await s.stop();
    }
  };
  const printThree = async (s: TestServer) => {
    const admin = await s.login('pdl_admin');
    const org = await nodeId(admin, '潘东亮支部乙');
    const ids: string[] = [];
    for (const name of ['划线甲', '划线乙', '划线丙']) {
      const res = await admin.post('/api/records/member', memberData(org, { name }));
      expect(res.status, JSON.stringify(res.body)).toBe(201);
      ids.push(res.body.id);
    }
    const res = await fetchBinary(admin, 'POST', '/api/records/member/documents/member-sheet', { ids });
    expect(res.status, res.body.toString().slice(0, 300)).toBe(200);
    return res.body;
  };

  it('the same sheets share a form undecorated, and print whole with td.v underlined', async () => {
    expect(await pagesOverForms(await batchOf(copyApp()))).toBe(3);

    const app = copyApp();
    const template = join(app, 'templates', 'member-sheet.hbs');
    writeFileSync(template, readFileSync(template, 'utf8').replace('</style>', '  td.v { text-decoration: underline; }\n</style>'));
    const decorated = await batchOf(app);
    expect(await pagesOverForms(decorated)).toBe(0);
    const pages = pdfText(decorated).split('\f').filter((p) => p.trim()).map(squash);
    expect(pages.map((p) => /1\.姓名(划线.)/.exec(p)?.[1])).toEqual(['划线甲', '划线乙', '划线丙']);
  });

  it('a rule that styles a value through the sheet’s structure (td.v .code) prints those sheets whole', async () => {
    // Over a shared form the 身份证号码 <span class="code"> sits outside its td.v: the rule would no
    // longer reach it, and the number would print small and black where the preview shows it big and red.
    const app = copyApp();
    const template = join(app, 'templates', 'member-sheet.hbs');
    writeFileSync(template, readFileSync(template, 'utf8').replace('</style>', '  td.v .code { font-size: 16pt; color: #c00; }\n</style>'));
    const restyled = await batchOf(app);
    expect(await pagesOverForms(restyled)).toBe(0);
    expect(pdfText(restyled).split('\f').filter((p) => p.trim())).toHaveLength(3);
  });
});
