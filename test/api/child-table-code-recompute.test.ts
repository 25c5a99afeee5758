/**
 * A code-table change reaches the codes inside child-table rows (issue 21): deprecating a code of
 * 与该人关系 (family-relation, used only by a column of 家庭主要成员及社会关系) recomputes the stored
 * completeness of the members whose rows hold it, as a top-level code's change does; restoring the
 * code makes them complete again. Real server, real SQLite, the demo members' rows.
 */
import { describe, it, expect } from 'vitest';
import { useDemoAdmins } from '../helpers/demo-admins.js';
import { familyRows as rows, membersUnder } from '../helpers/member-rows.js';

describe('code-table change and the codes inside rows', () => {
  const w = useDemoAdmins();

  const members = () => membersUnder(w.admin, w.root);
  const table = async () => (await w.cfg.get('/api/codes/family-relation')).body;

  it('deprecating a code held in rows marks those members incomplete; restoring it makes them complete again', async () => {
    const before = await members();
    const holder = before.find((m) => m.complete && rows(m).some((r) => typeof r.relation === 'string'))!;
    expect(holder).toBeDefined();
    const code = rows(holder).find((r) => typeof r.relation === 'string')!.relation as string;
    const holding = new Set(before.filter((m) => rows(m).some((r) => r.relation === code)).map((m) => m.id));
    const others = before.filter((m) => !holding.has(m.id));
    expect(others.some((m) => m.complete)).toBe(true);

    const t = await table();
    const replacement = t.codes.find((c: any) => c.code !== code && !c.deprecated).code;
    const deprecated = { ...t, codes: t.codes.map((c: any) => (c.code === code ? { ...c, deprecated: '2026-01-01', replacedBy: [replacement] } : c)) };
    const saved = await w.cfg.put('/api/codes/family-relation', deprecated, t.version);
    expect(saved.status, JSON.stringify(saved.body)).toBe(200);

    const after = new Map((await members()).map((m) => [m.id, m]));
    for (const id of holding) expect(after.get(id)!.complete, id).toBe(false);
    for (const m of others) expect(after.get(m.id)!.complete, m.id).toBe(m.complete);
    // The record's own verdict agrees: the row's code is named as stale.
    const one = await w.admin.get(`/api/records/member/${holder.id}`);
    expect(one.body.complete).toBe(false);

    const t2 = await table();
    const restored = { ...t2, codes: t2.codes.map((c: any) => (c.code === code ? Object.fromEntries(Object.entries(c).filter(([k]) => k !== 'deprecated' && k !== 'replacedBy')) : c)) };
    expect((await w.cfg.put('/api/codes/family-relation', restored, t2.version)).status).toBe(200);
    const back = new Map((await members()).map((m) => [m.id, m]));
    for (const m of before) expect(back.get(m.id)!.complete, m.id).toBe(m.complete);
  });

  it('a saved record notes the versions of the code tables its rows use, as of its fields', async () => {
    const t = await table();
    const member = (await members()).find((m) => rows(m).length)!;
    const saved = await w.admin.put(`/api/records/member/${member.id}`, member.data, member.version);
    expect(saved.status, JSON.stringify(saved.body)).toBe(200);
    expect(saved.body.codeVersions['family-relation']).toBe(t.version);
    expect(saved.body.codeVersions['political-status']).toBe((await w.cfg.get('/api/codes/political-status')).body.version);
    expect(saved.body.codeVersions.nation).toBeGreaterThan(0);
  });
});
