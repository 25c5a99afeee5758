import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startTestServer, type TestServer } from '../helpers/server.js';
import { fixtureApp, repoRoot } from '../helpers/paths.js';
import { checkApp } from '../../engine/config/checks/index.js';
import { nodeId } from '../helpers/demo.js';
import { closeBrowser } from '../../engine/documents/pdf.js';
import { requireTools, fetchBinary, pdfText, pdfFonts, squash } from './tools.js';

/** A document's declared assets (the member sheet's web font): served for the preview, handed to the printer. */
describe('document assets', () => {
  let s: TestServer;
  const BASE = '/document-assets/member/member-sheet/fonts';
  beforeAll(async () => { s = await startTestServer(); });
  afterAll(async () => { await s?.stop(); });

  it('serves the font stylesheet and its slices with their types, cacheable, without a login', async () => {
    const anon = s.anonymous();
    const css = await fetch(`${anon.base}${BASE}/400.css`);
    expect(css.status).toBe(200);
    expect(css.headers.get('content-type')).toBe('text/css; charset=utf-8');
    expect(css.headers.get('cache-control')).toContain('max-age=');
    const text = await css.text();
    expect(text).toContain("font-family: 'Noto Serif SC'");
    const slice = /url\(\.\/(files\/[\w-]+\.woff2)\)/.exec(text)![1];
    const font = await fetch(`${anon.base}${BASE}/${slice}`);
    expect(font.status).toBe(200);
    expect(font.headers.get('content-type')).toBe('font/woff2');
    const bytes = Buffer.from(await font.arrayBuffer());
    expect(bytes.subarray(0, 4).toString('latin1')).toBe('wOF2');
  });

  it('serves nothing else: unknown documents or assets, other file types, paths leaving the folder', async () => {
    const base = s.anonymous().base;
    for (const path of [
      '/document-assets/member/nothing/fonts/400.css',
      '/document-assets/nothing/member-sheet/fonts/400.css',
      `/document-assets/member/member-sheet/other/400.css`,
      `${BASE}/package.json`,
      `${BASE}/LICENSE`,
      `${BASE}/../../../../forms/app.json`,
      `${BASE}/%2e%2e/%2e%2e/%2e%2e/%2e%2e/package.json`,
      `${BASE}/files/none-400-normal.woff2`,
    ]) {
      const res = await fetch(base + path);
      expect(res.status, path).toBe(404);
      expect((await res.json()).error.code, path).toBe('not_found');
    }
  });
});

describe('document assets in the config check', () => {
  it('names a declared asset that cannot be found', async () => {
    const app = mkdtempSync(join(tmpdir(), 'caiji-app-'));
    try {
      for (const dir of ['forms', 'templates', 'workflows']) cpSync(join(repoRoot, dir), join(app, dir), { recursive: true });
      expect((await checkApp(app)).problems).toEqual([]); // npm: packages are found from the engine's node_modules too
      const file = join(app, 'forms/app.json');
      const manifest = JSON.parse(readFileSync(file, 'utf8'));
      manifest.collections.member.documents['member-sheet'].assets = { fonts: 'npm:@fontsource/no-such-font', logo: 'pictures' };
      writeFileSync(file, JSON.stringify(manifest));
      const { problems } = await checkApp(app);
      expect(problems).toEqual([
        'app.json: collections.member.documents.member-sheet.assets.fonts: 找不到 npm:@fontsource/no-such-font（npm 包未安装，或 templates/ 下没有该文件夹）',
        'app.json: collections.member.documents.member-sheet.assets.logo: 找不到 pictures（npm 包未安装，或 templates/ 下没有该文件夹）',
      ]);
    } finally {
      rmSync(app, { recursive: true, force: true });
    }
  });
});

/**
 * Warm pages are shared by every document: a template without assets (the leave fixture prints
 * with the system font) and the member sheet alternate on them and each prints as its own.
 */
