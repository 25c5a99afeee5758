import { describe, it, expect } from 'vitest';
import { mkdtempSync, mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadWorkflow } from '../../engine/workflow/machine.js';
import { evaluateGuard } from '../../engine/workflow/guards.js';
import { createAjv } from '../../engine/validation/ajv.js';
import type { AppConfig } from '../../engine/config/types.js';
import type { WorkflowEnv } from '../../engine/workflow/types.js';

const appWith = (workflow: unknown): AppConfig => {
  const root = mkdtempSync(join(tmpdir(), 'caiji-wf-'));
  mkdirSync(join(root, 'workflows'));
  writeFileSync(join(root, 'workflows', 'w.json'), JSON.stringify(workflow));
  // The loader reads the config snapshot (source) rather than the disk; both hold the file.
  const source = { root, files: new Map([['workflows/w.json', JSON.stringify(workflow)]]) };
  return { root, source, collections: new Map(), codes: new Map() } as unknown as AppConfig;
};

/** Workflow configs are checked when loaded: every problem named with its place. */
describe('workflow config checks', () => {
  it('checks the params of above and notSender: levels, the node condition, the event named', () => {
    const problems: string[] = [];
    const wf = loadWorkflow(appWith({
      id: 'w', initial: 'a', meta: { version: 1, events: { GO: { title: '前进' }, BACK: { title: '退回' } } },
      states: {
        a: { meta: { title: '甲' }, on: {
          GO: { target: 'a', guard: { type: 'all', params: { guards: [
            { type: 'above', params: { permission: 'write', levels: 0, node: { in: ['x'] } } },
            { type: 'notSender', params: { event: 'SEND' } },
            { type: 'above', params: {} },
          ] } } },
          BACK: { target: 'a', guard: { type: 'notSender', params: { event: ['GO', 'BACK'] } } },
        } },
      },
    }), 'w', createAjv(), problems);
    expect(wf).toBeNull();
    expect(problems).toEqual([
      'workflows/w.json: states.a.on.GO[0].guard.guards[0]: guard above 的 levels 应为正整数',
      'workflows/w.json: states.a.on.GO[0].guard.guards[0]: guard above 的 node 应为 {"field": …, "in": […]}',
      'workflows/w.json: states.a.on.GO[0].guard.guards[1]: guard notSender 的 event "SEND" 未在 meta.events 中声明',
      'workflows/w.json: states.a.on.GO[0].guard.guards[2]: guard above 缺少参数 permission',
    ]);
  });

  it('loads a well-formed machine with id@version, titles and counted collections', () => {
    const problems: string[] = [];
    const wf = loadWorkflow(appWith({
      id: 'w', initial: 'a', meta: { version: 2, events: { GO: { title: '前进' } } },
      states: {
        a: { meta: { title: '甲' }, on: { GO: { target: 'b', guard: { type: 'all', params: { guards: [{ type: 'count', params: { collection: 'x', max: 0 } }] } } } } },
        b: { meta: { title: '乙' } },
      },
    }), 'w', createAjv(), problems);
    expect(problems).toEqual([]);
    expect(wf).toMatchObject({ key: 'w@2', initial: 'a', countedCollections: ['x'] });
    expect(wf!.stateTitles.get('b')).toBe('乙');
  });

  it('names unknown guards and actions, undeclared events, missing titles and bad targets', () => {
    const problems: string[] = [];
    const wf = loadWorkflow(appWith({
      id: 'other', initial: 'a', meta: { version: 0, events: { GO: {} } },
      states: {
        a: { on: { GO: { target: 'nowhere', guard: { type: 'isFriday' }, actions: ['launch'] }, STOP: 'a' } },
        b: { meta: { title: '乙', selfHint: ['不是文字'] } },
      },
    }), 'w', createAjv(), problems);
    expect(wf).toBeNull();
    const text = problems.join('\n');
    for (const part of ['id 应为 "w"', 'meta.version', 'states.a.meta.title', 'meta.events.GO.title', '未知的 guard "isFriday"', '未知的 action "launch"', 'target "nowhere"', '事件 STOP 未在 meta.events 中声明', 'states.b.meta.selfHint 须为文字']) {
      expect(text).toContain(part);
    }
  });
});

describe('guard vocabulary', () => {
  const env = (data: Record<string, unknown>, counts: Record<string, number> = {}, payload?: Record<string, unknown>): WorkflowEnv => ({
    runtime: { config: { collections: new Map([['u', { title: '单位' }]]) } } as any,
    collection: { name: 'c', title: '记录', schema: { properties: { kind: { title: '类别' } } } } as any,
    record: { id: 'r', data } as any, actor: { name: 'x' }, payload, counts: new Map(Object.entries(counts)), senders: new Map(), grantNodes: new Map(), failures: [],
  });

  it('field, count and payload tests, with the failure of the furthest guard in an all', () => {
    expect(evaluateGuard(env({ kind: 'A' }), { type: 'field', params: { field: 'kind', in: ['A', 'B'] } }).ok).toBe(true);
    expect(evaluateGuard(env({ kind: 'A' }), { type: 'field', params: { field: 'kind', notIn: ['A'] } }).ok).toBe(false);
    expect(evaluateGuard(env({}, { u: 1 }), { type: 'count', params: { collection: 'u', max: 0 } })).toMatchObject({ ok: false, failure: { kind: 'refused', message: '单位数量（1）不允许此操作' } });
    expect(evaluateGuard(env({}, { u: 2 }), { type: 'count', params: { collection: 'u', min: 2 } }).ok).toBe(true);
    // Payload tests pass while probing (no payload yet) and decide when it is there.
    expect(evaluateGuard(env({}), { type: 'payload', params: { field: 'p', equals: 1 } }).ok).toBe(true);
    expect(evaluateGuard(env({}, {}, { p: 2 }), { type: 'payload', params: { field: 'p', equals: 1 } }).ok).toBe(false);
    const r = evaluateGuard(env({ kind: 'A' }, { u: 1 }), { type: 'all', params: { guards: [
      { type: 'field', params: { field: 'kind', equals: 'A' } },
      { type: 'count', params: { collection: 'u', max: 0, message: '只能有一个' } },
    ] } });
    expect(r).toMatchObject({ ok: false, depth: 1, failure: { message: '只能有一个' } });
  });
});
