import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createHandlebars } from '../../engine/documents/helpers.js';
import { startTestServer, type TestServer } from '../helpers/server.js';
import { nodeId } from '../helpers/demo.js';
import { repoRoot } from '../helpers/paths.js';
import { fetchBinary, readWorkbook, cellText } from './tools.js';

describe('template helpers', () => {
  const hb = createHandlebars(new Map([['t', { table: 't', title: 'T', version: 1, codes: [{ code: '1', label: '甲' }] }]]));
  const run = (src: string, ctx: unknown = {}) => hb.compile(src)(ctx);

  it('ticks boxes, picks defaults, formats dates and slices lists', () => {
    expect(run('{{check a "1"}}{{check a "2"}}{{check b true}}{{check c false}}', { a: '1', b: true })).toBe('☑□☑□');
    expect(run('{{or x y "0"}}|{{or x "" z}}', { z: 'Z' })).toBe('0|Z');
    expect(run('{{ymd d}}|{{ymd e}}|{{ym d}}|{{part d "m"}}', { d: '1952-08-26' })).toBe('1952年8月26日|____年__月__日|1952年8月|8');
    expect(run('{{#each (slice xs 1)}}{{this}}{{/each}}|{{count xs}}|{{add 1 2}}|{{join xs "/"}}', { xs: ['a', 'b', 'c'] })).toBe('bc|3|3|a/b/c');
    expect(run('{{label "t" "1"}}{{blank v 3}}')).toBe('甲＿＿＿');
    expect(run('{{#if (and (eq a "x") (ne b "y"))}}ok{{/if}}', { a: 'x', b: 'z' })).toBe('ok');
  });
});

/**
 * A config admin edits templates/ and the next print shows it: no engine change, no restart.
 * A template the checks refuse is never used: the last good one keeps printing.
 */
describe('templates are config', () => {
  let s: TestServer;
  let app: string;
  beforeAll(async () => {
    app = mkdtempSync(join(tmpdir(), 'caiji-app-'));
    for (const dir of ['forms', 'templates', 'workflows']) cpSync(join(repoRoot, dir), join(app, dir), { recursive: true });
    s = await startTestServer(app, { watchConfig: true });
  });
  afterAll(async () => {
    await s?.stop();
    rmSync(app, { recursive: true, force: true });
  });

  /** Writes a config file and waits until the server has taken or refused it. */
  const change = async (file: string, text: string) => {
    const before = { ...s.engine.config.status };
    writeFileSync(file, text);
    for (let i = 0; i < 200; i++) {
      const now = s.engine.config.status;
      if (now.generation !== before.generation || now.refusedAt !== before.refusedAt) return now;
      await new Promise((r) => setTimeout(r, 50));
    }
    throw new Error('the server did not reload');
  };

  it('an edited HTML template and xlsx layout are used on the next request; a refused one is not', async () => {
    const admin = await s.login('meiyu_admin');
    const org = await nodeId(admin, '美域家园社区第二支部');
    const member = (await admin.get(`/api/records/member?node=${org}`)).body.items[0].id;
    const url = `/api/records/member/${member}/documents/member-sheet.html`;
    expect((await admin.get(url)).body).toContain('<h1>党员基本信息采集表</h1>');
    const hbs = join(app, 'templates/member-sheet.hbs');
    const good = readFileSync(hbs, 'utf8').replace('<h1>党员基本信息采集表</h1>', '<h1>党员基本信息采集表（2018版）</h1>');
    expect((await change(hbs, good)).problems).toEqual([]);
    expect((await admin.get(url)).body).toContain('<h1>党员基本信息采集表（2018版）</h1>');

    const layoutFile = join(app, 'templates/org-sheet.xlsx.json');
    const layout = JSON.parse(readFileSync(layoutFile, 'utf8'));
    layout.sheets[0].rows[0].cells[0].value = '{{data.shortName}} 采集表';
    await change(layoutFile, JSON.stringify(layout));
    const xlsxUrl = `/api/records/organization/${org}/documents/org-sheet.xlsx`;
    const res = await fetchBinary(admin, 'GET', xlsxUrl);
    expect(cellText((await readWorkbook(res.body)).worksheets[0], 'A1')).toBe('美域家园社区第二支部 采集表');

    // Refused: the unclosed block and the unknown helper are named, and the last good template prints.
    const refused = await change(hbs, good.replace('<h1>党员基本信息采集表（2018版）</h1>', '<h1>坏</h1>{{#each sheets}}{{#if}}{{/each}}'));
    expect(refused.problems.join('\n')).toMatch(/templates\/member-sheet\.hbs: 第\d+行第\d+列: \{\{\/each\}\} 与 \{\{#if\}\} 不配对/);
    const kept = await admin.get(url);
    expect(kept.status).toBe(200);
    expect(kept.body).toContain('<h1>党员基本信息采集表（2018版）</h1>');
    layout.sheets[0].columns = 'x';
    layout.sheets[0].rows[0].cells[0].value = '坏';
    expect((await change(layoutFile, JSON.stringify(layout))).problems).toContain('templates/org-sheet.xlsx.json: /sheets/0/columns: 应为数组 [...]');
    const xlsx = await fetchBinary(admin, 'GET', xlsxUrl);
    expect(xlsx.status).toBe(200);
    expect(cellText((await readWorkbook(xlsx.body)).worksheets[0], 'A1')).toBe('美域家园社区第二支部 采集表');
  });
});
