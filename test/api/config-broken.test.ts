import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { copyApp } from '../helpers/app-copy.js';
import { repoRoot } from '../helpers/paths.js';
import { startTestServer, type TestServer } from '../helpers/server.js';
import { nodeId } from '../helpers/demo.js';
import type { Client } from '../helpers/client.js';
import { fetchBinary, readWorkbook, cellText } from '../documents/tools.js';

/**
 * A config admin's mistakes replayed against one running server that watches a copy of the
 * app: each broken file is refused with its file and place in Chinese (shown to config admins),
 * every document, print, form and save keeps working on the whole last good config, and
 * `npm run check` on the same folder names the same problem. Each file is restored after its case.
 */

const run = promisify(execFile);
const npmCheck = (dir: string) =>
  run('npm', ['run', '--silent', 'check', '--', dir], { cwd: repoRoot }).then(
    (r) => ({ code: 0, out: r.stdout + r.stderr }),
    (e) => ({ code: e.code as number, out: String(e.stdout) + String(e.stderr) }),
  );

type Edit = (text: string) => string;
const json = (fn: (j: any) => void): Edit => (text) => { const j = JSON.parse(text); fn(j); return JSON.stringify(j, null, 2); };
const replace = (from: string | RegExp, to: string): Edit => (text) => {
  const out = text.replace(from, to);
  if (out === text) throw new Error(`the case's edit did not apply: ${from}`);
  return out;
};
const both = (...edits: Edit[]): Edit => (text) => edits.reduce((t, e) => e(t), text);
/** Every broken template also retitles the sheet, so a leak of the refused file would show. */
const retitle = replace('<h1>党员基本信息采集表</h1>', '<h1>坏的模板</h1>');
const relabel = json((l) => { l.sheets[0].rows[0].cells[0].value = '坏的布局'; });

interface Case { name: string; file: string; edit: Edit; says: RegExp; pdf?: boolean }

