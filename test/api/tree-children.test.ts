import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { startTestServer, type TestServer } from '../helpers/server.js';
import type { Client } from '../helpers/client.js';
import { nodeId } from '../helpers/demo.js';

/**
 * Each node the tree API answers says whether it has child nodes (`hasChildren`), so the tree draws
 * an arrow only where there is something to open (issue 20, point 10).
 */
describe('tree nodes say whether they have children', () => {
  let s: TestServer;
  let admin: Client;
  beforeAll(async () => {
    s = await startTestServer();
    admin = await s.login('ft_admin');
  });
  afterAll(async () => { await s.stop(); });

  it('on the roots, the node and its children of GET /api/tree/:id', async () => {
    const roots = (await admin.get('/api/tree')).body.roots;
    expect(roots.map((r: any) => [r.label, r.hasChildren])).toEqual([['丰台区委', true]]);

    const committee = await nodeId(admin, '丰台区太平桥街道太南里社区党委');
    const t = (await admin.get(`/api/tree/${committee}`)).body;
    expect(t.node.hasChildren).toBe(true);
    // Its branches hang no nodes below them: every child is a leaf.
    expect(t.children.length).toBe(7);
    expect(t.children.every((c: any) => c.hasChildren === false)).toBe(true);

    // One level up: the street committee holds the community committee, which has children.
    const street = (await admin.get(`/api/tree/${roots[0].id}`)).body.children.find((c: any) => c.label === '中共丰台区太平桥街道工委');
    expect(street.hasChildren).toBe(true);
    const leaf = (await admin.get(`/api/tree/${t.children[0].id}`)).body;
    expect(leaf.node.hasChildren).toBe(false);
    expect(leaf.children).toEqual([]);
  });

  it('a branch admin’s root without child nodes is a leaf; a new child node makes it a parent', async () => {
    const pdl = await s.login('pdl_admin');
    const [root] = (await pdl.get('/api/tree')).body.roots;
    expect(root.hasChildren).toBe(false);
    // A node made under it (as its admin above would): now it has a child.
    const bj = await s.login('bj_admin');
    const made = await bj.post('/api/records/organization', {
      fullName: '测试下级党支部', shortName: '测试下级', orgCode: '011100009991', category: '631', affiliation: '51', parentId: root.id,
    });
    expect(made.status, JSON.stringify(made.body)).toBe(201);
    expect((await pdl.get('/api/tree')).body.roots[0].hasChildren).toBe(true);
    expect((await pdl.get(`/api/tree/${root.id}`)).body.node.hasChildren).toBe(true);
  });
});
