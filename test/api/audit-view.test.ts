import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import ExcelJS from 'exceljs';
import JSZip from 'jszip';
import { startTestServer, type TestServer } from '../helpers/server.js';
import { fixtureApp } from '../helpers/paths.js';
import type { Client } from '../helpers/client.js';
import { memberData } from '../helpers/demo.js';

/**
 * 系统审核 (GET /api/audit, /api/audit/export.xlsx): the audit log of a subtree for its admins.
 * A branch admin under the district (meiyu_admin) and one under another district (pdl_admin) make
 * changes; the district admin sees the first and never the second, deleted records included.
 */
describe('audit view', () => {
  let s: TestServer;
  let ft: Client, meiyu: Client, pdl: Client, bj: Client;
  let meiyuNode: string, pdlNode: string;
  const ids: Record<string, string> = {};
  let education: { from: { code: string; label: string }; to: { code: string; label: string } };

  const audit = async (c: Client, q: Record<string, string> = {}) => {
    const res = await c.get(`/api/audit?${new URLSearchParams({ limit: '200', ...q })}`);
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    return res.body.items as any[];
  };
  const ofRecord = (items: any[], id: string) => items.filter((i) => i.recordId === id);

  beforeAll(async () => {
    s = await startTestServer();
    [ft, meiyu, pdl, bj] = await Promise.all(['ft_admin', 'meiyu_admin', 'pdl_admin', 'bj_admin'].map((u) => s.login(u)));
    meiyuNode = (await meiyu.get('/api/me')).body.grants[0].node;
    pdlNode = (await pdl.get('/api/me')).body.grants[0].node;
    const codes = ((await meiyu.get('/api/forms/member')).body.schema.properties.education['x-codes'] as any[]).filter((c) => !c.deprecated);
    education = { from: codes[0], to: codes[1] };

    const kept = await meiyu.post('/api/records/member', memberData(meiyuNode, { name: '审核甲', education: education.from.code }));
    expect(kept.status, JSON.stringify(kept.body)).toBe(201);
    ids.kept = kept.body.id;
    const edited = await meiyu.put(`/api/records/member/${ids.kept}`, { ...kept.body.data, education: education.to.code, mobile: '13912345678' }, 1);
    expect(edited.status, JSON.stringify(edited.body)).toBe(200);
    expect((await meiyu.post(`/api/records/member/${ids.kept}/events`, { type: 'SUBMIT' })).status).toBe(200);
    expect((await meiyu.post('/api/accounts', { record: ids.kept })).status).toBe(201);

    const gone = await meiyu.post('/api/records/member', memberData(meiyuNode, { name: '审核乙' }));
    ids.gone = gone.body.id;
    expect((await meiyu.delete(`/api/records/member/${ids.gone}`)).status).toBe(204);

    const elsewhere = await pdl.post('/api/records/member', memberData(pdlNode, { name: '审核丙' }));
    expect(elsewhere.status).toBe(201);
    ids.elsewhere = elsewhere.body.id;
  }, 120_000);
  afterAll(async () => { await s?.stop(); });

  it('an admin sees the changes of their subtree, deleted records included, and nothing outside it', async () => {
    const items = await audit(ft);
    expect(ofRecord(items, ids.kept).map((i) => i.kind)).toEqual(['access', 'event', 'update', 'create']);
    const deleted = ofRecord(items, ids.gone);
    expect(deleted.map((i) => i.kind)).toEqual(['delete', 'create']);
    expect(deleted[0]).toMatchObject({ recordTitle: '审核乙', recordLive: false, actor: 'meiyu_admin', actorName: expect.any(String), collectionTitle: '党员' });
    expect(ofRecord(items, ids.elsewhere)).toEqual([]);

    // The other district's branch admin: their own change, none of the first district's.
    const other = await audit(pdl);
    expect(ofRecord(other, ids.elsewhere).map((i) => i.kind)).toEqual(['create']);
    expect(ofRecord(other, ids.gone)).toEqual([]);
    expect(ofRecord(other, ids.kept)).toEqual([]);
    // The root's admin sees both; newest first.
    const all = await audit(bj);
    expect(ofRecord(all, ids.gone).length).toBe(2);
    expect(ofRecord(all, ids.elsewhere).length).toBe(1);
    const order = all.map((i) => i.id);
    expect(order).toEqual([...order].sort((a, b) => b - a));
  });

  it('says each change in words: fields by title with code labels, the event with its states, the account change', async () => {
    const items = ofRecord(await audit(ft), ids.kept);
    const update = items.find((i) => i.kind === 'update');
    expect(update.changes).toEqual(expect.arrayContaining([
      { field: 'education', title: expect.any(String), from: education.from.label, to: education.to.label },
      { field: 'mobile', title: expect.any(String), from: '13800138000', to: '13912345678' },
    ]));
    expect(update.changes.find((c: any) => c.field === 'education').title).not.toBe('education');
    const event = items.find((i) => i.kind === 'event');
    expect(event).toMatchObject({ action: 'SUBMIT', actionTitle: '提交确认', fromStateTitle: '未提交', toStateTitle: '待确认' });
    expect(items.find((i) => i.kind === 'access')).toMatchObject({ action: 'account-open', actionTitle: '开通账号' });
    expect(items[0].recordTitle).toBe('审核甲');
    expect(items[0].recordLive).toBe(true);
  });

  it('members, read-only roles and the config admin are refused; a node outside the grants is not found', async () => {
    for (const username of ['zhaoguoming', 'zhangpeng', 'pandongliang', 'config_admin']) {
      const c = await s.login(username);
      const res = await c.get('/api/audit');
      expect(res.status, username).toBe(403);
      expect(res.body.error.message).toMatch(/系统审核/);
      expect((await fetch(`${s.url}/api/audit/export.xlsx`, { headers: { cookie: c.cookie } })).status, username).toBe(403);
    }
    // A reader of the node who may not change it: 403 naming the node; no read at all: 404.
    const reader = await s.login('zhaoguoming');
    const readerNode = (await reader.get('/api/me')).body.grants[0].node;
    const refused = await reader.get(`/api/audit?node=${readerNode}`);
    expect(refused.status).toBe(403);
    expect(refused.body.error.details[0].path).toBe('/node');
    const outside = await ft.get(`/api/audit?node=${pdlNode}`);
    expect(outside.status).toBe(404);
    expect(outside.body.error.details).toEqual([{ path: '/node', message: '「党组织」不存在或无权访问' }]);
    expect((await s.anonymous().get('/api/audit')).status).toBe(401);
  });

  it('filters by person (username or display name), time range, collection and kind', async () => {
    const byName = await audit(ft, { person: 'meiyu_admin' });
    expect(byName.length).toBeGreaterThan(0);
    expect(byName.every((i) => i.actor === 'meiyu_admin')).toBe(true);
    const display = byName[0].actorName as string;
    const byDisplay = await audit(ft, { person: display.slice(0, 4) });
    expect(byDisplay.map((i) => i.id)).toEqual(expect.arrayContaining(byName.map((i) => i.id)));
    expect(byDisplay.every((i) => i.actorName?.includes(display.slice(0, 4)))).toBe(true);

    // Time: the update's instant and after keeps the update, not the create before it.
    const mine = ofRecord(await audit(ft), ids.kept);
    const update = mine.find((i) => i.kind === 'update');
    const since = ofRecord(await audit(ft, { from: update.at }), ids.kept);
    expect(since.map((i) => i.kind)).toEqual(['access', 'event', 'update']);
    const before = ofRecord(await audit(ft, { to: update.at.slice(0, 10), from: '2000-01-01' }), ids.kept);
    expect(before.length).toBe(4); // a date `to` includes its whole day
    expect(await audit(ft, { to: '2000-01-01' })).toEqual([]);

    expect((await audit(ft, { collection: 'organization' })).every((i) => i.collection === 'organization')).toBe(true);
    expect(ofRecord(await audit(ft, { collection: 'organization' }), ids.kept)).toEqual([]);
    const deletes = await audit(ft, { kind: 'delete' });
    expect(deletes.length).toBeGreaterThan(0);
    expect(deletes.every((i) => i.kind === 'delete')).toBe(true);
    const two = await audit(ft, { kind: 'event,access' });
    expect(new Set(two.map((i) => i.kind))).toEqual(new Set(['event', 'access']));
  });

  it('bad filters: 422 naming each field; nothing else is told', async () => {
    const res = await ft.get('/api/audit?from=2024-02-30&to=soon&collection=nope&kind=create,zz&cursor=x&limit=0');
    expect(res.status).toBe(422);
    expect(res.body.error.details.map((d: any) => d.path)).toEqual(['/from', '/to', '/collection', '/kind', '/cursor', '/limit']);
    expect(res.body.error.details[0].message).toContain('「开始日期」“2024-02-30”不是有效的日期');
    expect(res.body.error.details[2].message).toBe('「数据类别」“nope”不存在');
    const reversed = await ft.get('/api/audit?from=2024-03-02&to=2024-03-01');
    expect(reversed.status).toBe(422);
    expect(reversed.body.error.details).toEqual([{ path: '/from', message: '「开始日期」不能晚于「结束日期」' }]);
  });

  it('pages newest first with a cursor: the pages together are the whole list, each entry once', async () => {
    const whole = (await audit(ft)).map((i) => i.id);
    expect(whole.length).toBeGreaterThan(6);
    const paged: number[] = [];
    let cursor: string | null = null;
    do {
      const res: any = await ft.get(`/api/audit?limit=3${cursor ? `&cursor=${cursor}` : ''}`);
      expect(res.body.items.length).toBeLessThanOrEqual(3);
      paged.push(...res.body.items.map((i: any) => i.id));
      cursor = res.body.nextCursor;
    } while (cursor);
    expect(paged).toEqual(whole);
    expect((await ft.get('/api/audit')).body.kinds.map((k: any) => k.id)).toEqual(['create', 'update', 'delete', 'event', 'access', 'config']);
  });

  /** Whether the first sheet's cells holding `text` are styled with Excel's quote prefix. */
  async function quotePrefixed(file: ArrayBuffer, text: string): Promise<boolean[]> {
    const zip = await JSZip.loadAsync(file);
    const read = (name: string) => zip.file(name)!.async('string');
    const strings = [...(await read('xl/sharedStrings.xml')).matchAll(/<si>([\s\S]*?)<\/si>/g)]
      .map((m) => m[1].replace(/<[^>]+>/g, '').replace(/&quot;/g, '"').replace(/&amp;/g, '&'));
    const xfs = [...(await read('xl/styles.xml')).match(/<cellXfs[\s\S]*?<\/cellXfs>/)![0].matchAll(/<xf\b[^>]*>/g)].map((m) => m[0]);
    const cells = [...(await read('xl/worksheets/sheet1.xml')).matchAll(/<c r="[A-Z]+\d+"(?: s="(\d+)")? t="s"><v>(\d+)<\/v><\/c>/g)];
    return cells.filter((m) => strings[Number(m[2])] === text).map((m) => xfs[Number(m[1] ?? 0)].includes('quotePrefix="1"'));
  }

  it('exports the filtered entries to xlsx, read back as the page lists them; formula-like text stays text', async () => {
    // A record whose title and values look like formulas.
    const trap = await meiyu.post('/api/records/member', memberData(meiyuNode, { name: '=1+1', address: '=HYPERLINK("http://x","点我")' }));
    expect(trap.status, JSON.stringify(trap.body)).toBe(201);
    expect((await meiyu.put(`/api/records/member/${trap.body.id}`, { ...trap.body.data, address: '-1+2' }, 1)).status).toBe(200);

    const q = { person: 'meiyu_admin' };
    const list = await audit(ft, q);
    const res = await fetch(`${s.url}/api/audit/export.xlsx?${new URLSearchParams(q)}`, { headers: { cookie: ft.cookie } });
    expect(res.status).toBe(200);
    expect(decodeURIComponent(res.headers.get('content-disposition')!)).toContain('系统审核-丰台区委.xlsx');
    const file = await res.arrayBuffer();
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(file);
    const sheet = wb.worksheets[0];
    const header = (sheet.getRow(1).values as unknown[]).slice(1).map(String);
    expect(header.slice(0, 9)).toEqual(['时间', '操作人', '用户名', '数据类别', '记录', '变更类型', '操作', '状态', '内容']);
    const rows = sheet.getRows(2, sheet.rowCount - 1)!.map((r) => (r.values as unknown[]).slice(1).map((v) => (v === undefined || v === null ? '' : String(v))));
    expect(rows.length).toBe(list.length);
    expect(rows.every((r) => r[2] === 'meiyu_admin')).toBe(true);
    expect(rows.some((r) => r[4] === '审核乙（已删除）' && r[5] === '删除')).toBe(true);
    expect(rows.find((r) => r[4] === '审核甲' && r[6] === '提交确认')![7]).toBe('未提交 → 待确认');
    expect(rows.find((r) => r[4] === '审核甲' && r[5] === '修改')![8]).toContain(`${education.from.label} → ${education.to.label}`);
    const trapRow = rows.find((r) => r[4] === '=1+1' && r[5] === '修改')!;
    expect(trapRow[8]).toContain('=HYPERLINK("http://x","点我") → -1+2');
    // The title cells that start with "=" carry the quote prefix; an ordinary title does not.
    expect(await quotePrefixed(file, '=1+1')).toEqual([true, true]);
    expect((await quotePrefixed(file, '审核甲')).every((x) => !x)).toBe(true);
  });

  it('the leave application gets the same view: its managers see their department, its read-only auditor never', async () => {
    const leave = await startTestServer(fixtureApp);
    try {
      const mgr = await leave.login('sales_mgr');
      const item = (await mgr.get(`/api/records/leave?q=${encodeURIComponent('张三')}`)).body.items[0];
      expect((await mgr.post(`/api/records/leave/${item.id}/events`, { type: 'SUBMIT' })).status).toBe(200);
      const page = await mgr.get('/api/audit?kind=event');
      expect(page.status).toBe(200);
      expect(page.body.items[0]).toMatchObject({ recordId: item.id, collectionTitle: '请假单', kind: 'event', recordTitle: '张三' });
      // The accounts holding the auditor role, read through the storage port.
      const { accounts, db } = leave.engine.storage;
      const users: { username: string }[] = [];
      for (const u of await accounts.all(db)) if ((await accounts.grants(db, u.id)).some((g) => g.role === 'auditor')) users.push(u);
      expect(users.length).toBeGreaterThan(0);
      for (const { username } of users) expect((await (await leave.login(username)).get('/api/audit')).status, username).toBe(403);
    } finally {
      await leave.stop();
    }
  }, 120_000);
});
