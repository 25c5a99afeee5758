import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { startTestServer, type TestServer } from '../helpers/server.js';
import type { Client } from '../helpers/client.js';
import { nodeId } from '../helpers/demo.js';
import { copyApp } from '../helpers/app-copy.js';
import { AppRuntime } from '../../engine/runtime/runtime.js';
import { recomputeCompleteness } from '../../engine/records/recompute.js';
import { repoRoot } from '../helpers/paths.js';

/**
 * Config changes against the stored data, on a watched copy of the app: a schema change that
 * alters completeness recomputes the stored flags and the subtree figures; a workflow change may
 * not strand records in a state it removes.
 */
describe('config changes against stored data', () => {
  let s: TestServer;
  let dir: string;
  let admin: Client;
  let root: string;
  beforeAll(async () => {
    dir = copyApp();
    s = await startTestServer(dir, { watchConfig: true });
    admin = await s.login('bj_admin');
    root = await nodeId(admin, '中共北京市委');
  });
  afterAll(async () => { await s.stop(); });

  const members = async () => (await admin.get(`/api/records/member?node=${root}&deep=1&limit=200`)).body.items as any[];
  const figures = async () => (await admin.get(`/api/tree/${root}`)).body.node.stats.find((x: any) => x.collection === 'member');
  /** Writes a file and waits until the watcher's reload has applied or refused it. */
  const reloadAfter = async (file: string, text: string) => {
    const { generation, refusedAt } = s.engine.config.status;
    writeFileSync(join(dir, file), text);
    const deadline = Date.now() + 15_000;
    while (s.engine.config.status.generation === generation && s.engine.config.status.refusedAt === refusedAt && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 100));
    }
    await s.engine.config.reload(); // and for the listeners (the recomputation) of a reload still settling
    return s.engine.config.status;
  };
  const changeSchema = async (edit: (schema: any) => void) => {
    const schema = JSON.parse(readFileSync(join(dir, 'forms/member.schema.json'), 'utf8'));
    edit(schema);
    expect((await reloadAfter('forms/member.schema.json', JSON.stringify(schema, null, 2))).problems).toEqual([]);
  };

  it('making a field essential marks records without it incomplete, and 完整度 counts them', async () => {
    const all = await members();
    const completeBefore = all.filter((m) => m.complete);
    const lacking = completeBefore.filter((m) => !m.data.nativePlace);
    expect(lacking.length).toBeGreaterThan(0);
    expect((await figures()).complete).toBe(completeBefore.length);

    await changeSchema((schema) => { schema.properties.nativePlace['x-essential'] = true; });

    const after = await members();
    const flag = new Map(after.map((m) => [m.id, m.complete]));
    for (const m of lacking) expect(flag.get(m.id)).toBe(false);
    for (const m of completeBefore.filter((x) => x.data.nativePlace)) expect(flag.get(m.id)).toBe(true);
    expect((await figures()).complete).toBe(completeBefore.length - lacking.length);

    // The flag and the workflow agree: 提交确认 of a record now marked incomplete is refused.
    const draft = after.find((m) => lacking.some((l) => l.id === m.id) && m.state === 'draft');
    expect(draft).toBeTruthy();
    const submit = await admin.post(`/api/records/member/${draft.id}/events`, { type: 'SUBMIT' });
    expect(submit.status).toBe(422);
    expect(submit.body.error.message).toContain('籍贯');

    // Back again: the same records are complete once more.
    await changeSchema((schema) => { delete schema.properties.nativePlace['x-essential']; });
    expect((await figures()).complete).toBe(completeBefore.length);
  });

  it('recomputes in batches, each its own transaction, and logs progress', async () => {
    const total = (await members()).length;
    const lines: string[] = [];
    // The config as first loaded (nativePlace optional) against one that requires it.
    const previous = s.engine.runtime;
    const other = copyApp(); // not the watched folder: the server keeps its config
    const schema = JSON.parse(readFileSync(join(repoRoot, 'forms/member.schema.json'), 'utf8'));
    schema.properties.nativePlace['x-essential'] = true;
    writeFileSync(join(other, 'forms/member.schema.json'), JSON.stringify(schema, null, 2));
    const next = AppRuntime.load(other);
    const changed = await recomputeCompleteness(s.engine.storage, next, previous, { batch: 3, log: (l) => lines.push(l) });
    expect(changed).toBeGreaterThan(0);
    expect(lines[0]).toBe(`重新计算完整度：党员 共 ${total} 条`);
    expect(lines).toContain(`重新计算完整度：党员 3/${total}`);
    expect(lines).toContain(`重新计算完整度：党员 6/${total}`);
    expect(lines.at(-1)).toBe(`重新计算完整度：党员 ${total} 条完成，${changed} 条的完整状态改变`);
  });

  const wfFile = 'workflows/member-confirmation.json';
  it('renaming a state records are in is refused with their count; the last good config stays', async () => {
    const pending = (await admin.get(`/api/records/member?node=${root}&deep=1&state=pending&limit=200`)).body.items as any[];
    expect(pending.length).toBeGreaterThan(0);
    const original = readFileSync(join(dir, wfFile), 'utf8');
    const wf = JSON.parse(original);
    wf.meta.version = 2;
    wf.states.waiting = wf.states.pending;
    delete wf.states.pending;
    const json = JSON.stringify(wf).replaceAll('"target":"pending"', '"target":"waiting"');
    const status = await reloadAfter(wfFile, json);
    expect(status.problems).toEqual([
      `workflows/member-confirmation.json：状态“pending”（待确认）被删除或改名，但有 ${pending.length} 条党员记录处于该状态；请保留该状态，或先把这些记录办理到其他状态后再修改流程`,
    ]);
    // The machine in force is still version 1, and the records' events are offered from it.
    const events = await admin.get(`/api/records/member/${pending[0].id}/events`);
    expect(events.status).toBe(200);
    expect(events.body.workflow).toBe('member-confirmation@1');
    expect(events.body.stateTitle).toBe('待确认');

    // A change that keeps every state in use goes through.
    const kept = JSON.parse(original);
    kept.meta.version = 2;
    kept.states.pending.meta.title = '等待确认';
    const accepted = await reloadAfter(wfFile, JSON.stringify(kept, null, 2));
    expect(accepted.problems).toEqual([]);
    expect((await admin.get(`/api/records/member/${pending[0].id}/events`)).body.stateTitle).toBe('等待确认');
  });
});
