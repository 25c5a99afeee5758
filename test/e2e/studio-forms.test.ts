/**
 * The studio's form designer (issue 19, 2), as a config admin in the browser, through the studio
 * only (a private copy of the app; nothing edited on disk): the existing 微信号 is removed and a
 * new one added with a pattern and its Chinese message, and a rule "required when 是否为流动党员 =
 * 是" — the preview validates it live with the draft's validator — then published from the draft
 * bar; an admin's member form shows it and checks it in the browser, the server refuses a save
 * without it when floating and stores it when given, the import template offers it, and once the
 * sheet gains it in the template editor the product's PDF prints it. A rename
 * with its migration step keeps every stored value. The leave fixture app's form opens too.
 */
import { describe, it, expect } from 'vitest';
import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { repoRoot } from '../helpers/paths.js';
import { fetchBinary, pdfText, requireTools, squash } from '../documents/tools.js';
import ExcelJS from 'exceljs';
import { copyApp } from '../helpers/app-copy.js';
import { leaveAppWithConfigAdmin } from '../helpers/leave-config-admin.js';
import { startTestServer } from '../helpers/server.js';
import { memberData, nodeId } from '../helpers/demo.js';
import type { Client } from '../helpers/client.js';
import { login, shot, waitForText, clickText, e2eSuite, openPage, fieldError, launchBrowser, type E2EPage } from './browser.js';

const appDir = copyApp();
let admin: Client;
let branch: string;

const env = e2eSuite({
  app: appDir,
  testTimeout: 180_000,
  async setup() {
    admin = await env.server.login('pdl_admin');
    branch = await nodeId(admin, '潘东亮支部乙');
  },
  teardown: () => rmSync(appDir, { recursive: true, force: true }),
});

/** Opens the designer of a collection as the config admin, with a draft open (the bar's 打开草稿). */
async function designer(page: E2EPage, base: string, collection: string, user = 'config_admin', password?: string) {
  await login(page, base, user, password);
  await page.goto(`${base}/#/studio/forms/${collection}`);
  // Without a draft the shell shows only its bar: 打开草稿 there, then the designer.
  await page.waitForFunction(() => !!document.querySelector('caiji-studio-form-designer .designer-field')
    || [...document.querySelectorAll('.studio-bar button')].some((b) => b.textContent?.includes('打开草稿')));
  // The bar offers 打开草稿 too while it is still reading an open draft: decide once the page is quiet.
  await page.waitForNetworkIdle({ idleTime: 300 });
  if (!(await page.$('caiji-studio-form-designer .designer-field'))) await clickText(page, '.studio-bar button', '打开草稿');
  await page.waitForSelector('caiji-studio-form-designer .designer-field');
}

const row = (name: string) => `caiji-studio-form-designer li.designer-field[data-name="${name}"]`;

/** Selects a field in the list and waits for its panel. */
async function selectField(page: E2EPage, name: string) {
  await page.click(row(name));
  await page.waitForFunction((n) => (document.querySelector('#prop-name') as HTMLInputElement | null)?.value === n, {}, name);
}

/** Sets a text input of the property panel and leaves it (one draft save), waiting for the save. */
async function setProp(page: E2EPage, id: string, value: string) {
  const before = await draftVersion(page);
  await page.click(`#${id}`, { count: 3 });
  await page.keyboard.press('Backspace');
  await page.type(`#${id}`, value);
  await page.keyboard.press('Tab');
  await waitForDraftAfter(page, before);
}

const draftVersion = (page: E2EPage) => page.$eval('caiji-studio-form-preview', (e) => Number((e as any).draftVersion));
const waitForDraftAfter = (page: E2EPage, v: number) =>
  page.waitForFunction((x) => Number((document.querySelector('caiji-studio-form-preview') as any)?.draftVersion) > x
    && !document.querySelector('.designer-status')?.textContent?.includes('正在保存'), { timeout: 20_000 }, v);

/** Alt+↑/↓ on the focused row (the designer's keyboard move). */
async function altPress(page: E2EPage, key: 'ArrowUp' | 'ArrowDown') {
  await page.keyboard.down('Alt');
  await page.keyboard.press(key);
  await page.keyboard.up('Alt');
}

