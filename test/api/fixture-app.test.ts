import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { startTestServer, type TestServer } from '../helpers/server.js';
import { fixtureApp } from '../helpers/paths.js';

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
});
