import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { startTestServer, type TestServer } from '../helpers/server.js';
import { fixtureApp } from '../helpers/paths.js';
import { fetchBinary, pdfText, squash, requireTools } from '../documents/tools.js';

/** The low-code proof: a leave-request application runs on the unchanged engine. */
describe('fixture application (leave requests) on the same engine', () => {
  let s: TestServer;
  beforeAll(async () => { s = await startTestServer(fixtureApp); });
  afterAll(async () => { await s.stop(); });

  it('serves its own manifest, schema and code table', async () => {
    const boss = await s.login('boss');
    const app = await boss.get('/api/app');
    expect(app.body.title).toBe('请假审批');
    expect(Object.keys(app.body.collections)).toEqual(['department', 'leave']);
    const form = await boss.get('/api/forms/leave');
    expect(form.body.schema.properties.kind.enum).toEqual(['A', 'S', 'P', 'P1', 'P2']);
    expect(form.body.schema.properties.kind['x-codes'][2]).toMatchObject({ code: 'P', deprecated: '2020-01-01', replacedBy: ['P1', 'P2'] });
    const codes = await boss.get('/api/codes/leave-kind');
    expect(codes.body.codes.find((c: any) => c.code === 'P2').provisional).toBe(true);
  });

  it('creates, validates and scopes its records', async () => {
    const mgr = await s.login('sales_mgr');
    const tree = await mgr.get('/api/tree');
    const sales = tree.body.roots[0];
    expect(sales.label).toBe('销售部');
    const bad = await mgr.post('/api/records/leave', { departmentId: sales.id, employee: '赵六', kind: 'P', from: '2024-05-03', to: '2024-05-01', sick: true });
    expect(bad.status).toBe(422);
    const messages = bad.body.error.details.map((d: any) => `${d.path} ${d.message}`);
    expect(messages).toContain('/certificate 「病假证明编号」为必填项');
    expect(messages).toContain('/to 「结束日期」应晚于「开始日期」');
    expect(messages.find((m: string) => m.startsWith('/kind'))).toContain('已停用，请改选：带薪事假（P1）、无薪事假（P2）');
    const ok = await mgr.post('/api/records/leave', { departmentId: sales.id, employee: '赵六', kind: 'P1', from: '2024-05-01', to: '2024-05-03' });
    expect(ok.status).toBe(201);
    const list = await mgr.get(`/api/records/leave?node=${sales.id}&deep=1`);
    expect(list.body.items.map((r: any) => r.data.employee).sort()).toEqual(['张三', '王五', '赵六']);
    const audit = await s.login('it_audit');
    const seen = await audit.get('/api/records/leave');
    expect(seen.body.items.map((r: any) => r.data.employee)).toEqual(['李四']);
    expect((await audit.get(`/api/records/leave/${ok.body.id}`)).status).toBe(404);
    const emp = await s.login('zhangsan');
    const own = await emp.get('/api/records/leave');
    expect(own.body.items.map((r: any) => r.data.employee)).toEqual(['张三']);
  });

  it('runs its own two-step approval workflow and prints its own slip', async () => {
    requireTools();
    const mgr = await s.login('sales_mgr');
    const boss = await s.login('boss');
    const l1 = (await mgr.get(`/api/records/leave?q=${encodeURIComponent('张三')}`)).body.items[0];
    expect(l1.state).toBe('draft');
    const events = await mgr.get(`/api/records/leave/${l1.id}/events`);
    expect(events.body.events.map((e: any) => e.title)).toEqual(['提交审批']);
    const send = (c: typeof mgr, type: string, extra = {}) => c.post(`/api/records/leave/${l1.id}/events`, { type, ...extra });
    expect((await send(mgr, 'SUBMIT')).body.state).toBe('submitted');
    expect((await send(mgr, 'APPROVE')).body.state).toBe('first_approved');
    const notFinal = await send(mgr, 'FINAL_APPROVE');
    expect(notFinal.status).toBe(403);
    const draftSlip = await fetchBinary(boss, 'GET', `/api/records/leave/${l1.id}/documents/leave-slip.html`);
    expect(draftSlip.body.toString()).toContain('未批准（待终审）');
    expect((await send(boss, 'FINAL_APPROVE')).body.state).toBe('approved');
    const pdf = await fetchBinary(boss, 'GET', `/api/records/leave/${l1.id}/documents/leave-slip.pdf`);
    expect(pdf.status).toBe(200);
    const text = squash(pdfText(pdf.body));
    for (const v of ['请假单', 'L0001', '张三', '年假（A）', '北区销售组', '2024年3月1日至2024年3月5日', '审批状态：已批准']) expect(text).toContain(squash(v));
    expect(text).not.toContain('未批准');
    // An edit after approval sends it back to draft, as the workflow config says.
    const cur = (await boss.get(`/api/records/leave/${l1.id}`)).body;
    const edited = await boss.put(`/api/records/leave/${l1.id}`, { ...cur.data, reason: '家中有事' }, cur.version);
    expect(edited.body.state).toBe('draft');
    const reject = await mgr.post(`/api/records/leave/${l1.id}/events`, { type: 'REJECT' });
    expect(reject.status).toBe(409);
  }, 120_000);
});