/** The order of the field list, by property name. */
const listed = (page: E2EPage) => page.$$eval('caiji-studio-form-field-list li.designer-field', (els) => els.map((e) => e.getAttribute('data-name')));

/** Publishes the draft from the draft bar with a note; resolves with the bar's confirmation. */
async function publish(page: E2EPage, note: string) {
  await clickText(page, '.studio-bar button', '发布');
  await page.waitForSelector('#studio-note');
  await page.type('#studio-note', note);
  await page.$eval('#studio-note-form', (f) => (f as HTMLFormElement).requestSubmit());
  await waitForText(page, '已发布为第', 60_000);
}

describe('form designer: fields, rules, preview, publish', () => {
  it('adds 微信号 with a pattern and a required-when rule; the preview validates live; published, the product and the server enforce it and the import template offers it', async () => {
    const page = await openPage(env.browser, 'studio-forms', 1366, 768);
    await designer(page, env.server.url, 'member');
    await shot(page, 'studio-forms-designer');

    // The old 微信号 (wechat) goes: the designer writes its dropField step.
    await selectField(page, 'wechat');
    await clickText(page, '.prop-panel button', '删除字段');
    let v = await draftVersion(page);
    await clickText(page, '.prop-panel button', '确认删除');
    await waitForDraftAfter(page, v);
    await waitForText(page, '发布时从记录中移除“wechat”的值');
    expect(await listed(page)).not.toContain('wechat');

    // A new field 微信号, added after 固定电话 in 联系方式.
    await selectField(page, 'phone');
    await page.click('#add-field');
    await page.type('#add-title', '微信号');
    await page.type('#add-name', 'weixin');
    v = await draftVersion(page);
    await page.click('.add-field button[type=submit]');
    await waitForDraftAfter(page, v);
    await page.waitForFunction(() => (document.querySelector('#prop-name') as HTMLInputElement | null)?.value === 'weixin');
    const order = await listed(page);
    expect(order.indexOf('weixin')).toBe(order.indexOf('phone') + 1);

    // Keyboard reorder: Alt+↓ moves it below 家庭住址, Alt+↑ brings it back; the focus stays on it.
    const address = order.indexOf('address');
    expect(address).toBe(order.indexOf('weixin') + 1);
    await page.focus(row('weixin'));
    v = await draftVersion(page);
    await altPress(page, 'ArrowDown');
    await waitForDraftAfter(page, v);
    expect((await listed(page)).indexOf('weixin')).toBe((await listed(page)).indexOf('address') + 1);
    expect(await page.evaluate(() => document.activeElement?.getAttribute('data-name'))).toBe('weixin');
    v = await draftVersion(page);
    await altPress(page, 'ArrowUp');
    await waitForDraftAfter(page, v);
    expect((await listed(page)).indexOf('weixin')).toBe((await listed(page)).indexOf('phone') + 1);

    // A pattern with its Chinese message; a broken pattern is told before anything is saved.
    await page.type('#prop-pattern', '^[A-Za-z][A-Za-z0-9_-{5,19}$');
    await page.keyboard.press('Tab');
    await page.waitForFunction(() => document.querySelector('#prop-pattern-err')?.textContent?.includes('正则表达式有误'));
    await setProp(page, 'prop-pattern', '^[A-Za-z][A-Za-z0-9_-]{5,19}$');
    await setProp(page, 'prop-pattern-msg', '应为6至20位字母、数字、下划线或减号，以字母开头');

    // The rule, as a sentence.
    await page.click('#designer-tab-rules');
    await clickText(page, '.rules-panel button', '添加条件必填规则');
    await page.select('#rule-field', 'floating');
    await page.select('#rule-value', 'true');
    await page.select('#rule-then', 'weixin');
    v = await draftVersion(page);
    await clickText(page, '.rule-editor button', '保存规则');
    await waitForDraftAfter(page, v);
    await waitForText(page, '当【是否为流动党员】为「是」时，【微信号】必填');
    // A demo member who floats has no 微信号: the draft cannot be published until it is given one, here.
    await page.waitForSelector('.demo-fixes li');
    expect(await page.$eval('.demo-fixes', (e) => e.textContent)).toContain('「微信号」为必填项');
    await page.type('.demo-fixes li input', 'demo_wx01');
    v = await draftVersion(page);
    await clickText(page, '.demo-fixes button', '填入');
    await waitForDraftAfter(page, v);
    await page.waitForFunction(() => !document.querySelector('.demo-fixes'));
    // The schema's other rules are shown in words too.
    await waitForText(page, '当【是否为失联党员】为「是」时，【失联日期】必填');
    await waitForText(page, '【入党日期】与【转正日期】都填写时，【入党日期】须早于【转正日期】');
    await shot(page, 'studio-forms-rules');

    // The preview validates live with the draft's validator: floating → 微信号 required; its pattern.
    // 微信号 is asked for only once its condition holds (as 外出流向 is).
    await page.waitForSelector('caiji-studio-form-preview [data-field="floating"]');
    expect(await page.$('caiji-studio-form-preview [data-field="weixin"]')).toBeNull();
    await page.click('caiji-studio-form-preview [data-field="floating"] input[type=radio]');
    await page.waitForSelector('caiji-studio-form-preview [data-field="weixin"]');
    await page.click('caiji-studio-form-preview .preview-pick input[type=checkbox]');
    await page.waitForFunction(() => document.querySelector('caiji-studio-form-preview [data-field="weixin"] .field-error')?.textContent?.includes('「微信号」为必填项'));
    await page.type('caiji-studio-form-preview [data-field="weixin"] input', '1abc');
    await page.waitForFunction(() => document.querySelector('caiji-studio-form-preview [data-field="weixin"] .field-error')?.textContent?.includes('应为6至20位字母'));
    await shot(page, 'studio-forms-preview');
    await page.click('caiji-studio-form-preview [data-field="weixin"] input', { count: 3 });
    await page.keyboard.type('wx_party01');
    await page.waitForFunction(() => !document.querySelector('caiji-studio-form-preview [data-field="weixin"] .field-error')?.textContent?.trim());

    // The JSON view: a syntax error is named by line and column before anything is saved.
    await page.click('#designer-tab-json');
    await page.waitForSelector('#schema-json');
    const json = await page.$eval('#schema-json', (t) => (t as HTMLTextAreaElement).value);
    expect(JSON.parse(json).properties.weixin['x-messages'].pattern).toBe('应为6至20位字母、数字、下划线或减号，以字母开头');
    await page.click('#schema-json');
    await page.keyboard.down('Control');
    await page.keyboard.press('Home');
    await page.keyboard.up('Control');
    await page.keyboard.press('ArrowDown');
    await page.keyboard.type('oops');
    await page.waitForFunction(() => /第 2 行第 \d+ 列/.test(document.querySelector('#json-syntax')?.textContent ?? ''));
    expect(await page.$eval('.json-view button.primary', (b) => (b as HTMLButtonElement).disabled)).toBe(true);
    await shot(page, 'studio-forms-json');
    await clickText(page, '.json-view button', '放弃修改');
    await page.click('#designer-tab-fields');

    await publish(page, '微信号：新字段与流动党员必填规则');
    await page.close();

    // The product: an admin's member form has 微信号 in 联系方式, required once 流动党员 is 是.
    const product = await openPage(env.browser, 'studio-forms-product', 1366, 768);
    await login(product, env.server.url, 'pdl_admin');
    const created = await admin.post('/api/records/member', memberData(branch, { name: '微信测试' }));
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    const id = created.body.id;
    await product.goto(`${env.server.url}/#/record/member/${id}`);
    await product.waitForSelector('caiji-record-form [data-field="floating"]');
    expect(await product.$('caiji-record-form [data-field="weixin"]')).toBeNull();
    await product.click('caiji-record-form [data-field="floating"] input[type=radio]');
    await product.waitForSelector('caiji-record-form [data-field="floatDestination"]');
    await product.type('caiji-record-form [data-field="floatDestination"] input', '天津');
    await product.waitForSelector('caiji-record-form [data-field="weixin"] .req');
    expect(await product.$eval('caiji-record-form [data-field="weixin"] .field-label', (e) => e.textContent)).toContain('微信号');
    await product.type('caiji-record-form [data-field="weixin"] input', '9bad');
    await product.keyboard.press('Tab');
    await product.waitForFunction(() => document.querySelector('caiji-record-form [data-field="weixin"] .field-error')?.textContent?.includes('应为6至20位字母'));
    expect(await fieldError(product, 'weixin')).toContain('「微信号」');
    await shot(product, 'studio-forms-product');
    await product.close();

    // The server: refused without it when floating, stored when given.
    const record = (await admin.get(`/api/records/member/${id}`)).body;
    const floating = { ...record.data, floating: true, floatDestination: '天津' };
    const refused = await admin.put(`/api/records/member/${id}`, floating, record.version);
    expect(refused.status).toBe(422);
    expect(JSON.stringify(refused.body.error.details)).toContain('/weixin');
    const stored = await admin.put(`/api/records/member/${id}`, { ...floating, weixin: 'wx_party01' }, record.version);
    expect(stored.status, JSON.stringify(stored.body)).toBe(200);
    expect((await admin.get(`/api/records/member/${id}`)).body.data.weixin).toBe('wx_party01');

    // The import template offers it, by its title.
    const template = await fetch(`${env.server.url}/api/import/member/template.xlsx`, { headers: { cookie: admin.cookie } });
    expect(template.status).toBe(200);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(Buffer.from(await template.arrayBuffer()) as any);
    const headers: string[] = [];
    wb.worksheets[0].getRow(1).eachCell((c) => headers.push(String(c.value)));
    expect(headers.some((h) => h.includes('微信号'))).toBe(true);

    // The sheet gains it in the studio's template editor, and the product's PDF prints it.
    requireTools();
    const sheet = await openPage(env.browser, 'studio-forms-sheet', 1366, 768);
    sheet.on('dialog', (d) => void d.accept());
    await login(sheet, env.server.url, 'config_admin');
    await sheet.goto(`${env.server.url}/#/studio`);
    await clickText(sheet, '.studio-bar button', '打开草稿');
    await waitForText(sheet, '草稿第 1 稿');
    const tableEnd = readFileSync(join(repoRoot, 'templates/member-sheet.hbs'), 'utf8').split('\n').findIndex((l) => l.trim() === '</table>') + 1;
    await sheet.goto(`${env.server.url}/#/studio/templates/member-sheet.hbs?focus=${tableEnd}:1`);
    await sheet.waitForSelector('.tpl-code-host .cm-content');
    await sheet.waitForFunction((n) => Number((document.querySelector('.cm-activeLineGutter') as HTMLElement | null)?.innerText) === n, {}, tableEnd);
    await sheet.keyboard.sendCharacter('<tr><td class="k" colspan="2">微信号</td><td class="v" colspan="4">{{#slot}}{{data.weixin}}{{/slot}}</td></tr>\n');
    await sheet.keyboard.down('Control');
    await sheet.keyboard.press('s');
    await sheet.keyboard.up('Control');
    await sheet.waitForFunction(() => (document.querySelector('.studio-bar') as HTMLElement | null)?.innerText.includes('可发布'));
    await publish(sheet, '采集表印出微信号');
    await sheet.close();
    const pdf = await fetchBinary(admin, 'GET', `/api/records/member/${id}/documents/member-sheet.pdf`);
    expect(pdf.status).toBe(200);
    expect(squash(pdfText(pdf.body))).toContain(squash('微信号wx_party01'));
  });

  it('renames a field with its migration step: every stored value is kept under the new name', async () => {
    const before = await allMembers();
    const holding = before.filter((m) => m.data.phone !== undefined);
    expect(holding.length).toBeGreaterThan(0);

    const page = await openPage(env.browser, 'studio-forms-rename', 1366, 768);
    await designer(page, env.server.url, 'member');
    await selectField(page, 'phone');
    await page.click('#prop-name', { count: 3 });
    await page.keyboard.press('Backspace');
    await page.type('#prop-name', 'landline');
    await clickText(page, '.prop-panel button', '改名');
    await waitForText(page, '已在 migrations.json 中写入迁移步骤');
    await waitForText(page, '字段“phone”已改名为“landline”');
    // The demo data follows (the check loads it as records); the member sheet still names it: told.
    await waitForText(page, '演示数据 forms/demo/members.json');
    await waitForText(page, 'templates/member-sheet.hbs 中仍写着“phone”');
    await shot(page, 'studio-forms-rename');
    expect(await listed(page)).toContain('landline');
    await publish(page, '固定电话改名为 landline');
    await page.close();

    const after = new Map((await allMembers()).map((m) => [m.id, m.data]));
    for (const m of holding) {
      expect(after.get(m.id)!.landline).toBe(m.data.phone);
      expect(after.get(m.id)!.phone).toBeUndefined();
    }
  });

  it('a check error link (?focus=/properties/<field>) selects that field; drag and drop, undo; the preview over a picked record; JSON with a check problem', async () => {
    const page = await openPage(env.browser, 'studio-forms-focus', 1366, 768);
    await designer(page, env.server.url, 'member');
    await page.goto(`${env.server.url}/#/studio/forms/member?focus=/properties/mobile/format`);
    await page.waitForFunction(() => (document.querySelector('#prop-name') as HTMLInputElement | null)?.value === 'mobile');
    expect(await page.$eval(row('mobile'), (e) => e.classList.contains('selected'))).toBe(true);

    // Drag and drop: QQ号 dropped on 手机号码 goes just before it; the bar's 撤销 puts it back.
    const before = await listed(page);
    const v = await draftVersion(page);
    await page.evaluate((from, to) => {
      const data = new DataTransfer();
      const src = document.querySelector(from)!;
      const dst = document.querySelector(to)!;
      src.dispatchEvent(new DragEvent('dragstart', { dataTransfer: data, bubbles: true }));
      dst.dispatchEvent(new DragEvent('dragover', { dataTransfer: data, bubbles: true, cancelable: true }));
      dst.dispatchEvent(new DragEvent('drop', { dataTransfer: data, bubbles: true, cancelable: true }));
      src.dispatchEvent(new DragEvent('dragend', { dataTransfer: data, bubbles: true }));
    }, row('qq'), row('mobile'));
    await waitForDraftAfter(page, v);
    const dragged = await listed(page);
    expect(dragged.indexOf('qq')).toBe(dragged.indexOf('mobile') - 1);
    await clickText(page, '.studio-bar button', '撤销');
    await page.waitForFunction((want) => JSON.stringify([...document.querySelectorAll('caiji-studio-form-designer li.designer-field')]
      .map((e) => e.getAttribute('data-name'))) === want, {}, JSON.stringify(before));

    // The preview over a stored record the admin picks.
    await page.waitForFunction(() => (document.querySelector('#preview-record') as HTMLSelectElement).options.length > 1);
    const picked = await page.$eval('#preview-record', (s) => ({ id: (s as HTMLSelectElement).options[1].value, name: (s as HTMLSelectElement).options[1].textContent!.trim() }));
    await page.select('#preview-record', picked.id);
    await page.waitForFunction((n) => (document.querySelector('caiji-studio-form-preview [data-field="name"] input') as HTMLInputElement | null)?.value === n, {}, picked.name);

    // JSON applied with a code table the draft lacks: saved (a draft may be broken), the server's
    // check named under the text and at the draft bar; the preview says it cannot load; 撤销 mends it.
    await page.click('#designer-tab-json');
    const text = await page.$eval('#schema-json', (t) => (t as HTMLTextAreaElement).value);
    const broken = text.replace('"x-codeTable": "nation"', '"x-codeTable": "no-such-table"');
    expect(broken).not.toBe(text);
    await page.$eval('#schema-json', (t, value) => {
      (t as HTMLTextAreaElement).value = value;
      t.dispatchEvent(new Event('input', { bubbles: true }));
    }, broken);
    await page.waitForFunction(() => document.querySelector('#json-syntax')?.textContent?.includes('语法正确'));
    const refused = page.expectApiFailure(/^GET \/api\/config\/draft\/forms\/member$/, 422); // the draft no longer loads, on purpose
    await clickText(page, '.json-view button', '应用');
    await page.waitForFunction(() => document.querySelector('.json-view .prop-problems')?.textContent?.includes('no-such-table'));
    await page.waitForFunction(() => document.querySelector('caiji-studio-form-preview [role=alert]')?.textContent?.includes('草稿的配置无法加载'));
    await shot(page, 'studio-forms-json-problems');
    await clickText(page, '.studio-bar button', '撤销');
    await page.waitForFunction(() => !document.querySelector('.json-view .prop-problems'));
    await page.waitForSelector('caiji-studio-form-preview [data-field="name"]');
    refused();
    await page.close();
  });

  it('edits a child table like a field: 联系电话 added to 家庭主要成员及社会关系 and moved by Alt+↑, published; the product grid shows it', async () => {
    const page = await openPage(env.browser, 'studio-forms-table', 1366, 768);
    await designer(page, env.server.url, 'member');
    expect(await page.$eval(row('family'), (e) => e.textContent)).toContain('子表');
    await selectField(page, 'family');
    const columnRow = (c: string) => `caiji-studio-form-table-columns li[data-column="${c}"]`;
    const columns = () => page.$$eval('caiji-studio-form-table-columns li[data-column]', (els) => els.map((e) => e.getAttribute('data-column')));
    await page.waitForSelector(columnRow('homeAddress'));
    expect(await page.$eval('#prop-maxItems', (e) => (e as HTMLInputElement).value)).toBe('30');

    // A text column at the end of the table, then its panel (the field panel, over the table's items).
    await page.type('#col-add-title', '联系电话');
    await page.type('#col-add-name', 'telephone');
    let v = await draftVersion(page);
    await page.click('.add-column button[type=submit]');
    await waitForDraftAfter(page, v);
    await page.waitForFunction(() => (document.querySelector('#col-title') as HTMLInputElement | null)?.value === '联系电话');
    expect((await columns()).slice(-2)).toEqual(['homeAddress', 'telephone']);
    expect(await page.$$eval('#col-kind option', (os) => os.map((o) => o.textContent))).not.toContain('子表');

    // Alt+↑ on its row puts it before 家庭住址.
    await page.focus(columnRow('telephone'));
    v = await draftVersion(page);
    await altPress(page, 'ArrowUp');
    await waitForDraftAfter(page, v);
    expect((await columns()).slice(-2)).toEqual(['telephone', 'homeAddress']);
    await shot(page, 'studio-forms-table');
    await publish(page, '家庭主要成员及社会关系：新增联系电话列');
    await page.close();

    // The product: a row holding the new column is stored, and the admin's member form shows it in the grid.
    const created = await admin.post('/api/records/member', memberData(branch, {
      name: '子表测试', family: [{ name: '张三', relation: '10', telephone: '010-12345678' }],
    }));
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    const product = await openPage(env.browser, 'studio-forms-table-product', 1366, 768);
    await login(product, env.server.url, 'pdl_admin');
    await product.goto(`${env.server.url}/#/record/member/${created.body.id}`);
    await product.waitForSelector('caiji-record-form [data-field="family"] caiji-table-grid td.cell[data-column="telephone"]');
    const heads = await product.$$eval('caiji-record-form [data-field="family"] caiji-table-grid thead th', (ths) => ths.map((t) => t.textContent!.trim()));
    expect(heads.indexOf('联系电话')).toBeGreaterThan(0);
    expect(heads.indexOf('联系电话')).toBe(heads.indexOf('家庭住址') - 1);
    expect(await product.$eval('caiji-record-form [data-field="family"] td.cell[data-column="telephone"] input', (e) => (e as HTMLInputElement).value)).toBe('010-12345678');
    await shot(product, 'studio-forms-table-product');
    await product.close();
  });

  it('renames and removes columns of 家庭主要成员及社会关系: each step is listed before the publish, which carries it to every stored row', async () => {
    const before = await allMembers();
    const rows = (m: { data: Record<string, any> }): Record<string, unknown>[] => (Array.isArray(m.data.family) ? m.data.family : []);
    const working = before.filter((m) => rows(m).some((r) => r.workUnit !== undefined));
    const addressed = before.filter((m) => rows(m).some((r) => r.workUnitAddress !== undefined));
    expect(working.length).toBeGreaterThan(0);
    expect(addressed.length).toBeGreaterThan(0);

    const page = await openPage(env.browser, 'studio-forms-columns', 1366, 768);
    await designer(page, env.server.url, 'member');
    await selectField(page, 'family');
    const columnRow = (c: string) => `caiji-studio-form-table-columns li[data-column="${c}"]`;
    await page.waitForSelector(columnRow('workUnit'));

    // Rename: the column's own panel has 列名 and 改名, as a field's has.
    await page.click(columnRow('workUnit'));
    await page.waitForFunction(() => (document.querySelector('#col-name') as HTMLInputElement | null)?.value === 'workUnit');
    await page.click('#col-name', { count: 3 });
    await page.keyboard.press('Backspace');
    await page.type('#col-name', 'occupation');
    let v = await draftVersion(page);
    await clickText(page, 'caiji-studio-form-table-columns .prop-panel button', '改名');
    await waitForDraftAfter(page, v);
    await waitForText(page, '已在 migrations.json 中写入迁移步骤：发布时每一行已存储的“workUnit”值改存为“occupation”');
    await page.waitForSelector(columnRow('occupation'));

    // Remove, confirmed in the list.
    await page.click(`${columnRow('workUnitAddress')} button[aria-label^="删除列"]`);
    v = await draftVersion(page);
    await clickText(page, `${columnRow('workUnitAddress')} button`, '确认删除');
    await waitForDraftAfter(page, v);
    await waitForText(page, '已在 migrations.json 中写入迁移步骤：发布时从每一行中移除“workUnitAddress”的值');
    expect(await page.$(columnRow('workUnitAddress'))).toBeNull();

    // Before the publish, the table's panel lists both steps.
    const listedSteps = await page.$$eval('caiji-studio-form-table-columns .column-steps li', (els) => els.map((e) => e.textContent!.trim()));
    expect(listedSteps).toEqual([
      '发布时：列“workUnit”改名为“occupation”，每一行已存储的值随之改名',
      '发布时：列“workUnitAddress”的值从每一行中移除（历史中保留）',
    ]);
    await shot(page, 'studio-forms-columns');
    await publish(page, '家庭主要成员及社会关系：工作单位及职务改名，删除工作单位地址');
    await page.close();

    const after = new Map((await allMembers()).map((m) => [m.id, m]));
    for (const m of working) {
      const now = rows(after.get(m.id)!);
      expect(now.map((r) => r.occupation)).toEqual(rows(m).map((r) => r.workUnit));
      expect(now.some((r) => Object.hasOwn(r, 'workUnit') || Object.hasOwn(r, 'workUnitAddress'))).toBe(false);
    }
    for (const m of addressed) expect(rows(after.get(m.id)!).some((r) => Object.hasOwn(r, 'workUnitAddress'))).toBe(false);
  });
});

