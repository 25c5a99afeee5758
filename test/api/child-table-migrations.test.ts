/**
 * Migration steps that name a column of a child table (issue 21 with 23): a draft renaming or
 * removing a column of 家庭主要成员及社会关系 is refused without a step naming the table; the impact
 * report counts the members whose rows hold the column; publishing with the step changes every
 * row of every stored member, audits it by row, and the members validate under the new version.
 * Real server, real SQLite, the demo members' rows.
 */
import { describe, it, expect } from 'vitest';
import { useDemoAdmins } from '../helpers/demo-admins.js';
import { DraftApi } from '../helpers/draft-api.js';
import { familyRows as rowsOf, membersUnder, type ListedMember as Member } from '../helpers/member-rows.js';

const SCHEMA = 'forms/member.schema.json';
const DEMO = 'forms/demo/members.json';
type Row = Record<string, unknown>;

describe('migration steps on a child table’s column', () => {
  const w = useDemoAdmins();

  const members = () => membersUnder(w.admin, w.root);

  /** Opens a draft whose member schema (and demo rows) went through `edit`; answers the draft. */
  async function draftWith(editSchema: (s: any) => void, editRow: (r: Row) => void): Promise<DraftApi> {
    const d = new DraftApi(w.cfg);
    expect((await d.open()).status).toBe(201);
    const schema = JSON.parse(await d.text(SCHEMA));
    editSchema(schema);
    await d.save(SCHEMA, JSON.stringify(schema, null, 2) + '\n');
    const demo = JSON.parse(await d.text(DEMO));
    for (const r of demo.records) for (const row of r.family ?? []) editRow(row);
    await d.save(DEMO, JSON.stringify(demo, null, 2) + '\n');
    return d;
  }

  async function impact() {
    let job = (await w.cfg.get('/api/config/draft/impact')).body;
    while (job.status === 'running') {
      await new Promise((r) => setTimeout(r, 100));
      job = (await w.cfg.get(`/api/jobs/${job.id}`)).body;
    }
    expect(job.status, JSON.stringify(job)).toBe('done');
    return job.result.collections.find((c: any) => c.collection === 'member');
  }

  const publish = (d: DraftApi, note: string) => w.cfg.post('/api/config/draft/publish', { note }, { 'if-match': `"${d.version}"` });

  /** The diff of the member's migrate entry written by config version `version`, from its history. */
  async function migrateDiff(id: string, version: number) {
    const history = await w.admin.get(`/api/records/member/${id}/history`);
    expect(history.status).toBe(200);
    return history.body.items.find((h: any) => h.action === 'migrate' && h.note === `配置第 ${version} 版的迁移`)?.diff;
  }

  /**
   * Every member's rows validate under the version in force (other fields may hold a code the
   * demo keeps deprecated, which only a new value is refused for), and a save unchanged is accepted.
   */
  async function stillValid(all: Member[]) {
    for (const m of all) {
      const check = await w.admin.post('/api/forms/member/validate', { data: m.data });
      const rows = check.body.errors.filter((e: any) => e.path.startsWith('/family'));
      expect(rows, `${m.id} ${JSON.stringify(rows)}`).toEqual([]);
    }
    const one = all.find((m) => rowsOf(m).length)!;
    const saved = await w.admin.put(`/api/records/member/${one.id}`, one.data, one.version);
    expect(saved.status, JSON.stringify(saved.body)).toBe(200);
  }

  it('renaming a column: refused without a step naming the table; with renameField + table every row keeps its value under the new name, audited by row', async () => {
    const before = await members();
    const holders = before.filter((m) => rowsOf(m).some((r) => Object.hasOwn(r, 'workUnit')));
    expect(holders.length).toBeGreaterThan(1);

    const d = await draftWith((schema) => {
      const cols = schema.properties.family.items.properties;
      schema.properties.family.items.properties = Object.fromEntries(Object.entries(cols).map(([k, v]) => (k === 'workUnit' ? ['occupation', v] : [k, v])));
    }, (row) => {
      if (Object.hasOwn(row, 'workUnit')) { row.occupation = row.workUnit; delete row.workUnit; }
    });
    const orphan = await publish(d, '列改名');
    expect(orphan.status).toBe(422);
    expect(orphan.body.error.code).toBe('config_orphans');
    expect(orphan.body.error.details).toContainEqual({
      path: `${SCHEMA}#/properties/family/items/properties/workUnit`,
      message: '「党员」的子表「家庭主要成员及社会关系」（family）的列 「工作单位及职务」（workUnit） 在草稿中被删除或改名，已存储的值会成为孤儿：请声明 renameField 或 dropField（带 "table": "family"）',
    });

    const step = { op: 'renameField', collection: 'member', table: 'family', from: 'workUnit', to: 'occupation' };
    const saved = await d.save('migrations.json', JSON.stringify([step]));
    expect(saved.problems).toEqual([]);
    expect(saved.publishable).toBe(true);
    const m = await impact();
    expect(m.categories.find((c: any) => c.key === 'migrated').count).toBe(holders.length);
    expect(m.categories.find((c: any) => c.key === 'invalid').count).toBe(0);

    const published = await publish(d, '工作单位及职务改名');
    expect(published.status, JSON.stringify(published.body)).toBe(200);
    expect(published.body.migrated).toBe(holders.length);

    const after = await members();
    for (const old of holders) {
      const now = after.find((x) => x.id === old.id)!;
      expect(rowsOf(now)).toEqual(rowsOf(old).map((r) => {
        if (!Object.hasOwn(r, 'workUnit')) return r;
        const { workUnit, ...rest } = r;
        return { ...rest, occupation: workUnit };
      }));
      const diff = await migrateDiff(old.id, published.body.version);
      expect(diff).toEqual({ family: { rows: rowsOf(old).flatMap((r, i) => (Object.hasOwn(r, 'workUnit')
        ? [{ row: i + 1, change: 'changed', cells: { workUnit: [r.workUnit, null], occupation: [null, r.workUnit] } }] : [])) } });
    }
    await stillValid(after);
  });

  it('removing a column: the impact counts the members whose rows hold it; dropField + table empties it from every row, the audit keeps the values', async () => {
    const before = await members();
    const holders = before.filter((m) => rowsOf(m).some((r) => r.workUnitAddress !== undefined && r.workUnitAddress !== ''));
    expect(holders.length).toBeGreaterThan(0);

    const d = await draftWith((schema) => { delete schema.properties.family.items.properties.workUnitAddress; }, (row) => { delete row.workUnitAddress; });
    const refused = await publish(d, '删除列');
    expect(refused.status).toBe(422);
    expect(refused.body.error.message).toContain('「工作单位地址」（workUnitAddress）');

    await d.save('migrations.json', JSON.stringify([{ op: 'dropField', collection: 'member', table: 'family', field: 'workUnitAddress' }]));
    const m = await impact();
    const lost = m.categories.find((c: any) => c.key === 'removedField:family/workUnitAddress');
    expect(lost).toMatchObject({ kind: 'removedField', count: holders.length });
    expect(lost.title).toContain('「工作单位地址」（workUnitAddress）');
    expect([...lost.ids].sort()).toEqual(holders.map((x) => x.id).sort());

    const published = await publish(d, '删除工作单位地址');
    expect(published.status, JSON.stringify(published.body)).toBe(200);
    expect(published.body.migrated).toBe(holders.length);
    const after = await members();
    expect(after.some((x) => rowsOf(x).some((r) => Object.hasOwn(r, 'workUnitAddress')))).toBe(false);
    for (const old of holders) {
      const now = after.find((x) => x.id === old.id)!;
      expect(rowsOf(now)).toEqual(rowsOf(old).map(({ workUnitAddress: _, ...rest }) => rest));
      expect(await migrateDiff(old.id, published.body.version)).toEqual({ family: { rows: rowsOf(old).flatMap((r, i) => (r.workUnitAddress
        ? [{ row: i + 1, change: 'changed', cells: { workUnitAddress: [r.workUnitAddress, null] } }] : [])) } });
    }
    await stillValid(after);
  });

  it('a column step is checked against the drafts: an unknown table or column is named at its pointer', async () => {
    const d = new DraftApi(w.cfg);
    await d.open();
    const saved = await d.save('migrations.json', JSON.stringify([
      { op: 'dropField', collection: 'member', table: 'nowhere', field: 'x' },
      { op: 'renameField', collection: 'member', table: 'family', from: 'nickname', to: 'relation' },
      { op: 'moveState', collection: 'member', table: 'family', from: 'a', to: 'b' },
    ]));
    expect(saved.problems).toEqual([
      { path: 'migrations.json#/0/table', message: 'migrations.json: /0/table: 「党员」的草稿没有子表 「nowhere」' },
      { path: 'migrations.json#/1/from', message: 'migrations.json: /1/from: 「党员」的子表「家庭主要成员及社会关系」（family）的当前版本没有列 「nickname」' },
      { path: 'migrations.json#/1/to', message: 'migrations.json: /1/to: 「党员」的子表「家庭主要成员及社会关系」（family）的列 「与该人关系」（relation） 在当前版本中已存在：改名的目标须是草稿新增的列' },
      { path: 'migrations.json#/2/table', message: 'migrations.json: /2/table: moveState 不认识的属性 "table"' },
    ]);
    expect((await w.cfg.delete('/api/config/draft', { 'if-match': `"${d.version}"` })).status).toBe(200);
  });
});
