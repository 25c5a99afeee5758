import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { startTestServer, type TestServer } from '../helpers/server.js';
import type { Client } from '../helpers/client.js';
import { nodeId } from '../helpers/demo.js';
import { draftOf, json, renameState } from '../helpers/draft-runtime.js';
import { computeImpact, type CollectionImpact, type ImpactReport } from '../../engine/config-versions/impact.js';
import { applySteps, orphanProblems, type MigrationStep } from '../../engine/config-versions/migration-steps.js';
import type { AppRuntime } from '../../engine/runtime/runtime.js';
import { memberDoc } from '../bench/generate.js';

/**
 * The impact of a draft, computed over the demo database, against what the stored records
 * really hold (read through the API, not through the scan the impact uses); and a rename over
 * 10 000 generated members through applySteps and the draft's validator.
 */
describe('impact of a draft on the stored records', () => {
  let s: TestServer;
  let admin: Client;
  let root: string;
  let current: AppRuntime;
  let members: any[];
  beforeAll(async () => {
    s = await startTestServer();
    admin = await s.login('bj_admin');
    root = await nodeId(admin, '中共北京市委');
    current = s.engine.runtime;
    const res = await admin.get(`/api/records/member?node=${root}&deep=1&limit=500`);
    expect(res.body.nextCursor).toBeNull();
    members = res.body.items;
    expect(members.length).toBeGreaterThan(10);
  });
  afterAll(async () => { await s.stop(); });

  const MEMBER = 'forms/member.schema.json';
  const of = (report: ImpactReport, collection = 'member') => report.collections.find((c) => c.collection === collection)!;
  const category = (c: CollectionImpact, key: string) => {
    const found = c.categories.find((x) => x.key === key);
    if (!found) throw new Error(`no category ${key} in ${c.categories.map((x) => x.key).join(', ')}`);
    return found;
  };
  const ids = (xs: any[]) => xs.map((m) => m.id).sort();

  it('a field made essential: the records that lose completeness are those complete now without it', async () => {
    const draft = draftOf(current, { [MEMBER]: json((schema) => { schema.properties.nativePlace['x-essential'] = true; }) });
    const seen: [number, number][] = [];
    const report = await computeImpact(s.engine.storage, current, draft, [], (done, total) => seen.push([done, total]), { batch: 7 });
    const m = of(report);
    const lacking = members.filter((x) => x.complete && !x.data.nativePlace);
    expect(lacking.length).toBeGreaterThan(0);
    const incomplete = category(m, 'incomplete');
    expect(incomplete.count).toBe(lacking.length);
    expect([...incomplete.ids].sort()).toEqual(ids(lacking));
    expect(incomplete.byField).toEqual({ nativePlace: lacking.length });
    expect(category(m, 'invalid').count).toBe(0);
    expect(m.scanned).toBe(members.length);
    // Progress in batches, ending at the total of every collection's records.
    expect(seen.length).toBeGreaterThan(3);
    expect(seen.at(-1)![0]).toBe(seen.at(-1)![1]);
    expect(report.scanned).toBe(seen.at(-1)![1]);
    // Per node: the children of the root, summing to the whole; a node's own scan agrees.
    expect(m.nodes.reduce((a, n) => a + (n.counts.incomplete ?? 0), 0)).toBe(lacking.length);
    const top = m.nodes[0];
    expect(top.label).toEqual(expect.any(String));
    const path = (await s.engine.storage.records.get(s.engine.storage.db, top.nodeId))!.path;
    const sub = of(await computeImpact(s.engine.storage, current, draft, [], undefined, { subtree: path }));
    expect(category(sub, 'incomplete').count).toBe(top.counts.incomplete);
    const inside = (await s.engine.storage.records.getMany(s.engine.storage.db, category(sub, 'incomplete').ids)).map((r) => r.path);
    expect(inside.every((p) => p.startsWith(path))).toBe(true);
  });

  it('a stricter rule: the records that would become invalid are those it refuses', async () => {
    const draft = draftOf(current, { [MEMBER]: json((schema) => { schema.properties.name.maxLength = 2; }) });
    const m = of(await computeImpact(s.engine.storage, current, draft, []));
    const long = members.filter((x) => [...String(x.data.name)].length > 2);
    expect(long.length).toBeGreaterThan(0);
    expect(category(m, 'invalid').count).toBe(long.length);
    expect([...category(m, 'invalid').ids].sort()).toEqual(ids(long));
    expect(category(m, 'invalid').byField).toEqual({ name: long.length });
  });

  it('a removed code: the records holding it, invalid without a step, mapped with one', async () => {
    const draft = draftOf(current, { 'forms/codes/job-position.json': json((t) => { t.codes = t.codes.filter((c: any) => c.code !== '011'); }) });
    const holders = members.filter((x) => x.data.jobPosition === '011');
    expect(holders.length).toBeGreaterThan(0);
    const m = of(await computeImpact(s.engine.storage, current, draft, []));
    expect([...category(m, 'removedCode:jobPosition:011').ids].sort()).toEqual(ids(holders));
    expect(category(m, 'invalid').ids).toEqual(expect.arrayContaining(ids(holders)));

    const steps: MigrationStep[] = [{ op: 'mapValues', collection: 'member', field: 'jobPosition', map: { '011': '0112' } }];
    expect(orphanProblems(current, draft, steps)).toEqual([]);
    const mapped = of(await computeImpact(s.engine.storage, current, draft, steps));
    expect([...category(mapped, 'migrated').ids].sort()).toEqual(ids(holders));
    expect(category(mapped, 'invalid').ids.filter((id) => holders.some((h) => h.id === id))).toEqual([]);
  });

  it('a code the draft deprecates: the records holding it', async () => {
    const draft = draftOf(current, { 'forms/codes/education.json': json((t) => { Object.assign(t.codes.find((c: any) => c.code === '21'), { deprecated: '2030-01-01' }); }) });
    const holders = members.filter((x) => x.data.education === '21');
    expect(holders.length).toBeGreaterThan(0);
    const m = of(await computeImpact(s.engine.storage, current, draft, []));
    expect([...category(m, 'deprecatedCode:education:21').ids].sort()).toEqual(ids(holders));
    // A kept deprecated code is no save error, but it stops completeness.
    expect(category(m, 'invalid').count).toBe(0);
    expect(category(m, 'incomplete').count).toBe(holders.filter((x) => x.complete).length);
  });

  it('a removed state: the records in it, moved by moveState', async () => {
    const draft = draftOf(current, { 'workflows/member-confirmation.json': renameState('changes_requested', 'revising') });
    const inState = members.filter((x) => x.state === 'changes_requested');
    expect(inState.length).toBeGreaterThan(0);
    const m = of(await computeImpact(s.engine.storage, current, draft, []));
    expect([...category(m, 'removedState:changes_requested').ids].sort()).toEqual(ids(inState));
    expect(category(m, 'removedState:changes_requested').title).toBe('处于草稿删除的流程状态「待修改」（changes_requested）');
    const steps: MigrationStep[] = [{ op: 'moveState', collection: 'member', from: 'changes_requested', to: 'revising' }];
    expect([...category(of(await computeImpact(s.engine.storage, current, draft, steps)), 'migrated').ids].sort()).toEqual(ids(inState));
  });

  it('a rename over 10 000 generated members keeps every value, and the draft accepts every record', async () => {
    const branch = await nodeId(admin, '潘东亮支部乙');
    const docs = Array.from({ length: 10_000 }, (_, i) => memberDoc(branch, 900_000 + i));
    for (let i = 0; i < docs.length; i += 2500) {
      await s.engine.records.transaction((tx) => s.engine.records.createMany({ name: 'test' }, 'member', docs.slice(i, i + 2500), tx));
    }
    const draft = draftOf(current, { [MEMBER]: json((schema) => {
      schema.properties.homeAddress = { ...schema.properties.address, title: '家庭住址' };
      delete schema.properties.address;
    }) });
    const steps: MigrationStep[] = [{ op: 'renameField', collection: 'member', from: 'address', to: 'homeAddress' }];
    expect(orphanProblems(current, draft, [])).toHaveLength(1);
    expect(orphanProblems(current, draft, steps)).toEqual([]);

    // Every stored member, read page by page through the list query: renamed, nothing else touched.
    const validator = draft.validator('member');
    let holders = 0, checked = 0;
    let cursor: string | undefined;
    do {
      const page = await s.engine.storage.records.page(s.engine.storage.db, { collection: 'member' }, 500, cursor);
      for (const r of page.items) {
        const out = applySteps(r, steps);
        const { address, ...rest } = r.data;
        if (address === undefined) { expect(out).toBeNull(); continue; }
        holders++;
        expect(out!.data).toEqual({ ...rest, homeAddress: address });
        expect(out!.state).toBe(r.state);
        expect(validator.validate(out!.data, out!.data)).toEqual([]);
      }
      checked += page.items.length;
      cursor = page.nextCursor ?? undefined;
    } while (cursor);
    expect(checked).toBe(members.length + 10_000);
    expect(holders).toBe(docs.filter((d) => d.address !== undefined).length + members.filter((x) => x.data.address !== undefined).length);

    const withStep = of(await computeImpact(s.engine.storage, current, draft, steps));
    expect(category(withStep, 'migrated').count).toBe(holders);
    expect(category(withStep, 'migrated').ids).toHaveLength(200); // bounded: a sample, not every id
    expect(category(withStep, 'invalid').count).toBe(0);
    expect(withStep.categories.some((c) => c.kind === 'removedField')).toBe(false);
    const without = of(await computeImpact(s.engine.storage, current, draft, []));
    expect(category(without, 'removedField:address').count).toBe(holders);
  }, 120_000);
});