async function allMembers(): Promise<{ id: string; data: Record<string, unknown> }[]> {
  const root = await admin.get('/api/tree');
  expect(root.status).toBe(200);
  const bj = await env.server.login('bj_admin');
  const out: { id: string; data: Record<string, unknown> }[] = [];
  let cursor = '';
  do {
    const page = await bj.get(`/api/records/member?limit=200${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`);
    expect(page.status).toBe(200);
    out.push(...page.body.items);
    cursor = page.body.nextCursor ?? '';
  } while (cursor);
  return out;
}

describe('the leave fixture application in the designer', () => {
  it('its leave form opens with its fields, rules in words and a preview', async () => {
    const dir = leaveAppWithConfigAdmin();
    const server = await startTestServer(dir);
    const browser = await launchBrowser();
    try {
      const page = await openPage(browser, 'studio-forms-leave', 1366, 768);
      await designer(page, server.url, 'leave', 'cfg', 'leave-demo');
      expect(await listed(page)).toEqual(expect.arrayContaining(['employee', 'kind', 'from', 'to', 'sick', 'certificate']));
      await page.waitForSelector('caiji-studio-form-preview [data-field="employee"]');
      await page.click('#designer-tab-rules');
      await waitForText(page, '当【');
      await shot(page, 'studio-forms-leave');
      await page.close();
    } finally {
      await browser.close();
      await server.stop();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
