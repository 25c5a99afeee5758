import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import ExcelJS from 'exceljs';
import { startTestServer, type TestServer } from '../helpers/server.js';
import type { Client } from '../helpers/client.js';
import { memberData, nodeId } from '../helpers/demo.js';

/** /api/tree: breadcrumb, children and the per-subtree completeness figure (党员信息完整度). */
describe('tree and completeness', () => {
  let s: TestServer;
  let admin: Client;
  beforeAll(async () => {
    s = await startTestServer();
    admin = await s.login('ft_admin');
  });
  afterAll(async () => { await s.stop(); });

  const memberStats = (node: any) => node.stats.find((x: any) => x.collection === 'member');

  it('gives the node, its breadcrumb from the root, and its children with their own figures', async () => {
    const roots = await admin.get('/api/tree');
    expect(roots.body.roots.map((r: any) => r.label)).toEqual(['丰台区委']);
    const id = await nodeId(admin, '丰台区太平桥街道太南里社区党委');
    const t = await admin.get(`/api/tree/${id}`);
    expect(t.body.breadcrumb.map((b: any) => b.label)).toEqual(['中共北京市委', '丰台区委', '中共丰台区太平桥街道工委', '丰台区太平桥街道太南里社区党委']);
    expect(t.body.breadcrumb.map((b: any) => b.readable)).toEqual([false, true, true, true]);
    expect(t.body.children.map((c: any) => c.label)).toContain('太南里社区非公联合党支部');
    expect(t.body.children.length).toBe(7);
    // The subtree's figure is the sum of its own members and its children's.
    const own = (await admin.get(`/api/records/member?node=${id}`)).body.total;
    const total = t.body.children.reduce((a: number, c: any) => a + memberStats(c).total, own);
    expect(memberStats(t.body.node).total).toBe(total);
  });

  it('names a node by its path: also the ancestors of the user’s nodes, nothing about any other node', async () => {
    const fengtai = (await admin.get('/api/tree')).body.roots[0];
    const beijing = (await admin.get(`/api/tree/${fengtai.id}`)).body.breadcrumb[0];
    // The parent of the admin's top node: not readable as a node, but named as on every breadcrumb.
    expect((await admin.get(`/api/tree/${beijing.id}`)).status).toBe(404);
    const up = await admin.get(`/api/tree/${beijing.id}/path`);
    expect(up.status).toBe(200);
    expect(up.body).toEqual({ breadcrumb: [{ id: beijing.id, label: '中共北京市委', readable: false }] });
    const own = await admin.get(`/api/tree/${fengtai.id}/path`);
    expect(own.body.breadcrumb.map((b: any) => b.label)).toEqual(['中共北京市委', '丰台区委']);
    // A node beside the admin's subtree (朝阳区党委, read as bj_admin), and a record that is not a node: not found.
    const bj = await s.login('bj_admin');
    const chaoyang = await nodeId(bj, '朝阳区党委');
    expect((await admin.get(`/api/tree/${chaoyang}/path`)).status).toBe(404);
    const member = (await admin.get(`/api/records/member?node=${fengtai.id}&deep=1&limit=1`)).body.items[0];
    expect((await admin.get(`/api/tree/${member.id}/path`)).status).toBe(404);
    // A branch admin sees the way up to their branch, not the branches beside it.
    const pdl = await s.login('pdl_admin');
    const pdlRoot = (await pdl.get('/api/tree')).body.roots[0];
    const parent = pdlRoot.data.parentId;
    expect((await pdl.get(`/api/tree/${parent}/path`)).body.breadcrumb.map((b: any) => b.label)).toEqual(['中共北京市委', '朝阳区党委', '潘东亮支部']);
    expect((await pdl.get(`/api/tree/${fengtai.id}/path`)).status).toBe(404);
  });

  it('progress as a workbook: the node’s total first, then its children least complete first, as the page shows them', async () => {
    const fengtai = (await admin.get('/api/tree')).body.roots[0];
    const t = (await admin.get(`/api/tree/${fengtai.id}`)).body;
    const res = await fetch(`${s.url}/api/tree/${fengtai.id}/progress.xlsx`, { headers: { cookie: admin.cookie } });
    expect(res.status).toBe(200);
    expect(decodeURIComponent(res.headers.get('content-disposition')!)).toContain('进度统计-丰台区委.xlsx');
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(await res.arrayBuffer());
    const sheet = wb.getWorksheet('党员进度')!;
    const values = (n: number) => (sheet.getRow(n).values as unknown[]).slice(1);
    expect(values(1)).toEqual(['党组织', '党员人数', '未提交', '待确认', '待修改', '已确认', '完整度']);
    const figures = (node: any) => {
      const st = memberStats(node);
      return [st.total, ...['draft', 'pending', 'changes_requested', 'confirmed'].map((k) => st.byState[k] ?? 0), st.completeness];
    };
    expect(values(2)).toEqual(['丰台区委（合计）', ...figures(t.node)]);
    expect(sheet.rowCount).toBe(1 + 1 + t.children.length);
    const sorted = [...t.children].sort((a: any, b: any) => (memberStats(a).completeness ?? 2) - (memberStats(b).completeness ?? 2));
    sorted.forEach((child: any, i: number) => {
      const row = values(3 + i);
      expect(row[0]).toBe(child.label);
      expect(row.slice(1).map((v) => v ?? null)).toEqual(figures(child));
    });
    // Only nodes the user reads.
    const pdl = await s.login('pdl_admin');
    expect((await fetch(`${s.url}/api/tree/${fengtai.id}/progress.xlsx`, { headers: { cookie: pdl.cookie } })).status).toBe(404);
  });

  it('completeness is the share of members whose essential items are complete and valid, and follows edits', async () => {
    const branch = await admin.post('/api/records/organization', {
      parentId: await nodeId(admin, '惠民党支部'), fullName: '中共统计测试支部委员会', shortName: '统计测试支部', category: '631', orgCode: '011100888001',
    });
    const node = branch.body.id;
    const full = await admin.post('/api/records/member', memberData(node));
    await admin.post('/api/records/member', memberData(node));
    const draft = await admin.post('/api/records/member', { orgId: node, name: '未填完' });
    let stats = memberStats((await admin.get(`/api/tree/${node}`)).body.node);
    expect(stats).toMatchObject({ total: 3, complete: 2 });
    expect(stats.completeness).toBeCloseTo(2 / 3);
    await admin.put(`/api/records/member/${draft.body.id}`, memberData(node, { name: '已填完' }), 1);
    stats = memberStats((await admin.get(`/api/tree/${node}`)).body.node);
    expect(stats.completeness).toBe(1);
    await admin.put(`/api/records/member/${full.body.id}`, { ...full.body.data, address: '' }, 1);
    stats = memberStats((await admin.get(`/api/tree/${node}`)).body.node);
    expect(stats.complete).toBe(2);
    const parent = memberStats((await admin.get(`/api/tree/${await nodeId(admin, '惠民党支部')}`)).body.node);
    expect(parent.total).toBeGreaterThanOrEqual(3);
  });
});