describe('warm pages across documents', { timeout: 120_000 }, () => {
  let party: TestServer;
  let leave: TestServer;
  beforeAll(async () => {
    requireTools();
    party = await startTestServer();
    leave = await startTestServer(fixtureApp);
  }, 60_000);
  afterAll(async () => {
    await closeBrowser();
    await party?.stop();
    await leave?.stop();
  });

  it('a document without fonts still prints, and the member sheet keeps its font around it', async () => {
    const admin = await party.login('meiyu_admin');
    const org = await nodeId(admin, '美域家园社区第二支部');
    const member = (await admin.get(`/api/records/member?node=${org}`)).body.items[0];
    const boss = await leave.login('boss');
    const slip = (await boss.get('/api/records/leave')).body.items[0];
    const sheetUrl = `/api/records/member/${member.id}/documents/member-sheet.pdf`;
    const slipUrl = `/api/records/leave/${slip.id}/documents/leave-slip.pdf`;
    for (let round = 0; round < 2; round++) {
      const sheet = await fetchBinary(admin, 'GET', sheetUrl);
      expect(sheet.status).toBe(200);
      expect(squash(pdfText(sheet.body))).toContain(`1.姓名${member.data.name}`);
      expect(pdfFonts(sheet.body).every((f) => f.type === 'CID TrueType')).toBe(true);

      const leaveSlip = await fetchBinary(boss, 'GET', slipUrl);
      expect(leaveSlip.status).toBe(200);
      const text = squash(pdfText(leaveSlip.body));
      expect(text).toContain('请假单');
      expect(text).toContain(slip.data.employee);
      expect(text).not.toContain('党员基本信息采集表');
      expect(pdfFonts(leaveSlip.body).some((f) => f.name.includes('NotoSerifSC'))).toBe(false);
    }
  });
});

/**
 * An asset folder inside templates/ is config: versioned with the templates and served from the
 * version in force — an edit of the file on the server's disk changes nothing, a published draft does.
 */
describe('template assets come from the config version in force', () => {
  let s: TestServer;
  let app: string;
  const URL_PATH = '/document-assets/member/member-sheet/pictures/seal.svg';
  beforeAll(async () => {
    app = mkdtempSync(join(tmpdir(), 'caiji-app-'));
    for (const dir of ['forms', 'templates', 'workflows']) cpSync(join(repoRoot, dir), join(app, dir), { recursive: true });
    const file = join(app, 'forms/app.json');
    const manifest = JSON.parse(readFileSync(file, 'utf8'));
    manifest.collections.member.documents['member-sheet'].assets.pictures = 'pictures';
    writeFileSync(file, JSON.stringify(manifest, null, 2));
    cpSync(join(repoRoot, 'ui/favicon.svg'), join(app, 'templates/pictures/seal.svg'));
    s = await startTestServer(app);
  }, 60_000);
  afterAll(async () => {
    await s?.stop();
    rmSync(app, { recursive: true, force: true });
  });

  it('serves the version\'s bytes, asked again after each change, and follows a publish, not the disk', async () => {
    const base = s.anonymous().base;
    const first = await fetch(base + URL_PATH);
    expect(first.status).toBe(200);
    expect(first.headers.get('content-type')).toBe('image/svg+xml');
    expect(first.headers.get('cache-control')).toBe('no-cache');
    const original = await first.text();
    expect(original).toBe(readFileSync(join(repoRoot, 'ui/favicon.svg'), 'utf8'));
    // A file changed on the server's disk is not config in force.
    writeFileSync(join(app, 'templates/pictures/seal.svg'), '<svg xmlns="http://www.w3.org/2000/svg"><text>disk</text></svg>');
    expect(await (await fetch(base + URL_PATH)).text()).toBe(original);
    // A published draft is.
    const cfg = await s.login('config_admin');
    expect((await cfg.post('/api/config/draft')).status).toBe(201);
    const svg = '<svg xmlns="http://www.w3.org/2000/svg"><text>印章</text></svg>';
    expect((await cfg.put('/api/config/draft/files/templates/pictures/seal.svg', { content: svg }, 1)).status).toBe(200);
    expect((await cfg.post('/api/config/draft/publish', { note: '新印章' }, { 'if-match': '"2"' })).status).toBe(200);
    expect(await (await fetch(base + URL_PATH)).text()).toBe(svg);
  });
});