const cases: Case[] = [
  { name: 'manifest: JSON syntax', file: 'forms/app.json', edit: replace(/("demo": \[[^\]]*\])/, '$1,'),
    says: /^forms\/app\.json: 第\d+行第\d+列: JSON 语法错误：/ },
  { name: 'manifest: wrong type', file: 'forms/app.json', edit: json((m) => { m.roles.committee.permissions = 'read'; }),
    says: /^forms\/app\.json: \/roles\/committee\/permissions: 应为数组/ },
  { name: 'manifest: unknown collection', file: 'forms/app.json', edit: json((m) => { m.collections.member.workflow = 'member-confirmaton'; }),
    says: /^workflows\/member-confirmaton\.json: 文件不存在/ },
  { name: 'schema: JSON syntax', file: 'forms/member.schema.json', edit: replace('"additionalProperties": false,', '"additionalProperties": false,,'),
    says: /^forms\/member\.schema\.json: 第\d+行第\d+列: JSON 语法错误：此处应为用双引号括起的属性名/ },
  { name: 'schema: wrong type name', file: 'forms/member.schema.json', edit: json((s) => { s.properties.name.type = 'strin'; s.properties.name.title = '坏的标题'; }),
    says: /^forms\/member\.schema\.json: \/properties\/name\/type: 应为以下之一/ },
  { name: 'schema: unknown keyword', file: 'forms/member.schema.json', edit: json((s) => { s.properties.name.maxLenght = 3; s.properties.name.title = '坏的标题'; }),
    says: /^forms\/member\.schema\.json: \/properties\/name: 不认识的关键字 "maxLenght"/ },
  { name: 'schema: required-if naming a missing field', file: 'forms/member.schema.json', edit: json((s) => { s.allOf[0].then.required = ['lostDat']; }),
    says: /^forms\/member\.schema\.json: \/allOf\/0\/then\/required\/0: 字段 "lostDat" 不存在/ },
  { name: 'code table: wrong type', file: 'forms/codes/education.json', edit: json((t) => { t.codes = 'x'; }),
    says: /^forms\/codes\/education\.json: \/codes: 缺少 codes 数组/ },
  { name: 'code table: JSON syntax', file: 'forms/codes/education.json', edit: (t) => t.trimEnd().slice(0, -1),
    says: /^forms\/codes\/education\.json: 第\d+行第\d+列: JSON 语法错误：文件意外结束/ },
  { name: 'workflow: permission no role holds', file: 'workflows/member-confirmation.json', edit: replace('"permission": "write"', '"permission": "wirte"'),
    says: /^workflows\/member-confirmation\.json: states\.\w+\.on\.\w+.*: 权限 "wirte" 没有任何角色拥有/ },
  { name: 'workflow: JSON syntax', file: 'workflows/member-confirmation.json', edit: (t) => `${t}}`,
    says: /^workflows\/member-confirmation\.json: 第\d+行第1列: JSON 语法错误：此处不应出现 "}"/ },
  { name: 'template: unclosed {{#if}}', file: 'templates/member-sheet.hbs', edit: both(retitle, replace('{{/if}}', '')), pdf: true,
    says: /^templates\/member-sheet\.hbs: 第\d+行第\d+列: \{\{\/\w+\}\} 与 \{\{#if\}\} 不配对/ },
  { name: 'template: unknown helper', file: 'templates/member-sheet.hbs', edit: both(retitle, replace('{{data.name}}', '{{chek data.name "1"}}')), pdf: true,
    says: /^templates\/member-sheet\.hbs: 第\d+行第\d+列: 未知的模板函数 "chek"/ },
  { name: 'template: missing partial and a typo', file: 'templates/member-sheet.hbs', edit: both(retitle, replace('{{data.name}}', '{{> footer}}{{data.retiredCertNo}}')),
    says: /^templates\/member-sheet\.hbs: 第\d+行第\d+列: 模板片段（partial）"footer" 不存在/ },
  { name: 'document: unknown format', file: 'forms/app.json', edit: json((m) => { m.collections.member.documents['member-sheet'].formats = ['pdf', 'docx']; }),
    says: /^forms\/app\.json: collections\.member\.documents\.member-sheet\.formats: 应为/ },
  { name: 'xlsx layout: wrong shape', file: 'templates/org-sheet.xlsx.json', edit: both(relabel, json((l) => { l.sheets[0].columns = 'x'; })),
    says: /^templates\/org-sheet\.xlsx\.json: \/sheets\/0\/columns: 应为数组/ },
  { name: 'xlsx layout: unknown style', file: 'templates/org-sheet.xlsx.json', edit: both(relabel, json((l) => { l.sheets[0].rows[2].cells[1].style = 'nope'; })),
    says: /^templates\/org-sheet\.xlsx\.json: \/sheets\/0\/rows\/2\/cells\/1\/style: 样式 "nope" 未在 styles 中定义/ },
  { name: 'xlsx layout: unknown helper in a cell', file: 'templates/org-sheet.xlsx.json', edit: both(relabel, json((l) => { l.sheets[0].rows[2].cells[1].value = '{{lable "x" data.category}}'; })),
    says: /^templates\/org-sheet\.xlsx\.json: \/sheets\/0\/rows\/2\/cells\/1\/value: 第1行第1列: 未知的模板函数 "lable"/ },
  { name: 'demo data: invalid identifier', file: 'forms/demo/members.json', edit: replace(/"idNumber": "(\d{17})(\d|X)"/, '"idNumber": "$10"'),
    says: /^forms\/demo\/members\.json: \/records\/\d+\/idNumber: 「身份证号码」/ },
];

describe('a broken config is refused and the last good one keeps serving everything', { timeout: 300_000 }, () => {
  let app: string;
  let s: TestServer;
  let admin: Client;
  let configAdmin: Client;
  let member: string;
  let org: string;

  beforeAll(async () => {
    app = copyApp();
    s = await startTestServer(app, { watchConfig: true });
    admin = await s.login('meiyu_admin');
    configAdmin = await s.login('config_admin');
    org = await nodeId(admin, '美域家园社区第二支部');
    member = (await admin.get(`/api/records/member?node=${org}`)).body.items[0].id;
  }, 60_000);
  afterAll(async () => {
    await s?.stop();
    rmSync(app, { recursive: true, force: true });
  });

  const status = async () => (await configAdmin.get('/api/config/status')).body;
  const until = async <T>(what: string, fn: () => Promise<T | undefined>): Promise<T> => {
    for (let i = 0; i < 300; i++) {
      const v = await fn();
      if (v !== undefined) return v;
      await new Promise((r) => setTimeout(r, 100));
    }
    throw new Error(`timed out waiting for ${what}`);
  };

  /** Every document, print, form and save, as on the good config. */
  const everythingWorks = async (pdf: boolean) => {
    const html = await admin.get(`/api/records/member/${member}/documents/member-sheet.html`);
    expect(html.status).toBe(200);
    expect(html.body).toContain('<h1>党员基本信息采集表</h1>');
    const xlsx = await fetchBinary(admin, 'GET', `/api/records/organization/${org}/documents/org-sheet.xlsx`);
    expect(xlsx.status).toBe(200);
    expect(cellText((await readWorkbook(xlsx.body)).worksheets[0], 'A1')).not.toBe('坏的布局');
    const form = await admin.get('/api/forms/member');
    expect(form.status).toBe(200);
    expect(form.body.schema.properties.name.title).toBe('姓名');
    expect(form.body.schema.properties.education['x-codes'].length).toBeGreaterThan(3);
    const record = (await admin.get(`/api/records/member/${member}`)).body;
    const saved = await admin.put(`/api/records/member/${member}`, { ...record.data, address: `地址${record.version}` }, record.version);
    expect(saved.status).toBe(200);
    if (pdf) {
      const res = await fetchBinary(admin, 'GET', `/api/records/member/${member}/documents/member-sheet.pdf`);
      expect(res.status).toBe(200);
      expect(res.body.subarray(0, 5).toString()).toBe('%PDF-');
    }
  };

  it('the good config works to begin with', async () => {
    expect((await status()).problems).toEqual([]);
    await everythingWorks(true);
  });

  it.each(cases)('$name ($file)', async ({ file, edit, says, pdf }) => {
    const path = join(app, file);
    const good = readFileSync(path, 'utf8');
    const before = await status();
    writeFileSync(path, edit(good));
    try {
      const refused = await until('the refusal', async () => {
        const now = await status();
        return now.refusedAt && now.refusedAt !== before.refusedAt ? now : undefined;
      });
      const problem = (refused.problems as string[]).find((p) => says.test(p));
      expect(problem, `problems: ${refused.problems.join('\n')}`).toBeDefined();
      expect(refused.generation).toBe(before.generation);
      await everythingWorks(!!pdf);
      const check = await npmCheck(app);
      expect(check.code).toBe(1);
      expect(check.out).toContain(problem);
    } finally {
      writeFileSync(path, good);
      await until('the good config back', async () => {
        const now = await status();
        return now.generation > before.generation && !now.problems.length ? now : undefined;
      });
    }
  });

  it('a field path the schema lacks is a warning: reported, not refused', async () => {
    const path = join(app, 'templates/member-sheet.hbs');
    const good = readFileSync(path, 'utf8');
    const before = await status();
    writeFileSync(path, replace('{{data.name}}', '{{data.name}}{{data.retiredCertNo}}')(good));
    try {
      const taken = await until('the change', async () => {
        const now = await status();
        return now.generation > before.generation ? now : undefined;
      });
      expect(taken.problems).toEqual([]);
      expect(taken.warnings).toContain('templates/member-sheet.hbs: data.retiredCertNo（字段 "retiredCertNo" 不存在，印出来是空白）');
      const check = await npmCheck(app);
      expect(check.code).toBe(0);
      expect(check.out).toContain('提示：templates/member-sheet.hbs: data.retiredCertNo');
    } finally {
      writeFileSync(path, good);
    }
  });
});
